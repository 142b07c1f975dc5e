package io.jzram.target.scsi;

import io.jzram.core.ZramDevice;
import io.jzram.core.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reservations of one logical unit (one device): SPC-4 persistent reservations and the older
 * RESERVE/RELEASE reservation, shared by every I_T nexus that sees the LU.
 *
 * <h2>State</h2>
 * <ul>
 *   <li><b>registrations</b>: I_T nexus ({@link InitiatorPort}; there is one target port) to
 *       reservation key, in the order they were made (READ KEYS lists them so).</li>
 *   <li><b>the persistent reservation</b>: a {@link Type} and, except for the All Registrants
 *       types, the I_T nexus that holds it. Invariant: a holder is registered; an All Registrants
 *       reservation exists only while some I_T nexus is registered.</li>
 *   <li><b>PRgeneration</b>: counts the successful PERSISTENT RESERVE OUT commands that change
 *       registrations (REGISTER, REGISTER AND IGNORE EXISTING KEY, CLEAR, PREEMPT, PREEMPT AND
 *       ABORT, REGISTER AND MOVE; never RESERVE or RELEASE).</li>
 *   <li><b>the SPC-2 reservation</b>: the I_T nexus that holds a RESERVE(6)/(10), or none. It and
 *       persistent reservations exclude each other: RESERVE and RELEASE conflict while any
 *       registration exists (SPC-3's rule; REPORT CAPABILITIES says CRH=0), and PERSISTENT RESERVE
 *       IN/OUT from another I_T nexus conflict while it is held.</li>
 * </ul>
 *
 * <h2>Lifetime</h2>
 * Registrations and the persistent reservation belong to the LU: they survive a session's logout
 * and a lost connection (SPC-4: an I_T nexus loss changes neither), LOGICAL UNIT RESET and target
 * resets. Nothing is persisted across a restart of the target (APTPL=1 is refused and PTPL_C=0: a
 * RAM disk keeps nothing over a power loss either). They go with the device's reset: each device
 * init starts a new generation ({@link ZramDevice#generation()}), and state made under another
 * generation is dropped the first time it is looked at. The SPC-2 reservation ends with its I_T
 * nexus (logout, connection loss) and with any reset, as SPC-2 says.
 *
 * <h2>Concurrency</h2>
 * Every change happens under this object's monitor, which is never held while calling out: the
 * unit attentions and the draining a change causes are returned as {@link Effects} and carried out
 * by the caller after the lock is released. The command path never takes the lock: it reads
 * {@link #view}, an immutable snapshot republished after every change, so checking a command
 * against the reservations costs one volatile read, and nothing more when there are none.
 */
final class PersistentReservations {

    /** PERSISTENT RESERVATION TYPE codes (SPC-4 table "Persistent reservation type codes"). */
    enum Type {
        WRITE_EXCLUSIVE(1),
        EXCLUSIVE_ACCESS(3),
        WRITE_EXCLUSIVE_REGISTRANTS_ONLY(5),
        EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(6),
        WRITE_EXCLUSIVE_ALL_REGISTRANTS(7),
        EXCLUSIVE_ACCESS_ALL_REGISTRANTS(8);

        final int code;

        Type(int code) {
            this.code = code;
        }

        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        boolean allRegistrants() {
            return this == WRITE_EXCLUSIVE_ALL_REGISTRANTS || this == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        }

        boolean registrantsOnly() {
            return this == WRITE_EXCLUSIVE_REGISTRANTS_ONLY || this == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY;
        }

        boolean exclusiveAccess() {
            return this == EXCLUSIVE_ACCESS || this == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY
                    || this == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        }
    }

    /** How a PERSISTENT RESERVE OUT or RESERVE/RELEASE ended, when not with sense data. */
    enum Outcome { GOOD, CONFLICT }

    /**
     * What a change asks of the world outside the lock: unit attentions for I_T nexuses, and the
     * I_T nexuses whose commands already past the reservation check must finish before PREEMPT AND
     * ABORT completes.
     */
    record Effects(List<Notice> notices, List<InitiatorPort> drain) {
        static Effects none() {
            return new Effects(new ArrayList<>(), new ArrayList<>());
        }
    }

    record Notice(InitiatorPort port, UnitAttention attention) {}

    /** The immutable state the command path reads; {@link #EMPTY} when there is nothing. */
    record View(long deviceGeneration, Map<InitiatorPort, Long> registrations, InitiatorPort holder, Type type,
            InitiatorPort spc2Holder) {
        static final View EMPTY = new View(-1, Map.of(), null, null, null);

        boolean isEmpty() {
            return registrations.isEmpty() && spc2Holder == null;
        }

        boolean isHolder(InitiatorPort port) {
            return type != null && (type.allRegistrants() ? registrations.containsKey(port) : port.equals(holder));
        }
    }

    private final ZramDevice device;

    @GuardedBy("this")
    private long deviceGeneration;
    @GuardedBy("this")
    private final LinkedHashMap<InitiatorPort, Long> registrations = new LinkedHashMap<>();
    /** The holder of a reservation that is not All Registrants; null otherwise. */
    @GuardedBy("this")
    private InitiatorPort holder;
    /** The persistent reservation's type, or null when there is none. */
    @GuardedBy("this")
    private Type type;
    @GuardedBy("this")
    private int prGeneration;
    @GuardedBy("this")
    private InitiatorPort spc2Holder;

    /** Written under the monitor after every change; read lock-free by the command path. */
    private volatile View view = View.EMPTY;

    PersistentReservations(ZramDevice device) {
        this.device = device;
        this.deviceGeneration = device.generation();
    }

    // ------------------------------------------------------------------ the command path

    /**
     * Whether a command of this class from this I_T nexus meets a reservation conflict. Lock-free.
     * State of an older device generation does not count (it is dropped at the next change).
     */
    boolean conflicts(InitiatorPort port, ReservationConflicts.Access access) {
        View v = view;
        if (v.isEmpty() || v.deviceGeneration() != device.generation()) {
            return false;
        }
        if (v.spc2Holder() != null) {
            return !v.spc2Holder().equals(port);
        }
        return ReservationConflicts.conflicts(v.type(), v.isHolder(port), v.registrations().containsKey(port), access);
    }

    /** Whether an SPC-2 reservation of another I_T nexus stands in the way of PERSISTENT RESERVE IN/OUT. */
    boolean heldByOtherSpc2(InitiatorPort port) {
        View v = view;
        return v.spc2Holder() != null && v.deviceGeneration() == device.generation() && !v.spc2Holder().equals(port);
    }

    // ------------------------------------------------------------------ PERSISTENT RESERVE IN

    /** READ KEYS: PRgeneration, ADDITIONAL LENGTH and the keys. */
    synchronized byte[] readKeys() {
        sync();
        byte[] d = new byte[8 + 8 * registrations.size()];
        Cdb.put32(d, 0, prGeneration & 0xFFFF_FFFFL);
        Cdb.put32(d, 4, 8L * registrations.size());
        int p = 8;
        for (long key : registrations.values()) {
            Cdb.put64(d, p, key);
            p += 8;
        }
        return d;
    }

    /**
     * READ RESERVATION: PRgeneration, ADDITIONAL LENGTH 0 or 16, and the reservation: the holder's
     * key (0 for an All Registrants type, SPC-4), SCOPE 0h (LU) and TYPE.
     */
    synchronized byte[] readReservation() {
        sync();
        if (type == null) {
            byte[] d = new byte[8];
            Cdb.put32(d, 0, prGeneration & 0xFFFF_FFFFL);
            return d;
        }
        byte[] d = new byte[24];
        Cdb.put32(d, 0, prGeneration & 0xFFFF_FFFFL);
        Cdb.put32(d, 4, 16);
        Cdb.put64(d, 8, type.allRegistrants() ? 0 : registrations.get(holder));
        d[21] = (byte) type.code; // SCOPE 0h (LU_SCOPE), TYPE
        return d;
    }

    /**
     * REPORT CAPABILITIES (8 bytes): CRH=0, SIP_C=0 (SPEC_I_PT refused), ATP_C=1 (ALL_TG_PT: the
     * one target port), PTPL_C=0; TMV=1 with every type valid; PTPL_A=0; ALLOW COMMANDS 000b.
     */
    static byte[] reportCapabilities() {
        byte[] d = new byte[8];
        Cdb.put16(d, 0, 8);
        d[2] = 0x04; // ATP_C
        d[3] = (byte) 0x80; // TMV
        d[4] = (byte) 0xEA; // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
        d[5] = 0x01; // EX_AC_AR
        return d;
    }

    /**
     * READ FULL STATUS: a descriptor per registration: key, ALL_TG_PT 0, R_HOLDER, SCOPE/TYPE for a
     * holder, RELATIVE TARGET PORT IDENTIFIER 1 and the I_T nexus's TransportID.
     */
    synchronized byte[] readFullStatus() {
        sync();
        List<byte[]> descriptors = new ArrayList<>();
        int total = 0;
        for (Map.Entry<InitiatorPort, Long> e : registrations.entrySet()) {
            byte[] tid = e.getKey().transportId();
            byte[] d = new byte[24 + tid.length];
            Cdb.put64(d, 0, e.getValue());
            boolean isHolder = type != null && (type.allRegistrants() || e.getKey().equals(holder));
            if (isHolder) {
                d[12] = 0x01; // R_HOLDER
                d[13] = (byte) type.code;
            }
            Cdb.put16(d, 18, 1); // RELATIVE TARGET PORT IDENTIFIER
            Cdb.put32(d, 20, tid.length);
            System.arraycopy(tid, 0, d, 24, tid.length);
            descriptors.add(d);
            total += d.length;
        }
        byte[] out = new byte[8 + total];
        Cdb.put32(out, 0, prGeneration & 0xFFFF_FFFFL);
        Cdb.put32(out, 4, total);
        int p = 8;
        for (byte[] d : descriptors) {
            System.arraycopy(d, 0, out, p, d.length);
            p += d.length;
        }
        return out;
    }

    // ------------------------------------------------------------------ PERSISTENT RESERVE OUT

    /**
     * REGISTER (ignore = false) and REGISTER AND IGNORE EXISTING KEY (ignore = true).
     * Unregistered: a reservation key other than 0 conflicts (REGISTER only); a SARK of 0 does
     * nothing; else the key is registered. Registered: a wrong key conflicts (REGISTER only); SARK 0
     * unregisters (see {@link #unregisterLocked}); else the key is replaced.
     */
    synchronized Outcome register(InitiatorPort port, long key, long sark, boolean ignore, Effects fx) {
        sync();
        Long current = registrations.get(port);
        if (current == null) {
            if (!ignore && key != 0) {
                return Outcome.CONFLICT;
            }
            if (sark == 0) {
                return Outcome.GOOD; // nothing to register, nothing changed, PRgeneration unchanged
            }
            registrations.put(port, sark);
        } else {
            if (!ignore && key != current) {
                return Outcome.CONFLICT;
            }
            if (sark == 0) {
                unregisterLocked(port, fx);
            } else {
                registrations.put(port, sark);
            }
        }
        prGeneration++;
        publish();
        return Outcome.GOOD;
    }

    /**
     * Removes a registration. A holder that unregisters releases a reservation that is not All
     * Registrants (RESERVATIONS RELEASED to the other registrants for the Registrants Only types);
     * an All Registrants reservation ends with its last registrant.
     */
    @GuardedBy("this")
    private void unregisterLocked(InitiatorPort port, Effects fx) {
        registrations.remove(port);
        if (type == null) {
            return;
        }
        if (type.allRegistrants()) {
            if (registrations.isEmpty()) {
                type = null;
            }
        } else if (port.equals(holder)) {
            if (type.registrantsOnly()) {
                notice(registrations.keySet(), null, UnitAttention.RESERVATIONS_RELEASED, fx);
            }
            type = null;
            holder = null;
        }
    }

    /**
     * RESERVE: the I_T nexus must be registered with this key. No reservation: it takes one of
     * this type. Its own reservation of the same type (for All Registrants: any registrant, the
     * same type): nothing to do. Anything else conflicts.
     */
    synchronized Outcome reserve(InitiatorPort port, long key, Type requested) {
        sync();
        Long current = registrations.get(port);
        if (current == null || current != key) {
            return Outcome.CONFLICT;
        }
        if (type == null) {
            type = requested;
            holder = requested.allRegistrants() ? null : port;
            publish();
            return Outcome.GOOD;
        }
        boolean isHolder = type.allRegistrants() || port.equals(holder);
        return isHolder && type == requested ? Outcome.GOOD : Outcome.CONFLICT;
    }

    /**
     * RELEASE: the I_T nexus must be registered with this key. Not the holder, or no reservation:
     * nothing to do (GOOD). The holder with another type: 05/26/04 INVALID RELEASE OF PERSISTENT
     * RESERVATION. Else the reservation ends, and for the Registrants Only and All Registrants
     * types the other registrants get RESERVATIONS RELEASED.
     */
    synchronized Outcome release(InitiatorPort port, long key, Type requested, Effects fx) {
        sync();
        Long current = registrations.get(port);
        if (current == null || current != key) {
            return Outcome.CONFLICT;
        }
        if (type == null || !(type.allRegistrants() || port.equals(holder))) {
            return Outcome.GOOD;
        }
        if (type != requested) {
            throw new ScsiError(SenseData.ILLEGAL_REQUEST, 0x26, 0x04);
        }
        if (type.registrantsOnly() || type.allRegistrants()) {
            notice(registrations.keySet(), port, UnitAttention.RESERVATIONS_RELEASED, fx);
        }
        type = null;
        holder = null;
        publish();
        return Outcome.GOOD;
    }

    /** CLEAR: every registration and the reservation go; the others get RESERVATIONS PREEMPTED. */
    synchronized Outcome clear(InitiatorPort port, long key, Effects fx) {
        sync();
        Long current = registrations.get(port);
        if (current == null || current != key) {
            return Outcome.CONFLICT;
        }
        notice(registrations.keySet(), port, UnitAttention.RESERVATIONS_PREEMPTED, fx);
        registrations.clear();
        type = null;
        holder = null;
        prGeneration++;
        publish();
        return Outcome.GOOD;
    }

    /**
     * PREEMPT and PREEMPT AND ABORT (SPC-4 "Preempting"). The I_T nexus must be registered with this
     * key. The registrations with the SARK are removed, never the preempting I_T nexus's own
     * (REGISTRATIONS PREEMPTED to each removed one):
     * <ul>
     *   <li>no reservation: only that; no registration with the SARK conflicts;</li>
     *   <li>an All Registrants reservation and SARK 0: every other registration goes and the
     *       preempting I_T nexus holds a new reservation of the requested type;</li>
     *   <li>an All Registrants reservation and another SARK, or a reservation held with another key:
     *       only the removal (none removed: conflict);</li>
     *   <li>the SARK is the holder's key: the removal, then the preempting I_T nexus holds a new
     *       reservation of the requested type; if the type changed, the registrants left get
     *       RESERVATIONS RELEASED.</li>
     * </ul>
     * A SARK of 0 is 05/26/00 except in the All Registrants case. With {@code abort}, the removed
     * I_T nexuses are listed in {@link Effects#drain()}: the caller waits for their commands that
     * passed the reservation check before it answers.
     */
    synchronized Outcome preempt(InitiatorPort port, long key, long sark, Type requested, boolean abort, Effects fx) {
        sync();
        Long current = registrations.get(port);
        if (current == null || current != key) {
            return Outcome.CONFLICT;
        }
        boolean allRegistrantsZero = type != null && type.allRegistrants() && sark == 0;
        if (sark == 0 && !allRegistrantsZero) {
            throw ScsiError.invalidFieldInParameterList(8, -1);
        }
        if (allRegistrantsZero) {
            List<InitiatorPort> removed = removeWhere(p -> !p.equals(port));
            preempted(removed, abort, fx);
            type = requested;
            holder = requested.allRegistrants() ? null : port;
        } else {
            boolean holderPreempted = type != null && !type.allRegistrants() && registrations.get(holder) == sark;
            List<InitiatorPort> removed = removeWhere(p -> !p.equals(port) && registrations.get(p) == sark);
            if (removed.isEmpty() && !holderPreempted) {
                return Outcome.CONFLICT;
            }
            preempted(removed, abort, fx);
            if (holderPreempted) {
                Type old = type;
                type = requested;
                holder = requested.allRegistrants() ? null : port;
                if (old != requested) {
                    notice(registrations.keySet(), port, UnitAttention.RESERVATIONS_RELEASED, fx);
                }
            } else if (type != null && type.allRegistrants() && registrations.isEmpty()) {
                type = null;
            }
        }
        prGeneration++;
        publish();
        return Outcome.GOOD;
    }

    @GuardedBy("this")
    private List<InitiatorPort> removeWhere(java.util.function.Predicate<InitiatorPort> which) {
        List<InitiatorPort> removed = new ArrayList<>();
        for (InitiatorPort p : registrations.keySet()) {
            if (which.test(p)) {
                removed.add(p);
            }
        }
        removed.forEach(registrations::remove);
        return removed;
    }

    private static void preempted(List<InitiatorPort> removed, boolean abort, Effects fx) {
        for (InitiatorPort p : removed) {
            fx.notices().add(new Notice(p, UnitAttention.REGISTRATIONS_PREEMPTED));
            if (abort) {
                fx.drain().add(p);
            }
        }
    }

    /**
     * REGISTER AND MOVE: the I_T nexus must hold a reservation that is not All Registrants, with
     * this key (else conflict). The destination I_T nexus is registered with the SARK (replacing
     * its key) and becomes the holder; with {@code unregister} the source's registration goes.
     * SARK 0 or a destination equal to the source: 05/26/00.
     */
    synchronized Outcome registerAndMove(InitiatorPort port, long key, long sark, InitiatorPort destination,
            boolean unregister) {
        sync();
        Long current = registrations.get(port);
        if (current == null || current != key || type == null || type.allRegistrants() || !port.equals(holder)) {
            return Outcome.CONFLICT;
        }
        if (sark == 0) {
            throw ScsiError.invalidFieldInParameterList(8, -1);
        }
        if (destination.equals(port)) {
            throw ScsiError.invalidFieldInParameterList(24, -1);
        }
        registrations.put(destination, sark);
        holder = destination;
        if (unregister) {
            registrations.remove(port);
        }
        prGeneration++;
        publish();
        return Outcome.GOOD;
    }

    // ------------------------------------------------------------------ RESERVE / RELEASE (SPC-2)

    /** RESERVE(6)/(10): conflicts with registrations and with another I_T nexus's reservation. */
    synchronized Outcome reserveSpc2(InitiatorPort port) {
        sync();
        if (!registrations.isEmpty() || (spc2Holder != null && !spc2Holder.equals(port))) {
            return Outcome.CONFLICT;
        }
        spc2Holder = port;
        publish();
        return Outcome.GOOD;
    }

    /** RELEASE(6)/(10): ends the I_T nexus's own reservation; from anyone else a no-op; conflicts with registrations. */
    synchronized Outcome releaseSpc2(InitiatorPort port) {
        sync();
        if (!registrations.isEmpty()) {
            return Outcome.CONFLICT;
        }
        if (port.equals(spc2Holder)) {
            spc2Holder = null;
            publish();
        }
        return Outcome.GOOD;
    }

    /** The I_T nexus is gone (logout, connection loss): its SPC-2 reservation ends. Registrations stay. */
    synchronized void nexusLost(InitiatorPort port) {
        if (port.equals(spc2Holder)) {
            spc2Holder = null;
            publish();
        }
    }

    /** LOGICAL UNIT RESET or a target reset: the SPC-2 reservation ends; persistent reservations stay. */
    synchronized void reset() {
        if (spc2Holder != null) {
            spc2Holder = null;
            publish();
        }
    }

    // ------------------------------------------------------------------ state

    /** Under the monitor: drops the state of an older device generation (the device was reset). */
    @GuardedBy("this")
    private void sync() {
        long now = device.generation();
        if (now != deviceGeneration) {
            deviceGeneration = now;
            registrations.clear();
            type = null;
            holder = null;
            spc2Holder = null;
            prGeneration = 0;
            publish();
        }
    }

    @GuardedBy("this")
    private void publish() {
        view = registrations.isEmpty() && spc2Holder == null ? View.EMPTY
                : new View(deviceGeneration, Map.copyOf(registrations), holder, type, spc2Holder);
    }

    @GuardedBy("this")
    private static void notice(Set<InitiatorPort> ports, InitiatorPort except, UnitAttention ua, Effects fx) {
        for (InitiatorPort p : ports) {
            if (!p.equals(except)) {
                fx.notices().add(new Notice(p, ua));
            }
        }
    }

    /** The state in one line, for logs and tests. */
    @Override
    public synchronized String toString() {
        return "registrations " + registrations + ", reservation " + (type == null ? "none" : type + " held by "
                + (type.allRegistrants() ? "all registrants" : holder)) + ", spc2 " + spc2Holder
                + ", PRgeneration " + prGeneration;
    }
}
