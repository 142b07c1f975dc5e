package io.jzram.target.scsi;

import java.nio.charset.StandardCharsets;

/**
 * Standard INQUIRY data and the vital product data pages (SPC-4 6.6, 7.8; SBC-3 6.6). Pure
 * functions of the identity and the device id: small arrays built per call.
 */
final class InquiryData {
    private InquiryData() {}

    /** PERIPHERAL QUALIFIER 000b, DEVICE TYPE 00h: a direct-access block device is connected. */
    static final int PERIPHERAL_DISK = 0x00;
    /** PERIPHERAL QUALIFIER 001b, DEVICE TYPE 1Fh: supported but not connected (LUN 0 placeholder). */
    static final int PERIPHERAL_NOT_CONNECTED = 0x3F;
    /** PERIPHERAL QUALIFIER 011b, DEVICE TYPE 1Fh: no logical unit at this LUN. */
    static final int PERIPHERAL_NO_LUN = 0x7F;

    static final int VPD_SUPPORTED_PAGES = 0x00;
    static final int VPD_UNIT_SERIAL = 0x80;
    static final int VPD_DEVICE_IDENTIFICATION = 0x83;
    static final int VPD_BLOCK_LIMITS = 0xB0;
    static final int VPD_BLOCK_DEVICE_CHARACTERISTICS = 0xB1;
    static final int VPD_LOGICAL_BLOCK_PROVISIONING = 0xB2;

    private static final int[] SUPPORTED_PAGES = {
        VPD_SUPPORTED_PAGES, VPD_UNIT_SERIAL, VPD_DEVICE_IDENTIFICATION,
        VPD_BLOCK_LIMITS, VPD_BLOCK_DEVICE_CHARACTERISTICS, VPD_LOGICAL_BLOCK_PROVISIONING,
    };

    /** Length of the standard INQUIRY data: through the version descriptors and reserved bytes. */
    static final int STANDARD_LENGTH = 96;

    /** Version descriptors (SPC-4 table 31): SAM-5, iSCSI, SPC-4, SBC-3 (no version claimed). */
    private static final int[] VERSION_DESCRIPTORS = {0x00A0, 0x0960, 0x0460, 0x04C0};

    /**
     * Standard INQUIRY data: VERSION 06h (SPC-4), RESPONSE DATA FORMAT 2, HISUP=1, CMDQUE=1,
     * vendor/product/revision, version descriptors.
     *
     * @param peripheral byte 0: qualifier and device type
     */
    static byte[] standard(LunIdentity id, int peripheral) {
        byte[] d = new byte[STANDARD_LENGTH];
        d[0] = (byte) peripheral;
        d[1] = 0x00; // RMB=0: not removable
        d[2] = 0x06; // VERSION: SPC-4
        d[3] = 0x12; // HISUP=1, RESPONSE DATA FORMAT=2
        d[4] = (byte) (STANDARD_LENGTH - 5); // ADDITIONAL LENGTH
        d[5] = 0x00; // SCCS, ACC, TPGS=0, 3PC, PROTECT=0
        d[6] = 0x00;
        d[7] = 0x02; // CMDQUE=1
        ascii(d, 8, 8, id.vendor());
        ascii(d, 16, 16, id.product());
        ascii(d, 32, 4, id.revision());
        for (int i = 0; i < VERSION_DESCRIPTORS.length; i++) {
            Cdb.put16(d, 58 + 2 * i, VERSION_DESCRIPTORS[i]);
        }
        return d;
    }

    /**
     * A VPD page of a connected logical unit.
     *
     * @throws ScsiError 05/24/00 pointing at PAGE CODE for a page not supported
     */
    static byte[] vpd(int page, LunIdentity id, int deviceId) {
        return switch (page) {
            case VPD_SUPPORTED_PAGES -> supportedPages(PERIPHERAL_DISK, SUPPORTED_PAGES);
            case VPD_UNIT_SERIAL -> unitSerial(id, deviceId);
            case VPD_DEVICE_IDENTIFICATION -> deviceIdentification(id, deviceId);
            case VPD_BLOCK_LIMITS -> blockLimits();
            case VPD_BLOCK_DEVICE_CHARACTERISTICS -> blockDeviceCharacteristics();
            case VPD_LOGICAL_BLOCK_PROVISIONING -> logicalBlockProvisioning();
            default -> throw ScsiError.invalidFieldInCdb(2, -1);
        };
    }

    /**
     * A VPD page for a LUN without a logical unit: only page 00h, listing just itself, with the
     * given peripheral byte; every other page is an invalid field.
     */
    static byte[] vpdWithoutLu(int page, int peripheral) {
        if (page != VPD_SUPPORTED_PAGES) {
            throw ScsiError.invalidFieldInCdb(2, -1);
        }
        return supportedPages(peripheral, new int[] {VPD_SUPPORTED_PAGES});
    }

    private static byte[] supportedPages(int peripheral, int[] pages) {
        byte[] d = new byte[4 + pages.length];
        d[0] = (byte) peripheral;
        d[1] = VPD_SUPPORTED_PAGES;
        Cdb.put16(d, 2, pages.length);
        for (int i = 0; i < pages.length; i++) {
            d[4 + i] = (byte) pages[i];
        }
        return d;
    }

    private static byte[] unitSerial(LunIdentity id, int deviceId) {
        byte[] serial = id.unitSerial(deviceId).getBytes(StandardCharsets.US_ASCII);
        byte[] d = new byte[4 + serial.length];
        d[1] = (byte) VPD_UNIT_SERIAL;
        Cdb.put16(d, 2, serial.length);
        System.arraycopy(serial, 0, d, 4, serial.length);
        return d;
    }

    /** Protocol identifier for iSCSI (SPC-4 table 362). */
    private static final int PROTOCOL_ISCSI = 0x5;
    private static final int CODE_SET_BINARY = 0x1;
    private static final int CODE_SET_ASCII = 0x2;
    private static final int CODE_SET_UTF8 = 0x3;
    private static final int ASSOC_LU = 0x00;
    private static final int ASSOC_TARGET_PORT = 0x10;
    private static final int ASSOC_TARGET_DEVICE = 0x20;
    private static final int PIV = 0x80;
    private static final int TYPE_T10_VENDOR = 0x1;
    private static final int TYPE_NAA = 0x3;
    private static final int TYPE_RELATIVE_TARGET_PORT = 0x4;
    private static final int TYPE_SCSI_NAME = 0x8;

    /**
     * Device Identification (83h): the LU's NAA 3h designator and T10 vendor id designator
     * (vendor + unit serial), the relative target port (1), and the target's SCSI name string
     * (its IQN, null-terminated and padded to a multiple of 4, when it fits in one designator).
     */
    static byte[] deviceIdentification(LunIdentity id, int deviceId) {
        byte[] naa = new byte[8];
        Cdb.put64(naa, 0, id.naa(deviceId));
        byte[] t10 = new byte[8 + 16];
        ascii(t10, 0, 8, id.vendor());
        ascii(t10, 8, 16, id.unitSerial(deviceId));
        byte[] port = {0, 0, 0, 1};
        byte[] iqn = id.targetIqn().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        int nameLength = (iqn.length + 1 + 3) & ~3;
        boolean withName = nameLength <= 252;

        int total = 4 + (4 + naa.length) + (4 + t10.length) + (4 + port.length) + (withName ? 4 + nameLength : 0);
        byte[] d = new byte[total];
        d[1] = (byte) VPD_DEVICE_IDENTIFICATION;
        Cdb.put16(d, 2, total - 4);
        int p = 4;
        p = designator(d, p, CODE_SET_BINARY, ASSOC_LU | TYPE_NAA, naa, naa.length);
        p = designator(d, p, CODE_SET_ASCII, ASSOC_LU | TYPE_T10_VENDOR, t10, t10.length);
        p = designator(d, p, PROTOCOL_ISCSI << 4 | CODE_SET_BINARY,
                PIV | ASSOC_TARGET_PORT | TYPE_RELATIVE_TARGET_PORT, port, port.length);
        if (withName) {
            designator(d, p, PROTOCOL_ISCSI << 4 | CODE_SET_UTF8,
                    PIV | ASSOC_TARGET_DEVICE | TYPE_SCSI_NAME, iqn, nameLength);
        }
        return d;
    }

    private static int designator(byte[] d, int p, int protocolAndCodeSet, int pivAssocType, byte[] value, int length) {
        d[p] = (byte) protocolAndCodeSet;
        d[p + 1] = (byte) pivAssocType;
        d[p + 3] = (byte) length;
        System.arraycopy(value, 0, d, p + 4, value.length); // the rest (null terminator, padding) stays 0
        return p + 4 + length;
    }

    /** Block Limits (B0h), page length 3Ch (Linux reads the limits only from a page of exactly that length). */
    static byte[] blockLimits() {
        byte[] d = new byte[64];
        d[1] = (byte) VPD_BLOCK_LIMITS;
        Cdb.put16(d, 2, 0x3C);
        d[4] = 0x00; // WSNZ=0: a WRITE SAME with NUMBER OF LOGICAL BLOCKS 0 writes to the end of the medium
        d[5] = 0x00; // MAXIMUM COMPARE AND WRITE LENGTH: not supported
        Cdb.put16(d, 6, BlockLimits.OPTIMAL_TRANSFER_GRANULARITY);
        Cdb.put32(d, 8, BlockLimits.MAX_TRANSFER_BLOCKS);
        Cdb.put32(d, 12, BlockLimits.OPTIMAL_TRANSFER_BLOCKS);
        Cdb.put32(d, 16, 0); // MAXIMUM PREFETCH LENGTH
        Cdb.put32(d, 20, BlockLimits.MAX_UNMAP_BLOCKS);
        Cdb.put32(d, 24, BlockLimits.MAX_UNMAP_DESCRIPTORS);
        Cdb.put32(d, 28, BlockLimits.UNMAP_GRANULARITY);
        Cdb.put32(d, 32, 0x8000_0000L); // UGAVALID=1, UNMAP GRANULARITY ALIGNMENT 0
        Cdb.put64(d, 36, BlockLimits.MAX_WRITE_SAME_BLOCKS);
        return d;
    }

    /** Block Device Characteristics (B1h): MEDIUM ROTATION RATE 1 (non-rotating medium). */
    static byte[] blockDeviceCharacteristics() {
        byte[] d = new byte[64];
        d[1] = (byte) VPD_BLOCK_DEVICE_CHARACTERISTICS;
        Cdb.put16(d, 2, 0x3C);
        Cdb.put16(d, 4, 0x0001);
        return d;
    }

    /** Logical Block Provisioning (B2h): LBPU, LBPWS, LBPWS10, LBPRZ, thin provisioned. */
    static byte[] logicalBlockProvisioning() {
        byte[] d = new byte[8];
        d[1] = (byte) VPD_LOGICAL_BLOCK_PROVISIONING;
        Cdb.put16(d, 2, 4);
        d[4] = 0x00; // THRESHOLD EXPONENT: no thresholds
        d[5] = (byte) 0xE4; // LBPU=1, LBPWS=1, LBPWS10=1, LBPRZ=1 (SBC-4: LBPRZ 001b), ANC_SUP=0, DP=0
        d[6] = 0x02; // PROVISIONING TYPE: thin
        return d;
    }

    /** Writes s left-aligned into d[off, off+len), padded with spaces (SPC-4 4.3.1). */
    static void ascii(byte[] d, int off, int len, String s) {
        for (int i = 0; i < len; i++) {
            d[off + i] = (byte) (i < s.length() ? s.charAt(i) : ' ');
        }
    }
}
