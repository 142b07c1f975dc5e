package io.jzram.target.scsi;

import java.nio.ByteBuffer;

/**
 * Mode parameters (SPC-4 7.5, SBC-3 6.4): MODE SENSE data and MODE SELECT validation.
 *
 * <p>Pages: caching (08h) with WCE=0 and RCD=0, control (0Ah) with D_SENSE=0 (fixed-format sense),
 * informational exceptions control (1Ch) with DEXCPT=1. No field is changeable: zram has no
 * volatile write cache (a write's data is in the device's memory when the command completes, so
 * SYNCHRONIZE CACHE and FUA have nothing to do), nothing is saved, and sense data is always fixed
 * format. MODE SELECT is therefore accepted exactly when it sets every field to its current value;
 * a list that tries to change anything, or is malformed, gets 05/26/00 with a field pointer.
 */
final class ModePages {
    private ModePages() {}

    static final int CACHING = 0x08;
    static final int CONTROL = 0x0A;
    static final int INFORMATIONAL_EXCEPTIONS = 0x1C;
    static final int ALL_PAGES = 0x3F;

    static final int PC_CURRENT = 0;
    static final int PC_CHANGEABLE = 1;
    static final int PC_DEFAULT = 2;
    static final int PC_SAVED = 3;

    /** DEVICE-SPECIFIC PARAMETER: WP=0, DPOFUA=1 (DPO and FUA are accepted; both are no-ops). */
    static final int DEVICE_SPECIFIC = 0x10;

    private static final byte[] CACHING_CURRENT = page(CACHING, 0x12);
    private static final byte[] CONTROL_CURRENT = page(CONTROL, 0x0A);
    private static final byte[] IEC_CURRENT = page(INFORMATIONAL_EXCEPTIONS, 0x0A);

    static {
        // Caching: byte 2 WCE(2)=0, RCD(0)=0 -- nothing set.
        CONTROL_CURRENT[2] = 0x02; // TST=0, D_SENSE=0, GLTSD=1 (no saved log parameters)
        CONTROL_CURRENT[3] = 0x10; // QUEUE ALGORITHM MODIFIER 1: unrestricted reordering, QERR=0
        IEC_CURRENT[2] = 0x08; // DEXCPT=1: no informational exception reporting
    }

    private static final int[] PAGE_ORDER = {CACHING, CONTROL, INFORMATIONAL_EXCEPTIONS};

    private static byte[] page(int code, int pageLength) {
        byte[] p = new byte[2 + pageLength];
        p[0] = (byte) code;
        p[1] = (byte) pageLength;
        return p;
    }

    private static byte[] current(int code) {
        return switch (code) {
            case CACHING -> CACHING_CURRENT;
            case CONTROL -> CONTROL_CURRENT;
            case INFORMATIONAL_EXCEPTIONS -> IEC_CURRENT;
            default -> null;
        };
    }

    /** The changeable-values image of a page: its header and all-zero fields. */
    private static byte[] changeable(int code) {
        byte[] cur = current(code);
        return cur == null ? null : page(code, cur[1]);
    }

    /**
     * MODE SENSE(6) or (10) parameter data, untruncated.
     *
     * @param ten MODE SENSE(10) (8-byte header) rather than (6) (4-byte header)
     * @param dbd DISABLE BLOCK DESCRIPTORS
     * @param llbaa LONG LBA ACCEPTED (MODE SENSE(10) only): a 16-byte block descriptor
     * @param pc PAGE CONTROL
     * @param capacityBlocks the medium's capacity in logical blocks (0 while not ready)
     * @throws ScsiError 05/39/00 for saved values, 05/24/00 for an unsupported page or subpage
     */
    static byte[] sense(boolean ten, boolean dbd, boolean llbaa, int pc, int pageCode, int subpage, long capacityBlocks) {
        if (pc == PC_SAVED) {
            throw ScsiError.savingParametersNotSupported();
        }
        int[] pages;
        if (pageCode == ALL_PAGES) {
            if (subpage != 0x00 && subpage != 0xFF) {
                throw ScsiError.invalidFieldInCdb(3, -1);
            }
            pages = PAGE_ORDER;
        } else {
            if (current(pageCode) == null) {
                throw ScsiError.invalidFieldInCdb(2, 5);
            }
            if (subpage != 0x00 && subpage != 0xFF) { // FFh: the page and all its subpages (it has none)
                throw ScsiError.invalidFieldInCdb(3, -1);
            }
            pages = new int[] {pageCode};
        }
        int headerLength = ten ? 8 : 4;
        boolean longLba = ten && llbaa;
        int descriptorLength = dbd ? 0 : (longLba ? 16 : 8);
        int total = headerLength + descriptorLength;
        for (int code : pages) {
            total += current(code).length;
        }
        byte[] d = new byte[total];
        if (ten) {
            Cdb.put16(d, 0, total - 2);
            d[2] = 0; // MEDIUM TYPE
            d[3] = (byte) DEVICE_SPECIFIC;
            d[4] = (byte) (longLba ? 0x01 : 0x00); // LONGLBA
            Cdb.put16(d, 6, descriptorLength);
        } else {
            d[0] = (byte) (total - 1);
            d[1] = 0;
            d[2] = (byte) DEVICE_SPECIFIC;
            d[3] = (byte) descriptorLength;
        }
        int p = headerLength;
        if (descriptorLength > 0 && pc != PC_CHANGEABLE) {
            if (longLba) {
                Cdb.put64(d, p, capacityBlocks);
                Cdb.put32(d, p + 12, BlockLimits.LOGICAL_BLOCK_SIZE);
            } else {
                Cdb.put32(d, p, Math.min(capacityBlocks, 0xFFFF_FFFFL));
                d[p + 5] = (byte) (BlockLimits.LOGICAL_BLOCK_SIZE >>> 16);
                d[p + 6] = (byte) (BlockLimits.LOGICAL_BLOCK_SIZE >>> 8);
                d[p + 7] = (byte) BlockLimits.LOGICAL_BLOCK_SIZE;
            }
        }
        p += descriptorLength;
        for (int code : pages) {
            byte[] image = pc == PC_CHANGEABLE ? changeable(code) : current(code);
            System.arraycopy(image, 0, d, p, image.length);
            p += image.length;
        }
        return d;
    }

    /**
     * Validates a MODE SELECT parameter list (the absolute range [start, start+length) of list).
     *
     * @param ten MODE SELECT(10) (8-byte header) rather than (6)
     * @param pageFormat the PF bit: the list's pages are in SPC page format
     * @throws ScsiError 05/1A/00 when the list is shorter than its header; 05/26/00 for a bad
     *     block descriptor length, a block descriptor that changes the capacity or block size,
     *     an unknown page, a subpage, a wrong page length, a page overrunning the list, or a
     *     field set to anything but its current value; 05/24/00 (PF) for pages without PF
     */
    static void select(boolean ten, boolean pageFormat, ByteBuffer list, int start, int length, long capacityBlocks) {
        int headerLength = ten ? 8 : 4;
        if (length < headerLength) {
            throw ScsiError.parameterListLength();
        }
        // MODE DATA LENGTH is reserved in MODE SELECT; MEDIUM TYPE and the device-specific
        // parameter carry nothing this device can change, so they are ignored.
        boolean longLba = ten && (list.get(start + 4) & 0x01) != 0;
        int descriptorLength = ten ? Cdb.u16(list, start + 6) : list.get(start + 3) & 0xFF;
        int descriptorField = ten ? 6 : 3;
        int expected = longLba ? 16 : 8;
        if (descriptorLength != 0 && descriptorLength != expected) {
            throw ScsiError.invalidFieldInParameterList(descriptorField, -1);
        }
        if (headerLength + descriptorLength > length) {
            throw ScsiError.invalidFieldInParameterList(descriptorField, -1);
        }
        int p = headerLength;
        if (descriptorLength > 0) {
            long blocks = longLba ? list.getLong(start + p) : Cdb.u32(list, start + p);
            long blockSize = longLba ? Cdb.u32(list, start + p + 12) : (Cdb.u32(list, start + p + 4) & 0xFF_FFFF);
            long current = longLba ? capacityBlocks : Math.min(capacityBlocks, 0xFFFF_FFFFL);
            if (blocks != 0 && blocks != current) {
                throw ScsiError.invalidFieldInParameterList(p, -1);
            }
            if (blockSize != BlockLimits.LOGICAL_BLOCK_SIZE) {
                throw ScsiError.invalidFieldInParameterList(p + (longLba ? 12 : 5), -1);
            }
            p += descriptorLength;
        }
        if (p < length && !pageFormat) {
            throw ScsiError.invalidFieldInCdb(1, 4);
        }
        while (p < length) {
            if (length - p < 2) {
                throw ScsiError.invalidFieldInParameterList(p, -1);
            }
            int b0 = list.get(start + p) & 0xFF;
            if ((b0 & 0x40) != 0) { // SPF: a subpage; this device has none
                throw ScsiError.invalidFieldInParameterList(p, 6);
            }
            int code = b0 & 0x3F;
            byte[] cur = current(code);
            if (cur == null) {
                throw ScsiError.invalidFieldInParameterList(p, 5);
            }
            int pageLength = list.get(start + p + 1) & 0xFF;
            if (pageLength != cur[1] || p + 2 + pageLength > length) {
                throw ScsiError.invalidFieldInParameterList(p + 1, -1);
            }
            byte[] mask = changeable(code);
            for (int i = 2; i < cur.length; i++) {
                int given = list.get(start + p + i);
                if (((given ^ cur[i]) & ~mask[i] & 0xFF) != 0) {
                    int bit = 31 - Integer.numberOfLeadingZeros((given ^ cur[i]) & ~mask[i] & 0xFF);
                    throw ScsiError.invalidFieldInParameterList(p + i, bit);
                }
            }
            p += cur.length;
        }
    }
}
