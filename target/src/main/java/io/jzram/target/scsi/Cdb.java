package io.jzram.target.scsi;

import java.nio.ByteBuffer;

/**
 * Operation codes, CDB lengths and big-endian field access (SPC-4 4.2). Every multi-byte field in
 * a CDB or in parameter data is big-endian; 32-bit fields are returned as non-negative longs and
 * 64-bit fields as raw longs, which callers treat as unsigned.
 */
final class Cdb {
    private Cdb() {}

    static final int TEST_UNIT_READY = 0x00;
    static final int REQUEST_SENSE = 0x03;
    static final int READ_6 = 0x08;
    static final int WRITE_6 = 0x0A;
    static final int INQUIRY = 0x12;
    static final int MODE_SELECT_6 = 0x15;
    static final int MODE_SENSE_6 = 0x1A;
    static final int START_STOP_UNIT = 0x1B;
    static final int PREVENT_ALLOW_MEDIUM_REMOVAL = 0x1E;
    static final int READ_CAPACITY_10 = 0x25;
    static final int READ_10 = 0x28;
    static final int WRITE_10 = 0x2A;
    static final int WRITE_AND_VERIFY_10 = 0x2E;
    static final int VERIFY_10 = 0x2F;
    static final int PRE_FETCH_10 = 0x34;
    static final int SYNCHRONIZE_CACHE_10 = 0x35;
    static final int READ_DEFECT_DATA_10 = 0x37;
    static final int WRITE_SAME_10 = 0x41;
    static final int UNMAP = 0x42;
    static final int MODE_SELECT_10 = 0x55;
    static final int MODE_SENSE_10 = 0x5A;
    static final int READ_16 = 0x88;
    static final int WRITE_16 = 0x8A;
    static final int WRITE_AND_VERIFY_16 = 0x8E;
    static final int VERIFY_16 = 0x8F;
    static final int PRE_FETCH_16 = 0x90;
    static final int SYNCHRONIZE_CACHE_16 = 0x91;
    static final int WRITE_SAME_16 = 0x93;
    static final int SERVICE_ACTION_IN_16 = 0x9E;
    static final int REPORT_LUNS = 0xA0;
    static final int MAINTENANCE_IN = 0xA3;
    static final int READ_12 = 0xA8;
    static final int WRITE_12 = 0xAA;
    static final int WRITE_AND_VERIFY_12 = 0xAE;
    static final int VERIFY_12 = 0xAF;
    static final int READ_DEFECT_DATA_12 = 0xB7;

    /** SERVICE ACTION IN(16) service action: READ CAPACITY(16). */
    static final int SA_READ_CAPACITY_16 = 0x10;
    /** SERVICE ACTION IN(16) service action: GET LBA STATUS. */
    static final int SA_GET_LBA_STATUS = 0x12;
    /** MAINTENANCE IN service action: REPORT SUPPORTED OPERATION CODES. */
    static final int SA_REPORT_SUPPORTED_OPCODES = 0x0C;

    /**
     * The CDB length implied by the GROUP CODE (the top three bits of the operation code):
     * 6, 10, 10, reserved, 16, 12, vendor specific, vendor specific.
     *
     * @return the length, or -1 for the reserved and vendor-specific groups
     */
    static int lengthOf(int opcode) {
        return switch (opcode >>> 5) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 4 -> 16;
            case 5 -> 12;
            default -> -1;
        };
    }

    /**
     * The LBA and TRANSFER LENGTH (or VERIFICATION / NUMBER OF LOGICAL BLOCKS) of a medium-access
     * CDB, where SBC-3 puts them for its length: 6 bytes (READ/WRITE(6): 21-bit LBA in bytes 1-3,
     * length in byte 4, 0 meaning 256), 10 (LBA 2-5, length 7-8), 12 (LBA 2-5, length 6-9) or 16
     * (LBA 2-9, length 10-13).
     *
     * @param lengthField the byte where the length field starts, for 05/24/00's field pointer
     */
    record Extent(long lba, long blocks, int lengthField) {}

    /** The extent of a READ, WRITE, WRITE AND VERIFY, VERIFY, SYNCHRONIZE CACHE, PRE-FETCH or WRITE SAME CDB. */
    static Extent extent(byte[] cdb) {
        return switch (lengthOf(cdb[0] & 0xFF)) {
            case 6 -> new Extent(u24(cdb, 1) & 0x1F_FFFF, u8(cdb, 4) == 0 ? 256 : u8(cdb, 4), 4);
            case 10 -> new Extent(u32(cdb, 2), u16(cdb, 7), 7);
            case 12 -> new Extent(u32(cdb, 2), u32(cdb, 6), 6);
            case 16 -> new Extent(u64(cdb, 2), u32(cdb, 10), 10);
            default -> throw new IllegalArgumentException("not a medium-access CDB: opcode " + (cdb[0] & 0xFF));
        };
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static int u24(byte[] b, int i) {
        return (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }

    static int u16(ByteBuffer b, int index) {
        return b.getShort(index) & 0xFFFF;
    }

    static long u32(ByteBuffer b, int index) {
        return b.getInt(index) & 0xFFFF_FFFFL;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, long v) {
        put16(b, i, (int) (v >>> 16));
        put16(b, i + 2, (int) v);
    }

    static void put64(byte[] b, int i, long v) {
        put32(b, i, v >>> 32);
        put32(b, i + 4, v);
    }
}
