package io.jzram.target.scsi;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCSI device server of the zram devices: command dispatch (INQUIRY, REPORT LUNS, REQUEST
 * SENSE, READ/WRITE and the other block commands, MODE pages) and the mapping of device failures
 * to sense data. Which device is which nexus's LUN is the {@link LunMap}'s business; this class
 * asks it (through the nexus's LUN array) and never changes it. See the package documentation
 * for the command set, the LUN 0 strategy, unit attentions and the sense codes.
 *
 * <p>Thread-safe: {@link #execute} runs concurrently and lock-free on the I/O path (a LUN lookup
 * in a copy-on-write array, an atomic unit-attention check, the device call).
 *
 * <p>The command set owns its LUN map: {@link #close()} closes it (stops following the registry,
 * detaches every nexus).
 */
public final class ZramCommandSet implements ScsiCommandSet, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZramCommandSet.class);

    /** Highest LUN a single-level LUN structure can address (flat space addressing). */
    static final int MAX_LUN = 16383;

    private final LunMap luns;
    private final LunIdentity identity;

    /** "opcode/exception class" of internal failures already logged with a stack trace. */
    private final Map<String, Boolean> loggedFailures = new ConcurrentHashMap<>();

    /** A command set over {@code luns}, which it owns from now on. */
    public ZramCommandSet(LunMap luns, LunIdentity identity) {
        this.luns = Objects.requireNonNull(luns, "luns");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** A command set over every device of {@code registry}, with a LUN map of its own. */
    public ZramCommandSet(ZramRegistry registry, LunIdentity identity) {
        this(new LunMap(registry), identity);
    }

    public LunIdentity identity() {
        return identity;
    }

    /** Which devices are LUNs of which session: the export switch, LUN masking, who uses a LUN. */
    public LunMap luns() {
        return luns;
    }

    /** Attaches a nexus to the LUN map (see {@link LunMap}): its LUNs, holders and unit attentions. */
    @Override
    public NexusHandle attach(ItNexus nexus) {
        return luns.attach(nexus);
    }

    @Override
    public void logicalUnitReset(NexusHandle requester, long lun) {
        luns.logicalUnitReset(requester instanceof NexusState n ? n : null, lun);
    }

    @Override
    public void targetReset(NexusHandle requester) {
        luns.targetReset();
    }

    /** Closes the LUN map: stops following the registry and detaches every nexus (releasing all holders). Idempotent. */
    @Override
    public void close() {
        luns.close();
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
        PersistentReservations reservations = lu.reservations;
        switch (op) {
            case ReservationCommands.PR_IN -> {
                return ReservationCommands.persistentReserveIn(reservations, nexus.port, cdb, dataIn);
            }
            case ReservationCommands.PR_OUT -> {
                return ReservationCommands.persistentReserveOut(reservations, nexus.port, cdb, dataOut,
                        effects -> luns.apply(device, effects));
            }
            case ReservationCommands.RESERVE_6, ReservationCommands.RELEASE_6, ReservationCommands.RESERVE_10,
                    ReservationCommands.RELEASE_10 -> {
                return ReservationCommands.reserveOrRelease(reservations, nexus.port, cdb);
            }
            default -> {
                // everything else: checked against the reservations, counted while it runs
            }
        }
        lu.inFlight.incrementAndGet();
        try {
            if (reservations.conflicts(nexus.port, ReservationConflicts.access(cdb))) {
                return Responses.RESERVATION_CONFLICT;
            }
            return execute(device, op, cdb, dataOut, dataIn);
        } finally {
            lu.inFlight.decrementAndGet();
        }
    }

    /** A command that met no reservation conflict. */
    private static ScsiResponse execute(ZramDevice device, int op, byte[] cdb, ByteBuffer dataOut, ByteBuffer dataIn)
            throws ZramException {
        return switch (op) {
            case Cdb.TEST_UNIT_READY -> {
                BlockCommands.capacity(device);
                yield Responses.GOOD;
            }
            case Cdb.READ_6, Cdb.READ_10, Cdb.READ_12, Cdb.READ_16 -> BlockCommands.read(device, cdb, dataIn);
            case Cdb.WRITE_6, Cdb.WRITE_10, Cdb.WRITE_12, Cdb.WRITE_16,
                    Cdb.WRITE_AND_VERIFY_10, Cdb.WRITE_AND_VERIFY_12, Cdb.WRITE_AND_VERIFY_16 ->
                BlockCommands.write(device, cdb, dataOut);
            case Cdb.VERIFY_10, Cdb.VERIFY_12, Cdb.VERIFY_16 -> BlockCommands.verify(device, cdb, dataOut);
            case Cdb.SYNCHRONIZE_CACHE_10, Cdb.SYNCHRONIZE_CACHE_16 -> BlockCommands.synchronizeCache(device, cdb);
            case Cdb.PRE_FETCH_10, Cdb.PRE_FETCH_16 -> BlockCommands.preFetch(device, cdb);
            case Cdb.READ_DEFECT_DATA_10, Cdb.READ_DEFECT_DATA_12 -> DefectData.readDefectData(cdb, dataIn);
            case Cdb.WRITE_SAME_10, Cdb.WRITE_SAME_16 -> BlockCommands.writeSame(device, cdb, dataOut);
            case Cdb.UNMAP -> BlockCommands.unmap(device, cdb, dataOut);
            case Cdb.READ_CAPACITY_10 -> BlockCommands.readCapacity10(device, cdb, dataIn);
            case Cdb.SERVICE_ACTION_IN_16 -> {
                yield switch (cdb[1] & 0x1F) {
                    case Cdb.SA_READ_CAPACITY_16 -> BlockCommands.readCapacity16(device, cdb, dataIn);
                    case Cdb.SA_GET_LBA_STATUS -> LbaStatus.getLbaStatus(device, cdb, dataIn);
                    default -> throw ScsiError.invalidFieldInCdb(1, 4);
                };
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
