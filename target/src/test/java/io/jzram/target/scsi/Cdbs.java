package io.jzram.target.scsi;

/** CDB builders for the tests: each command as an initiator would encode it. */
final class Cdbs {
    private Cdbs() {}

    static byte[] testUnitReady() {
        return new byte[6];
    }

    static byte[] requestSense(int allocation) {
        return new byte[] {0x03, 0, 0, 0, (byte) allocation, 0};
    }

    static byte[] inquiry(boolean evpd, int page, int allocation) {
        byte[] c = {0x12, (byte) (evpd ? 1 : 0), (byte) page, 0, 0, 0};
        Cdb.put16(c, 3, allocation);
        return c;
    }

    static byte[] reportLuns(int select, long allocation) {
        byte[] c = new byte[12];
        c[0] = (byte) 0xA0;
        c[2] = (byte) select;
        Cdb.put32(c, 6, allocation);
        return c;
    }

    static byte[] read6(int lba, int blocks) {
        return rw6(0x08, lba, blocks);
    }

    static byte[] write6(int lba, int blocks) {
        return rw6(0x0A, lba, blocks);
    }

    private static byte[] rw6(int op, int lba, int blocks) {
        return new byte[] {(byte) op, (byte) ((lba >>> 16) & 0x1F), (byte) (lba >>> 8), (byte) lba, (byte) blocks, 0};
    }

    static byte[] read10(long lba, int blocks) {
        return lba10(0x28, lba, blocks);
    }

    static byte[] write10(long lba, int blocks) {
        return lba10(0x2A, lba, blocks);
    }

    static byte[] verify10(long lba, int blocks, int bytchk) {
        byte[] c = lba10(0x2F, lba, blocks);
        c[1] = (byte) (bytchk << 1);
        return c;
    }

    static byte[] synchronizeCache10(long lba, int blocks) {
        return lba10(0x35, lba, blocks);
    }

    static byte[] writeSame10(long lba, int blocks, boolean unmap) {
        byte[] c = lba10(0x41, lba, blocks);
        c[1] = (byte) (unmap ? 0x08 : 0);
        return c;
    }

    private static byte[] lba10(int op, long lba, int blocks) {
        byte[] c = new byte[10];
        c[0] = (byte) op;
        Cdb.put32(c, 2, lba);
        Cdb.put16(c, 7, blocks);
        return c;
    }

    static byte[] read12(long lba, long blocks) {
        return lba12(0xA8, lba, blocks);
    }

    static byte[] write12(long lba, long blocks) {
        return lba12(0xAA, lba, blocks);
    }

    private static byte[] lba12(int op, long lba, long blocks) {
        byte[] c = new byte[12];
        c[0] = (byte) op;
        Cdb.put32(c, 2, lba);
        Cdb.put32(c, 6, blocks);
        return c;
    }

    static byte[] read16(long lba, long blocks) {
        return lba16(0x88, lba, blocks);
    }

    static byte[] write16(long lba, long blocks) {
        return lba16(0x8A, lba, blocks);
    }

    static byte[] verify16(long lba, long blocks, int bytchk) {
        byte[] c = lba16(0x8F, lba, blocks);
        c[1] = (byte) (bytchk << 1);
        return c;
    }

    static byte[] synchronizeCache16(long lba, long blocks) {
        return lba16(0x91, lba, blocks);
    }

    static byte[] writeSame16(long lba, long blocks, boolean unmap, boolean ndob) {
        byte[] c = lba16(0x93, lba, blocks);
        c[1] = (byte) ((unmap ? 0x08 : 0) | (ndob ? 0x01 : 0));
        return c;
    }

    private static byte[] lba16(int op, long lba, long blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) op;
        Cdb.put64(c, 2, lba);
        Cdb.put32(c, 10, blocks);
        return c;
    }

    static byte[] readCapacity10() {
        return new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    }

    static byte[] readCapacity16(long allocation) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x9E;
        c[1] = 0x10;
        Cdb.put32(c, 10, allocation);
        return c;
    }

    static byte[] unmap(int parameterListLength) {
        byte[] c = new byte[10];
        c[0] = 0x42;
        Cdb.put16(c, 7, parameterListLength);
        return c;
    }

    /** An UNMAP parameter list: ranges as {lba, blocks} pairs. */
    static byte[] unmapList(long[]... ranges) {
        byte[] l = new byte[8 + 16 * ranges.length];
        Cdb.put16(l, 0, l.length - 2);
        Cdb.put16(l, 2, 16 * ranges.length);
        for (int i = 0; i < ranges.length; i++) {
            Cdb.put64(l, 8 + 16 * i, ranges[i][0]);
            Cdb.put32(l, 8 + 16 * i + 8, ranges[i][1]);
        }
        return l;
    }

    static byte[] modeSense6(boolean dbd, int pc, int page, int subpage, int allocation) {
        return new byte[] {0x1A, (byte) (dbd ? 0x08 : 0), (byte) (pc << 6 | page), (byte) subpage, (byte) allocation, 0};
    }

    static byte[] modeSense10(boolean llbaa, boolean dbd, int pc, int page, int subpage, int allocation) {
        byte[] c = new byte[10];
        c[0] = 0x5A;
        c[1] = (byte) ((llbaa ? 0x10 : 0) | (dbd ? 0x08 : 0));
        c[2] = (byte) (pc << 6 | page);
        c[3] = (byte) subpage;
        Cdb.put16(c, 7, allocation);
        return c;
    }

    static byte[] modeSelect6(boolean pf, boolean sp, int length) {
        return new byte[] {0x15, (byte) ((pf ? 0x10 : 0) | (sp ? 1 : 0)), 0, 0, (byte) length, 0};
    }

    static byte[] modeSelect10(boolean pf, boolean sp, int length) {
        byte[] c = new byte[10];
        c[0] = 0x55;
        c[1] = (byte) ((pf ? 0x10 : 0) | (sp ? 1 : 0));
        Cdb.put16(c, 7, length);
        return c;
    }

    static byte[] startStopUnit(boolean start) {
        return new byte[] {0x1B, 0, 0, 0, (byte) (start ? 1 : 0), 0};
    }

    static byte[] preventAllowMediumRemoval(boolean prevent) {
        return new byte[] {0x1E, 0, 0, 0, (byte) (prevent ? 1 : 0), 0};
    }

    static byte[] reportSupportedOpcodes(int options, int opcode, int sa, long allocation) {
        byte[] c = new byte[12];
        c[0] = (byte) 0xA3;
        c[1] = 0x0C;
        c[2] = (byte) options;
        c[3] = (byte) opcode;
        Cdb.put16(c, 4, sa);
        Cdb.put32(c, 6, allocation);
        return c;
    }
}
