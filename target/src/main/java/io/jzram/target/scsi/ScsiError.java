package io.jzram.target.scsi;

/**
 * A command ends in CHECK CONDITION with this sense data. Thrown inside the command set only and
 * turned into a {@link ScsiResponse} at its boundary; no stack trace (it is control flow, not a bug).
 */
final class ScsiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient byte[] sense;

    ScsiError(byte[] sense) {
        super(null, null, false, false);
        this.sense = sense;
    }

    ScsiError(int key, int asc, int ascq) {
        this(SenseData.of(key, asc, ascq));
    }

    byte[] sense() {
        return sense;
    }

    @Override
    public String getMessage() {
        return SenseData.describe(sense);
    }

    /** 05/20/00 INVALID COMMAND OPERATION CODE. */
    static ScsiError invalidOpcode() {
        return new ScsiError(SenseData.build(SenseData.ILLEGAL_REQUEST, 0x20, 0x00, -1,
                SenseData.fieldPointer(true, 0, -1)));
    }

    /** 05/24/00 INVALID FIELD IN CDB, pointing at the field (bit = its most significant bit, or -1). */
    static ScsiError invalidFieldInCdb(int byteIndex, int bit) {
        return new ScsiError(SenseData.build(SenseData.ILLEGAL_REQUEST, 0x24, 0x00, -1,
                SenseData.fieldPointer(true, byteIndex, bit)));
    }

    /** 05/26/00 INVALID FIELD IN PARAMETER LIST, pointing at the field. */
    static ScsiError invalidFieldInParameterList(int byteIndex, int bit) {
        return new ScsiError(SenseData.build(SenseData.ILLEGAL_REQUEST, 0x26, 0x00, -1,
                SenseData.fieldPointer(false, byteIndex, bit)));
    }

    /** 05/1A/00 PARAMETER LIST LENGTH ERROR. */
    static ScsiError parameterListLength() {
        return new ScsiError(SenseData.ILLEGAL_REQUEST, 0x1A, 0x00);
    }

    /** 05/21/00 LOGICAL BLOCK ADDRESS OUT OF RANGE. */
    static ScsiError lbaOutOfRange() {
        return new ScsiError(SenseData.ILLEGAL_REQUEST, 0x21, 0x00);
    }

    /** 05/25/00 LOGICAL UNIT NOT SUPPORTED. */
    static ScsiError lunNotSupported() {
        return new ScsiError(SenseData.ILLEGAL_REQUEST, 0x25, 0x00);
    }

    /** 05/39/00 SAVING PARAMETERS NOT SUPPORTED. */
    static ScsiError savingParametersNotSupported() {
        return new ScsiError(SenseData.build(SenseData.ILLEGAL_REQUEST, 0x39, 0x00, -1,
                SenseData.fieldPointer(true, 2, 7)));
    }

    /** 02/04/03 LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED (see the package documentation). */
    static ScsiError notReady() {
        return new ScsiError(SenseData.NOT_READY, 0x04, 0x03);
    }
}
