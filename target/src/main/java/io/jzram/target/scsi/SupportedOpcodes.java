package io.jzram.target.scsi;

import static io.jzram.target.scsi.Cdb.*;

import java.util.List;

/**
 * The commands this device server implements and REPORT SUPPORTED OPERATION CODES (SPC-4 6.35).
 *
 * <p>CDB USAGE DATA marks the bits the device server evaluates and acts on. Fields that are only
 * checked to be zero (RDPROTECT/WRPROTECT/VRPROTECT, ANCHOR, the control byte's NACA) are treated
 * as reserved and shown as 0, so an initiator can tell from the map which features exist. Linux
 * asks for WRITE SAME(10/16) with reporting options 001b to decide whether to use WRITE SAME.
 */
final class SupportedOpcodes {
    private SupportedOpcodes() {}

    /** One supported command: operation code, service action (-1 none) and CDB usage data. */
    record Command(int opcode, int serviceAction, byte[] usage) {
        int cdbLength() {
            return usage.length;
        }
    }

    static final List<Command> COMMANDS = List.of(
            cmd(TEST_UNIT_READY, -1, 0x00, 0, 0, 0, 0, 0),
            cmd(REQUEST_SENSE, -1, 0x03, 0, 0, 0, 0xFF, 0),
            cmd(READ_6, -1, 0x08, 0x1F, 0xFF, 0xFF, 0xFF, 0),
            cmd(WRITE_6, -1, 0x0A, 0x1F, 0xFF, 0xFF, 0xFF, 0),
            cmd(INQUIRY, -1, 0x12, 0x01, 0xFF, 0xFF, 0xFF, 0),
            cmd(MODE_SELECT_6, -1, 0x15, 0x10, 0, 0, 0xFF, 0),
            cmd(0x16, -1, 0x16, 0, 0, 0, 0, 0),
            cmd(0x17, -1, 0x17, 0, 0, 0, 0, 0),
            cmd(MODE_SENSE_6, -1, 0x1A, 0x08, 0xFF, 0xFF, 0xFF, 0),
            cmd(START_STOP_UNIT, -1, 0x1B, 0, 0, 0, 0, 0),
            cmd(PREVENT_ALLOW_MEDIUM_REMOVAL, -1, 0x1E, 0, 0, 0, 0, 0),
            cmd(READ_CAPACITY_10, -1, 0x25, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x01, 0),
            cmd(READ_10, -1, 0x28, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0),
            cmd(WRITE_10, -1, 0x2A, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0),
            cmd(WRITE_AND_VERIFY_10, -1, 0x2E, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0),
            cmd(VERIFY_10, -1, 0x2F, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0),
            cmd(PRE_FETCH_10, -1, 0x34, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0),
            cmd(SYNCHRONIZE_CACHE_10, -1, 0x35, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0),
            cmd(READ_DEFECT_DATA_10, -1, 0x37, 0, 0x1F, 0, 0, 0, 0, 0xFF, 0xFF, 0),
            cmd(WRITE_SAME_10, -1, 0x41, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0),
            cmd(UNMAP, -1, 0x42, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0),
            cmd(MODE_SELECT_10, -1, 0x55, 0x10, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0),
            cmd(0x56, -1, 0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            cmd(0x57, -1, 0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            cmd(MODE_SENSE_10, -1, 0x5A, 0x18, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0),
            cmd(0x5E, 0x00, 0x5E, 0x1F, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0),
            cmd(0x5E, 0x01, 0x5E, 0x1F, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0),
            cmd(0x5E, 0x02, 0x5E, 0x1F, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0),
            cmd(0x5E, 0x03, 0x5E, 0x1F, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0),
            cmd(0x5F, 0x00, 0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
            cmd(0x5F, 0x01, 0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
            cmd(0x5F, 0x02, 0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
            cmd(0x5F, 0x03, 0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
            cmd(0x5F, 0x04, 0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
            cmd(0x5F, 0x05, 0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
            cmd(0x5F, 0x06, 0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
            cmd(0x5F, 0x07, 0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
            cmd(READ_16, -1, 0x88, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(WRITE_16, -1, 0x8A, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(WRITE_AND_VERIFY_16, -1, 0x8E, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(VERIFY_16, -1, 0x8F, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(PRE_FETCH_16, -1, 0x90, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(SYNCHRONIZE_CACHE_16, -1, 0x91, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(WRITE_SAME_16, -1, 0x93, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(SERVICE_ACTION_IN_16, SA_READ_CAPACITY_16, 0x9E, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0),
            cmd(SERVICE_ACTION_IN_16, SA_GET_LBA_STATUS, 0x9E, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(REPORT_LUNS, -1, 0xA0, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(MAINTENANCE_IN, SA_REPORT_SUPPORTED_OPCODES, 0xA3, 0x1F, 0x87, 0xFF, 0xFF, 0xFF,
                    0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(READ_12, -1, 0xA8, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(WRITE_12, -1, 0xAA, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(WRITE_AND_VERIFY_12, -1, 0xAE, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(VERIFY_12, -1, 0xAF, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
            cmd(READ_DEFECT_DATA_12, -1, 0xB7, 0x1F, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0));

    private static final boolean[] HAS_SERVICE_ACTIONS = new boolean[256];
    private static final boolean[] SUPPORTED = new boolean[256];

    static {
        for (Command c : COMMANDS) {
            SUPPORTED[c.opcode()] = true;
            if (c.serviceAction() >= 0) {
                HAS_SERVICE_ACTIONS[c.opcode()] = true;
            }
            if (c.usage().length != Cdb.lengthOf(c.opcode()) || (c.usage()[0] & 0xFF) != c.opcode()) {
                throw new ExceptionInInitializerError("bad usage data for opcode " + c.opcode());
            }
        }
    }

    private static Command cmd(int opcode, int sa, int... usage) {
        byte[] u = new byte[usage.length];
        for (int i = 0; i < usage.length; i++) {
            u[i] = (byte) usage[i];
        }
        return new Command(opcode, sa, u);
    }

    /** True if the operation code is implemented (for some service action). */
    static boolean isSupported(int opcode) {
        return SUPPORTED[opcode];
    }

    /** REPORTING OPTIONS values. */
    static final int ALL = 0b000;
    static final int ONE_NO_SA = 0b001;
    static final int ONE_WITH_SA = 0b010;
    static final int ONE_EITHER = 0b011;

    private static final int TIMEOUTS_DESCRIPTOR_LENGTH = 12;

    /**
     * The parameter data of REPORT SUPPORTED OPERATION CODES, untruncated.
     *
     * @param cdb the MAINTENANCE IN CDB (12 bytes)
     * @throws ScsiError 05/24/00 for reporting options 1xxb, for 001b naming an opcode with
     *     service actions, and for 010b naming one without
     */
    static byte[] report(byte[] cdb) {
        boolean rctd = (cdb[2] & 0x80) != 0;
        int options = cdb[2] & 0x07;
        int opcode = Cdb.u8(cdb, 3);
        int sa = Cdb.u16(cdb, 4);
        return switch (options) {
            case ALL -> all(rctd);
            case ONE_NO_SA -> {
                if (HAS_SERVICE_ACTIONS[opcode]) {
                    throw ScsiError.invalidFieldInCdb(2, 2);
                }
                yield one(find(opcode, -1), rctd);
            }
            case ONE_WITH_SA -> {
                if (!HAS_SERVICE_ACTIONS[opcode] && SUPPORTED[opcode]) {
                    throw ScsiError.invalidFieldInCdb(2, 2);
                }
                yield one(find(opcode, sa), rctd);
            }
            case ONE_EITHER -> one(find(opcode, HAS_SERVICE_ACTIONS[opcode] ? sa : -1), rctd);
            default -> throw ScsiError.invalidFieldInCdb(2, 2);
        };
    }

    private static Command find(int opcode, int sa) {
        for (Command c : COMMANDS) {
            if (c.opcode() == opcode && c.serviceAction() == sa) {
                return c;
            }
        }
        return null;
    }

    private static byte[] all(boolean rctd) {
        int each = 8 + (rctd ? TIMEOUTS_DESCRIPTOR_LENGTH : 0);
        byte[] d = new byte[4 + each * COMMANDS.size()];
        Cdb.put32(d, 0, d.length - 4);
        int p = 4;
        for (Command c : COMMANDS) {
            d[p] = (byte) c.opcode();
            Cdb.put16(d, p + 2, Math.max(c.serviceAction(), 0));
            d[p + 5] = (byte) ((rctd ? 0x02 : 0) | (c.serviceAction() >= 0 ? 0x01 : 0)); // CTDP, SERVACTV
            Cdb.put16(d, p + 6, c.cdbLength());
            if (rctd) {
                timeouts(d, p + 8);
            }
            p += each;
        }
        return d;
    }

    private static byte[] one(Command c, boolean rctd) {
        if (c == null) {
            byte[] d = new byte[4];
            d[1] = 0x01; // SUPPORT 001b: not supported
            return d;
        }
        byte[] d = new byte[4 + c.cdbLength() + (rctd ? TIMEOUTS_DESCRIPTOR_LENGTH : 0)];
        d[1] = (byte) ((rctd ? 0x80 : 0) | 0x03); // CTDP, SUPPORT 011b: supported as the standard says
        Cdb.put16(d, 2, c.cdbLength());
        System.arraycopy(c.usage(), 0, d, 4, c.cdbLength());
        if (rctd) {
            timeouts(d, 4 + c.cdbLength());
        }
        return d;
    }

    /** A command timeouts descriptor: length 0Ah, no nominal or recommended timeout given (0). */
    private static void timeouts(byte[] d, int p) {
        Cdb.put16(d, p, 0x0A);
    }
}
