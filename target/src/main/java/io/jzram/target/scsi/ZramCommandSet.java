package io.jzram.target.scsi;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCSI device server of every zram device of a {@link ZramRegistry}: each device is the
 * logical unit whose LUN is its id, unless it is unexported ({@link #setExported}: then it is no
 * LUN and no session holds it). See the package documentation for the command set, the LUN 0
 * strategy, unit attentions and the sense codes.
 *
 * <p>Thread-safe: {@link #execute} runs concurrently and lock-free on the I/O path (a LUN lookup
 * in a copy-on-write array, an atomic unit-attention check, the device call). Attaching and
 * detaching nexuses and registry changes serialise on a topology lock.
 *
 * <p>{@link #close()} stops following the registry and detaches every nexus.
 */
public final class ZramCommandSet implements ScsiCommandSet, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZramCommandSet.class);

    /** Highest LUN a single-level LUN structure can address (flat space addressing). */
    static final int MAX_LUN = 16383;

    private final ZramRegistry registry;
    private final LunIdentity identity;

    private final Object topology = new Object();
    /** Guarded by topology. */
    private final List<NexusState> nexuses = new ArrayList<>();
    /** Guarded by topology. */
    private boolean closed;
    /** Ids of devices that are not published as LUNs (see {@link #setExported}). Guarded by topology. */
    private final java.util.Set<Integer> unexported = new java.util.HashSet<>();

    private final ZramRegistry.Listener listener = new ZramRegistry.Listener() {
        @Override
        public void deviceAdded(ZramDevice device) {
            onDeviceAdded(device);
        }

        @Override
        public void deviceRemoved(ZramDevice device) {
            onDeviceRemoved(device);
        }
    };

    /** "opcode/exception class" of internal failures already logged with a stack trace. */
    private final Map<String, Boolean> loggedFailures = new ConcurrentHashMap<>();

    public ZramCommandSet(ZramRegistry registry, LunIdentity identity) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.identity = Objects.requireNonNull(identity, "identity");
        registry.addListener(listener);
    }

    public LunIdentity identity() {
        return identity;
    }

    // ------------------------------------------------------------------ topology

    /**
     * Attaches a nexus: a holder on every device and, on every LUN, the unit attention POWER ON,
     * RESET, OR BUS DEVICE RESET OCCURRED (29/00).
     */
    @Override
    public NexusHandle attach(ItNexus nexus) {
        Objects.requireNonNull(nexus, "nexus");
        NexusState state = new NexusState(this, nexus);
        synchronized (topology) {
            if (closed) {
                throw new IllegalStateException("command set closed");
            }
            for (ZramDevice device : registry.devices()) {
                if (!unexported.contains(device.id())) {
                    addLun(state, device, UnitAttention.RESET_OCCURRED);
                }
            }
            nexuses.add(state);
        }
        log.debug("attached {}", state);
        return state;
    }

    /** Called by {@link NexusState#close()}. */
    void detach(NexusState state) {
        List<LunState> luns;
        synchronized (topology) {
            nexuses.remove(state);
            luns = state.clear();
        }
        luns.forEach(LunState::close);
        log.debug("detached {}", state);
    }

    private void addLun(NexusState state, ZramDevice device, UnitAttention initial) {
        LunState lun = new LunState(device, initial);
        lun.ensureHolder(state.holderName);
        LunState stale = state.put(lun);
        if (stale != null) {
            stale.close();
        }
    }

    private void onDeviceAdded(ZramDevice device) {
        synchronized (topology) {
            if (unexported.contains(device.id())) {
                return;
            }
            for (NexusState state : nexuses) {
                LunState existing = state.lun(device.id());
                if (existing != null && existing.device == device) {
                    continue; // attach already saw it
                }
                addLun(state, device, UnitAttention.RESET_OCCURRED);
                state.nexusAttentions.establish(UnitAttention.REPORTED_LUNS_DATA_CHANGED);
            }
        }
    }

    private void onDeviceRemoved(ZramDevice device) {
        List<LunState> removed = new ArrayList<>();
        synchronized (topology) {
            unexported.remove(device.id()); // a later device with this id starts exported again
            for (NexusState state : nexuses) {
                LunState lun = state.remove(device);
                if (lun != null) {
                    removed.add(lun);
                    state.nexusAttentions.establish(UnitAttention.REPORTED_LUNS_DATA_CHANGED);
                }
            }
        }
        removed.forEach(LunState::close);
    }

    /**
     * Publishes or withdraws a device's LUN. Withdrawing removes the LUN from every attached
     * nexus (REPORTED LUNS DATA HAS CHANGED, its holders released, so the device can be reset
     * without --force); publishing adds it back (with a reset unit attention, like a new LUN).
     * The setting belongs to the device id while the device exists: an id withdrawn before its
     * device is added keeps that device from ever appearing as a LUN, and removing the device
     * forgets the setting (a device created later with that id starts exported). Idempotent:
     * withdrawing a withdrawn LUN or publishing a published one changes nothing and never fails.
     *
     * <p>Withdrawing a LUN that a logged-in session has (an attached nexus, see
     * {@link #sessionsUsing}) is as disruptive for that initiator as hot-removing the disk: it
     * fails with {@link ZramException.Reason#BUSY BUSY}, and changes nothing, unless
     * {@code force}. The check and the withdrawal happen under one hold of the topology lock,
     * so no session can attach in between.
     *
     * @param force withdraw the LUN even from logged-in sessions
     * @throws ZramException BUSY when withdrawing a LUN sessions have, without {@code force}
     */
    public void setExported(int deviceId, boolean exported, boolean force) throws ZramException {
        List<LunState> removed;
        synchronized (topology) {
            removed = setExportedLocked(deviceId, exported, force);
        }
        removed.forEach(LunState::close);
    }

    /**
     * The export switch of a device the caller has in hand (a command that looked it up): as
     * {@link #setExported(int, boolean, boolean)}, but if that device is no longer registered
     * (removed meanwhile) it fails with {@link ZramException.Reason#NO_SUCH_DEVICE} and changes
     * nothing. Without the check, a withdrawal racing with hot_remove could record the setting
     * after the removal forgot it, and the next device created with that id would start hidden.
     * (The registry removes a device before it tells this command set, under whose lock the
     * check runs: either the check sees the device and the removal's forgetting comes after the
     * change, or it does not and nothing is recorded.)
     *
     * @throws ZramException NO_SUCH_DEVICE; BUSY as for the id form
     */
    public void setExported(ZramDevice device, boolean exported, boolean force) throws ZramException {
        List<LunState> removed;
        synchronized (topology) {
            if (registry.find(device.id()).orElse(null) != device) {
                // Ends here: the device is gone, nothing is recorded; the caller reports "No such device".
                throw new ZramException(ZramException.Reason.NO_SUCH_DEVICE, device.name() + ": no such device");
            }
            removed = setExportedLocked(device.id(), exported, force);
        }
        removed.forEach(LunState::close);
    }

    /** Caller holds {@link #topology}; returns the LUN states withdrawn, for the caller to close outside the lock. */
    private List<LunState> setExportedLocked(int deviceId, boolean exported, boolean force) throws ZramException {
        List<LunState> removed = new ArrayList<>();
        if (exported == !unexported.contains(deviceId)) {
            return removed; // already so
        }
        if (!exported && !force) {
            int sessions = sessionsUsingLocked(deviceId);
            if (sessions > 0) {
                // Ends here: nothing changed, the caller reports BUSY (the CLI with its --force hint).
                throw new ZramException(ZramException.Reason.BUSY, "zram" + deviceId + ": LUN " + deviceId + " in use by "
                        + sessions + " session" + (sessions == 1 ? "" : "s"));
            }
        }
        if (exported) {
            unexported.remove(deviceId);
        } else {
            unexported.add(deviceId);
        }
        ZramDevice device = registry.find(deviceId).orElse(null);
        if (device == null) {
            return removed;
        }
        for (NexusState state : nexuses) {
            if (exported) {
                addLun(state, device, UnitAttention.RESET_OCCURRED);
                state.nexusAttentions.establish(UnitAttention.REPORTED_LUNS_DATA_CHANGED);
            } else {
                LunState lun = state.remove(device);
                if (lun != null) {
                    removed.add(lun);
                    state.nexusAttentions.establish(UnitAttention.REPORTED_LUNS_DATA_CHANGED);
                }
            }
        }
        return removed;
    }

    /** Whether the device with this id is published as a LUN (true for ids the command set has not been told about). */
    public boolean isExported(int deviceId) {
        synchronized (topology) {
            return !unexported.contains(deviceId);
        }
    }

    /**
     * How many attached nexuses (logged-in sessions, discovery sessions are never attached) have
     * the device's LUN now: 0 for an unexported or absent device. A snapshot: a session may log
     * in or out right after.
     */
    public int sessionsUsing(int deviceId) {
        synchronized (topology) {
            return sessionsUsingLocked(deviceId);
        }
    }

    /** Under the topology lock. */
    private int sessionsUsingLocked(int deviceId) {
        int n = 0;
        for (NexusState state : nexuses) {
            if (state.lun(deviceId) != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void logicalUnitReset(NexusHandle requester, long lun) {
        synchronized (topology) {
            for (NexusState state : nexuses) {
                LunState s = state.lun(lun);
                if (s != null) {
                    s.unitAttentions.establish(UnitAttention.LOGICAL_UNIT_RESET);
                }
            }
        }
    }

    @Override
    public void targetReset(NexusHandle requester) {
        synchronized (topology) {
            for (NexusState state : nexuses) {
                for (LunState s : state.all()) {
                    s.unitAttentions.establish(UnitAttention.RESET_OCCURRED);
                }
            }
        }
    }

    /** Stops following the registry and detaches every nexus (releasing all holders). Idempotent. */
    @Override
    public void close() {
        List<NexusState> all;
        synchronized (topology) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(nexuses);
        }
        registry.removeListener(listener);
        all.forEach(NexusState::close);
    }

    // ------------------------------------------------------------------ execution

    @Override
    public ScsiResponse execute(NexusHandle nexus, long lun, byte[] cdb, ByteBuffer dataOut, ByteBuffer dataIn) {
        int opcode = cdb != null && cdb.length > 0 ? cdb[0] & 0xFF : -1;
        try {
            return dispatch((NexusState) nexus, lun, cdb, dataOut, dataIn);
        } catch (ScsiError e) {
            return Responses.check(e.sense());
        } catch (ZramException e) {
            return fromDeviceFailure(e, opcode);
        } catch (RuntimeException e) {
            internalFailure(opcode, e);
            return Responses.check(SenseData.of(SenseData.HARDWARE_ERROR, 0x44, 0x00));
        }
    }

    private ScsiResponse dispatch(NexusState nexus, long lun, byte[] cdb, ByteBuffer dataOut, ByteBuffer dataIn)
            throws ZramException {
        if (cdb == null || cdb.length == 0) {
            throw ScsiError.invalidFieldInCdb(0, -1);
        }
        int op = cdb[0] & 0xFF;
        int length = Cdb.lengthOf(op);
        LunState lu = nexus.lun(lun);

        // Commands a unit attention does not block (SPC-4 5.14) and that work on any LUN.
        switch (op) {
            case Cdb.INQUIRY -> {
                checkCdb(cdb, length);
                return inquiry(lu, lun, cdb, dataIn);
            }
            case Cdb.REPORT_LUNS -> {
                checkCdb(cdb, length);
                return reportLuns(nexus, cdb, dataIn);
            }
            case Cdb.REQUEST_SENSE -> {
                checkCdb(cdb, length);
                return requestSense(nexus, lu, cdb, dataIn);
            }
            default -> {
                // everything else below
            }
        }
        if (lu == null) {
            throw ScsiError.lunNotSupported();
        }
        lu.ensureHolder(nexus.holderName);
        lu.noteGeneration();
        UnitAttention ua = takeUnitAttention(nexus, lu);
        if (ua != null) {
            return Responses.check(ua.sense());
        }
        if (!SupportedOpcodes.isSupported(op)) {
            throw ScsiError.invalidOpcode();
        }
        checkCdb(cdb, length);
        ZramDevice device = lu.device;
        return switch (op) {
            case Cdb.TEST_UNIT_READY -> {
                BlockCommands.capacity(device);
                yield Responses.GOOD;
            }
            case Cdb.READ_6, Cdb.READ_10, Cdb.READ_12, Cdb.READ_16 -> BlockCommands.read(device, cdb, dataIn);
            case Cdb.WRITE_6, Cdb.WRITE_10, Cdb.WRITE_12, Cdb.WRITE_16,
                    Cdb.WRITE_AND_VERIFY_10, Cdb.WRITE_AND_VERIFY_12, Cdb.WRITE_AND_VERIFY_16 ->
                BlockCommands.write(device, cdb, dataOut);
            case Cdb.VERIFY_10, Cdb.VERIFY_16 -> BlockCommands.verify(device, cdb, dataOut);
            case Cdb.SYNCHRONIZE_CACHE_10, Cdb.SYNCHRONIZE_CACHE_16 -> BlockCommands.synchronizeCache(device, cdb);
            case Cdb.WRITE_SAME_10, Cdb.WRITE_SAME_16 -> BlockCommands.writeSame(device, cdb, dataOut);
            case Cdb.UNMAP -> BlockCommands.unmap(device, cdb, dataOut);
            case Cdb.READ_CAPACITY_10 -> BlockCommands.readCapacity10(device, cdb, dataIn);
            case Cdb.SERVICE_ACTION_IN_16 -> {
                if ((cdb[1] & 0x1F) != Cdb.SA_READ_CAPACITY_16) {
                    throw ScsiError.invalidFieldInCdb(1, 4);
                }
                yield BlockCommands.readCapacity16(device, cdb, dataIn);
            }
            case Cdb.MODE_SENSE_6, Cdb.MODE_SENSE_10 -> modeSense(device, cdb, dataIn);
            case Cdb.MODE_SELECT_6, Cdb.MODE_SELECT_10 -> modeSelect(device, cdb, dataOut);
            case Cdb.START_STOP_UNIT, Cdb.PREVENT_ALLOW_MEDIUM_REMOVAL -> Responses.GOOD;
            case Cdb.MAINTENANCE_IN -> {
                if ((cdb[1] & 0x1F) != Cdb.SA_REPORT_SUPPORTED_OPCODES) {
                    throw ScsiError.invalidFieldInCdb(1, 4);
                }
                yield Responses.data(dataIn, SupportedOpcodes.report(cdb), Cdb.u32(cdb, 6));
            }
            default -> throw ScsiError.invalidOpcode();
        };
    }

    /** The CDB is as long as its group code says, and NACA (unsupported, NORMACA=0) is clear. */
    private static void checkCdb(byte[] cdb, int length) {
        if (cdb.length < length) {
            throw ScsiError.invalidFieldInCdb(cdb.length - 1, -1);
        }
        if ((cdb[length - 1] & 0x04) != 0) {
            throw ScsiError.invalidFieldInCdb(length - 1, 2);
        }
    }

    /** The next unit attention of this I_T_L nexus: its own first, then the nexus-wide one. */
    private static UnitAttention takeUnitAttention(NexusState nexus, LunState lu) {
        UnitAttention ua = lu.unitAttentions.take();
        return ua != null ? ua : nexus.nexusAttentions.take();
    }

    // ------------------------------------------------------------------ commands any LUN answers

    private ScsiResponse inquiry(LunState lu, long lun, byte[] cdb, ByteBuffer dataIn) {
        boolean evpd = (cdb[1] & 0x01) != 0;
        if ((cdb[1] & 0x02) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 1); // CMDDT (obsolete)
        }
        int page = Cdb.u8(cdb, 2);
        int allocation = Cdb.u16(cdb, 3);
        if (!evpd && page != 0) {
            throw ScsiError.invalidFieldInCdb(2, -1);
        }
        int peripheral = lu != null ? InquiryData.PERIPHERAL_DISK
                : lun == 0 ? InquiryData.PERIPHERAL_NOT_CONNECTED : InquiryData.PERIPHERAL_NO_LUN;
        byte[] data;
        if (!evpd) {
            data = InquiryData.standard(identity, peripheral);
        } else if (lu != null) {
            data = InquiryData.vpd(page, identity, lu.lun());
        } else {
            data = InquiryData.vpdWithoutLu(page, peripheral);
        }
        return Responses.data(dataIn, data, allocation);
    }

    /**
     * REPORT LUNS: the LUNs of this nexus, single-level, peripheral device addressing below 256 and
     * flat space addressing (01b) from 256 to 16383. Clears the nexus's REPORTED LUNS DATA HAS
     * CHANGED condition (SPC-4 6.33).
     */
    private static ScsiResponse reportLuns(NexusState nexus, byte[] cdb, ByteBuffer dataIn) {
        int select = Cdb.u8(cdb, 2);
        long allocation = Cdb.u32(cdb, 6);
        int[] luns = switch (select) {
            case 0x00, 0x02 -> nexus.lunNumbers(); // no well-known LUs, so both are "all LUs"
            case 0x01 -> new int[0]; // well-known LUs only: none
            default -> throw ScsiError.invalidFieldInCdb(2, -1);
        };
        int count = 0;
        for (int id : luns) {
            if (id <= MAX_LUN) {
                count++;
            }
        }
        byte[] d = new byte[8 + 8 * count];
        Cdb.put32(d, 0, 8L * count);
        int p = 8;
        for (int id : luns) {
            if (id <= MAX_LUN) {
                encodeLun(d, p, id);
                p += 8;
            }
        }
        nexus.nexusAttentions.clear(UnitAttention.REPORTED_LUNS_DATA_CHANGED);
        return Responses.data(dataIn, d, allocation);
    }

    /** An 8-byte single-level LUN: peripheral device addressing (00b) below 256, flat space (01b) above. */
    static void encodeLun(byte[] d, int p, int lun) {
        if (lun < 256) {
            d[p] = 0;
            d[p + 1] = (byte) lun;
        } else {
            d[p] = (byte) (0x40 | (lun >>> 8) & 0x3F);
            d[p + 1] = (byte) lun;
        }
    }

    /**
     * REQUEST SENSE: a pending unit attention (which it clears), else the state of the LU (02/04/03
     * while not ready), else NO SENSE; LOGICAL UNIT NOT SUPPORTED for a LUN without a LU. GOOD in
     * every case. Fixed format only (DESC=1 is an invalid field). An allocation length of 0
     * transfers nothing and clears nothing.
     */
    private static ScsiResponse requestSense(NexusState nexus, LunState lu, byte[] cdb, ByteBuffer dataIn) {
        if ((cdb[1] & 0x01) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 0);
        }
        int allocation = Cdb.u8(cdb, 4);
        if (allocation == 0) {
            return Responses.GOOD;
        }
        byte[] sense;
        if (lu == null) {
            sense = SenseData.of(SenseData.ILLEGAL_REQUEST, 0x25, 0x00);
        } else {
            lu.noteGeneration();
            UnitAttention ua = takeUnitAttention(nexus, lu);
            if (ua != null) {
                sense = ua.sense();
            } else if (lu.device.diskSize() <= 0) {
                sense = ScsiError.notReady().sense();
            } else {
                sense = SenseData.of(SenseData.NO_SENSE, 0x00, 0x00);
            }
        }
        return Responses.data(dataIn, sense, allocation);
    }

    // ------------------------------------------------------------------ mode parameters

    private static ScsiResponse modeSense(ZramDevice device, byte[] cdb, ByteBuffer dataIn) {
        boolean ten = (cdb[0] & 0xFF) == Cdb.MODE_SENSE_10;
        boolean dbd = (cdb[1] & 0x08) != 0;
        boolean llbaa = ten && (cdb[1] & 0x10) != 0;
        int pc = (cdb[2] >>> 6) & 0x03;
        int page = cdb[2] & 0x3F;
        int subpage = Cdb.u8(cdb, 3);
        long allocation = ten ? Cdb.u16(cdb, 7) : Cdb.u8(cdb, 4);
        long size = device.diskSize();
        long capacity = size > 0 ? size / BlockLimits.LOGICAL_BLOCK_SIZE : 0;
        byte[] data = ModePages.sense(ten, dbd, llbaa, pc, page, subpage, capacity);
        return Responses.data(dataIn, data, allocation);
    }

    private static ScsiResponse modeSelect(ZramDevice device, byte[] cdb, ByteBuffer dataOut) {
        boolean ten = (cdb[0] & 0xFF) == Cdb.MODE_SELECT_10;
        boolean pf = (cdb[1] & 0x10) != 0;
        if ((cdb[1] & 0x01) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 0); // SP: nothing can be saved
        }
        int listLength = ten ? Cdb.u16(cdb, 7) : Cdb.u8(cdb, 4);
        if (listLength == 0) {
            return Responses.GOOD;
        }
        if (dataOut == null || dataOut.remaining() < listLength) {
            throw ScsiError.parameterListLength();
        }
        long size = device.diskSize();
        long capacity = size > 0 ? size / BlockLimits.LOGICAL_BLOCK_SIZE : 0;
        ModePages.select(ten, pf, dataOut, dataOut.position(), listLength, capacity);
        return Responses.goodAfterDataOut(listLength);
    }

    // ------------------------------------------------------------------ failures

    /** Maps a device failure to a SCSI status and sense data. */
    ScsiResponse fromDeviceFailure(ZramException e, int opcode) {
        return switch (e.reason()) {
            case NOT_INITIALIZED -> Responses.check(ScsiError.notReady().sense());
            case OUT_OF_RANGE -> Responses.check(ScsiError.lbaOutOfRange().sense());
            // 07/27/07 SPACE ALLOCATION FAILED WRITE PROTECT: Linux fails the write with ENOSPC
            case NO_SPACE -> Responses.check(SenseData.of(SenseData.DATA_PROTECT, 0x27, 0x07));
            // 03/11/00 UNRECOVERED READ ERROR
            case READ_FAILED -> Responses.check(SenseData.of(SenseData.MEDIUM_ERROR, 0x11, 0x00));
            case BUSY -> Responses.BUSY;
            case NO_SUCH_DEVICE -> Responses.check(ScsiError.lunNotSupported().sense());
            default -> {
                internalFailure(opcode, e);
                yield Responses.check(SenseData.of(SenseData.HARDWARE_ERROR, 0x44, 0x00));
            }
        };
    }

    /** Logs an internal failure: with its stack trace the first time per opcode and exception class. */
    private void internalFailure(int opcode, Exception e) {
        String op = opcode < 0 ? "(none)" : String.format("%02Xh", opcode);
        String key = op + "/" + e.getClass().getName();
        if (loggedFailures.size() < 1024 && loggedFailures.putIfAbsent(key, Boolean.TRUE) == null) {
            log.error("internal target failure executing opcode {}, reported as 04/44/00 "
                    + "(further {} failures of this opcode are logged at debug level)", op, e.getClass().getSimpleName(), e);
        } else {
            log.debug("internal target failure executing opcode {}: {}", op, e.toString());
        }
    }
}
