package io.jzram.target.scsi;

/**
 * Which commands a reservation lets through: the tables "SPC commands that are allowed in the
 * presence of various reservations" (SPC-4, persistent reservations) and its SBC-3 counterpart for
 * the block commands, as data, and the one rule that reads them.
 *
 * <p>Every operation code is in one of three classes:
 * <ul>
 *   <li>{@link Access#ANY}: allowed whatever the reservation (INQUIRY, REPORT LUNS, REQUEST SENSE,
 *       TEST UNIT READY, READ CAPACITY, REPORT SUPPORTED OPERATION CODES, PERSISTENT RESERVE IN).
 *       PERSISTENT RESERVE OUT and RESERVE/RELEASE follow rules of their own
 *       ({@link PersistentReservations}).</li>
 *   <li>{@link Access#READ}: reads the medium or its state (READ, VERIFY, PRE-FETCH, GET LBA
 *       STATUS, READ DEFECT DATA, MODE SENSE, RECEIVE COPY RESULTS): conflicts only under the
 *       Exclusive Access types.</li>
 *   <li>{@link Access#WRITE}: changes the medium or the LU (WRITE, WRITE AND VERIFY, WRITE SAME,
 *       UNMAP, SYNCHRONIZE CACHE, COMPARE AND WRITE, ORWRITE, WRITE ATOMIC, EXTENDED COPY, MODE
 *       SELECT, START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL): conflicts under every type.</li>
 * </ul>
 * An I_T nexus that holds the reservation is never in conflict; under the Registrants Only and All
 * Registrants types neither is any registered I_T nexus (SPC-4: for All Registrants every
 * registrant is a holder; for Registrants Only every registrant has full access). Everybody else
 * is in conflict for WRITE under every type and for READ under EA, EA-RO and EA-AR.
 *
 * <p>A reservation made with RESERVE(6)/(10) (SPC-2) lets the I_T nexus that holds it do anything
 * and every other one only INQUIRY, REPORT LUNS, REQUEST SENSE (answered before this check) and
 * RELEASE (a no-op for it).
 */
final class ReservationConflicts {
    private ReservationConflicts() {}

    enum Access { ANY, READ, WRITE }

    private static final Access[] BY_OPCODE = new Access[256];

    static {
        java.util.Arrays.fill(BY_OPCODE, Access.WRITE); // an opcode not listed is treated as the strictest class
        for (int op : new int[] {0x00, 0x03, 0x12, 0x25, 0xA0, 0xA3, 0x5E}) {
            BY_OPCODE[op] = Access.ANY; // TUR, REQUEST SENSE, INQUIRY, READ CAPACITY(10), REPORT LUNS, MAINTENANCE IN, PR IN
        }
        for (int op : new int[] {
            0x08, 0x28, 0xA8, 0x88, // READ(6/10/12/16)
            0x2F, 0xAF, 0x8F, // VERIFY(10/12/16)
            0x34, 0x90, // PRE-FETCH(10/16)
            0x37, 0xB7, // READ DEFECT DATA(10/12)
            0x1A, 0x5A, // MODE SENSE(6/10)
            0x84, // RECEIVE COPY RESULTS
        }) {
            BY_OPCODE[op] = Access.READ;
        }
    }

    /**
     * The class of a command. SERVICE ACTION IN(16) 9Eh: READ CAPACITY(16) is {@link Access#ANY},
     * GET LBA STATUS {@link Access#READ}.
     */
    static Access access(byte[] cdb) {
        int op = cdb[0] & 0xFF;
        if (op == Cdb.SERVICE_ACTION_IN_16) {
            return (cdb[1] & 0x1F) == Cdb.SA_READ_CAPACITY_16 ? Access.ANY : Access.READ;
        }
        return BY_OPCODE[op];
    }

    /**
     * The rule for persistent reservations.
     *
     * @param type the reservation in force, or null for none
     * @param holder whether the I_T nexus holds it
     * @param registered whether the I_T nexus is registered
     */
    static boolean conflicts(PersistentReservations.Type type, boolean holder, boolean registered, Access access) {
        if (type == null || access == Access.ANY || holder) {
            return false;
        }
        if (registered && (type.registrantsOnly() || type.allRegistrants())) {
            return false;
        }
        return access == Access.WRITE || type.exclusiveAccess();
    }
}
