package io.jzram.target.iscsi;

import java.nio.ByteBuffer;

/**
 * The iSCSI Basic Header Segment (RFC 7143 §11.2.1): field offsets and accessors over a 48-byte
 * region of a {@link ByteBuffer}, absolute indexing from the buffer's index 0.
 *
 * <p>Why not jSCSI's {@code BasicHeaderSegment}/parsers: those decode every header into a fresh
 * object graph (parser, AHS list, heap data-segment copy) per PDU. On the data path we only ever
 * need a handful of 32-bit fields, so we read them in place from the reader's (direct) header
 * buffer and write them in place into the writer's header scratch: no allocation, no copy. The
 * opcode constants below are checked against jSCSI's {@code OperationCode} in the tests.
 *
 * <p>All multi-byte fields are big-endian (network order), which is {@link ByteBuffer}'s default.
 */
final class Bhs {
    private Bhs() {}

    static final int LENGTH = 48;

    // Initiator opcodes (byte 0, low 6 bits)
    static final int OP_NOP_OUT = 0x00;
    static final int OP_SCSI_CMD = 0x01;
    static final int OP_TMF_REQ = 0x02;
    static final int OP_LOGIN_REQ = 0x03;
    static final int OP_TEXT_REQ = 0x04;
    static final int OP_DATA_OUT = 0x05;
    static final int OP_LOGOUT_REQ = 0x06;
    static final int OP_SNACK = 0x10;

    // Target opcodes
    static final int OP_NOP_IN = 0x20;
    static final int OP_SCSI_RESP = 0x21;
    static final int OP_TMF_RESP = 0x22;
    static final int OP_LOGIN_RESP = 0x23;
    static final int OP_TEXT_RESP = 0x24;
    static final int OP_DATA_IN = 0x25;
    static final int OP_LOGOUT_RESP = 0x26;
    static final int OP_R2T = 0x31;
    static final int OP_ASYNC = 0x32;
    static final int OP_REJECT = 0x3f;

    /** The reserved tag value: "no task" / "no target transfer". */
    static final int RESERVED_TAG = 0xffffffff;

    // Common offsets
    static final int OPCODE = 0;
    static final int FLAGS = 1;
    static final int TOTAL_AHS_LENGTH = 4;
    static final int DATA_SEGMENT_LENGTH = 5; // 3 bytes
    static final int LUN = 8;
    static final int ITT = 16;
    static final int TTT = 20; // also: EDTL (SCSI cmd), CID (login/logout), RTT (TMF), SNACK tag
    static final int CMD_SN = 24; // initiator PDUs; StatSN in target PDUs
    static final int STAT_SN = 24;
    static final int EXP_STAT_SN = 28; // initiator PDUs; ExpCmdSN in target PDUs
    static final int EXP_CMD_SN = 28;
    static final int MAX_CMD_SN = 32;
    static final int DATA_SN = 36; // also R2TSN, ExpDataSN, RefCmdSN is 32 in TMF
    static final int BUFFER_OFFSET = 40;
    static final int RESIDUAL = 44; // also DDTL in R2T
    static final int CDB = 32; // 16 bytes in SCSI Command

    // SCSI Command
    static final int EDTL = 20;
    static final int CMD_CMDSN = 24;
    static final int CMD_EXP_STATSN = 28;

    static int opcode(ByteBuffer b) {
        return b.get(OPCODE) & 0x3f;
    }

    static boolean immediate(ByteBuffer b) {
        return (b.get(OPCODE) & 0x40) != 0;
    }

    static int flags(ByteBuffer b) {
        return b.get(FLAGS) & 0xff;
    }

    static boolean finalBit(ByteBuffer b) {
        return (b.get(FLAGS) & 0x80) != 0;
    }

    static int totalAhsWords(ByteBuffer b) {
        return b.get(TOTAL_AHS_LENGTH) & 0xff;
    }

    static int dataSegmentLength(ByteBuffer b) {
        return ((b.get(5) & 0xff) << 16) | ((b.get(6) & 0xff) << 8) | (b.get(7) & 0xff);
    }

    static void setDataSegmentLength(ByteBuffer b, int length) {
        b.put(5, (byte) (length >>> 16));
        b.put(6, (byte) (length >>> 8));
        b.put(7, (byte) length);
    }

    static int int32(ByteBuffer b, int offset) {
        return b.getInt(offset);
    }

    static int uint16(ByteBuffer b, int offset) {
        return b.getShort(offset) & 0xffff;
    }

    /**
     * The LUN field decoded per SAM-5 single level addressing: peripheral (00b) and flat (01b)
     * methods both give {@code (byte0 & 0x3f) << 8 | byte1}; other methods give -1.
     */
    static long lun(ByteBuffer b) {
        int b0 = b.get(LUN) & 0xff;
        int method = b0 >>> 6;
        if (method > 1) {
            return -1;
        }
        return ((long) (b0 & 0x3f) << 8) | (b.get(LUN + 1) & 0xff);
    }

    /** Copies the 8 raw LUN bytes (responses echo the initiator's encoding). */
    static long rawLun(ByteBuffer b) {
        return b.getLong(LUN);
    }

    /** 1 if a is after b, -1 if before, 0 if equal: RFC 1982 serial number arithmetic on 32 bits. */
    static int serialCompare(int a, int b) {
        if (a == b) {
            return 0;
        }
        return (a - b) > 0 ? 1 : -1;
    }

    static String hex(ByteBuffer b, int from, int length) {
        StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            sb.append(String.format("%02x", b.get(from + i) & 0xff));
        }
        return sb.toString();
    }
}
