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
 */
public record ScsiResponse(int status, byte[] sense, int dataInLength, long fullDataInLength) {
    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int BUSY = 0x08;
    public static final int TASK_SET_FULL = 0x28;
}
