package io.jzram.target.scsi;

/**
 * Fixed-format sense data (SPC-4 4.5.3): response code 70h (current error), 18 bytes, ADDITIONAL
 * SENSE LENGTH 10, with the sense key, ASC and ASCQ always set, an optional INFORMATION field and
 * optional sense-key-specific field pointer.
 *
 * <pre>
 *  0  VALID | RESPONSE CODE (70h)      8-11 COMMAND-SPECIFIC INFORMATION
 *  1  obsolete                        12   ADDITIONAL SENSE CODE
 *  2  flags | SENSE KEY               13   ADDITIONAL SENSE CODE QUALIFIER
 *  3-6 INFORMATION                    14   FIELD REPLACEABLE UNIT CODE
 *  7  ADDITIONAL SENSE LENGTH (10)    15-17 SKSV | SENSE KEY SPECIFIC
 * </pre>
 *
 * Public so that the transport can decode what it sends (e.g. for logging) with the same code.
 */
public final class SenseData {
    private SenseData() {}

    /** The length of the sense data this class builds. */
    public static final int LENGTH = 18;

    public static final int NO_SENSE = 0x0;
    public static final int NOT_READY = 0x2;
    public static final int MEDIUM_ERROR = 0x3;
    public static final int HARDWARE_ERROR = 0x4;
    public static final int ILLEGAL_REQUEST = 0x5;
    public static final int UNIT_ATTENTION = 0x6;
    public static final int DATA_PROTECT = 0x7;
    public static final int ABORTED_COMMAND = 0xB;
    public static final int MISCOMPARE = 0xE;

    /** Sense data with key, ASC and ASCQ only. */
    public static byte[] of(int senseKey, int asc, int ascq) {
        return build(senseKey, asc, ascq, -1, -1);
    }

    /**
     * Builds sense data.
     *
     * @param information the INFORMATION field (sets VALID), or -1 for none
     * @param senseKeySpecific the 3-byte SENSE KEY SPECIFIC field including the SKSV bit (see
     *     {@link #fieldPointer}), or -1 for none
     */
    public static byte[] build(int senseKey, int asc, int ascq, long information, int senseKeySpecific) {
        byte[] s = new byte[LENGTH];
        s[0] = (byte) 0x70;
        s[2] = (byte) (senseKey & 0x0F);
        if (information >= 0) {
            s[0] |= (byte) 0x80;
            Cdb.put32(s, 3, information);
        }
        s[7] = (byte) (LENGTH - 8);
        s[12] = (byte) asc;
        s[13] = (byte) ascq;
        if (senseKeySpecific >= 0) {
            s[15] = (byte) (senseKeySpecific >>> 16);
            s[16] = (byte) (senseKeySpecific >>> 8);
            s[17] = (byte) senseKeySpecific;
        }
        return s;
    }

    /**
     * The SENSE KEY SPECIFIC field of an ILLEGAL REQUEST (SPC-4 4.5.2.4.2): SKSV=1, C/D, BPV and
     * BIT POINTER, FIELD POINTER.
     *
     * @param inCdb true: the error is in the CDB (C/D=1); false: in the parameter list
     * @param byteIndex the byte of the CDB or parameter list holding the field (its first byte)
     * @param bit the most significant bit of the field within that byte (0..7), or -1 when the
     *     whole byte is meant (BPV=0)
     */
    public static int fieldPointer(boolean inCdb, int byteIndex, int bit) {
        int first = 0x80 | (inCdb ? 0x40 : 0);
        if (bit >= 0) {
            first |= 0x08 | (bit & 0x07);
        }
        return first << 16 | (byteIndex & 0xFFFF);
    }

    /** The sense key of fixed- or descriptor-format sense data. */
    public static int senseKey(byte[] sense) {
        return isDescriptor(sense) ? sense[1] & 0x0F : sense[2] & 0x0F;
    }

    /** The ADDITIONAL SENSE CODE. */
    public static int asc(byte[] sense) {
        return isDescriptor(sense) ? sense[2] & 0xFF : sense[12] & 0xFF;
    }

    /** The ADDITIONAL SENSE CODE QUALIFIER. */
    public static int ascq(byte[] sense) {
        return isDescriptor(sense) ? sense[3] & 0xFF : sense[13] & 0xFF;
    }

    /** "KEY/ASC/ASCQ" in hex, e.g. {@code 05/24/00}, for logs and test messages. */
    public static String describe(byte[] sense) {
        if (sense == null || sense.length < 14) {
            return "(no sense)";
        }
        return String.format("%02X/%02X/%02X", senseKey(sense), asc(sense), ascq(sense));
    }

    private static boolean isDescriptor(byte[] sense) {
        int code = sense[0] & 0x7F;
        return code == 0x72 || code == 0x73;
    }
}
