package io.jzram.target.scsi;

/**
 * The outcome of one SCSI command.
 *
 * @param status SAM status: 0x00 GOOD, 0x02 CHECK CONDITION, 0x08 BUSY, 0x18 RESERVATION CONFLICT, 0x28 TASK SET FULL
 * @param sense fixed-format sense data (SPC-4 4.5.3, response code 70h, at least 18 bytes) for CHECK CONDITION;
 *     null otherwise. The transport sends all of it (with the 2-byte SenseLength prefix iSCSI requires).
 * @param dataInLength bytes the command placed in the data-in buffer, starting at its position
 *     (never more than the buffer's remaining bytes)
 * @param fullDataInLength bytes the command would have returned had the buffer been large enough
 *     (for residual overflow/underflow); equal to dataInLength when everything fit
 * @param dataOutLength (added for write residuals) bytes of data-out the command asked the
 *     initiator for (a WRITE's transfer length × 512, a parameter list length; 0 for a command
 *     without data-out), or -1 when unknown (CHECK CONDITION, or a response built with the
 *     four-argument constructor). The transport reports residual overflow when the initiator's
 *     expected data transfer length is smaller and underflow when it is larger, as it does with
 *     fullDataInLength for reads. A WRITE whose data-out is short writes the whole blocks it
 *     received and ends GOOD with the full length here (libiscsi's iSCSIResiduals expect this).
 */
public record ScsiResponse(int status, byte[] sense, int dataInLength, long fullDataInLength, long dataOutLength) {
    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int BUSY = 0x08;
    public static final int RESERVATION_CONFLICT = 0x18;
    public static final int TASK_SET_FULL = 0x28;

    /** A response that does not say how much data-out the command wanted (dataOutLength -1). */
    public ScsiResponse(int status, byte[] sense, int dataInLength, long fullDataInLength) {
        this(status, sense, dataInLength, fullDataInLength, -1);
    }
}
