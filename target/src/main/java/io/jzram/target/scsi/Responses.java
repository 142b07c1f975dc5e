package io.jzram.target.scsi;

import java.nio.ByteBuffer;

/** Building {@link ScsiResponse}s. */
final class Responses {
    private Responses() {}

    /** GOOD for a command that moved no data in either direction. */
    static final ScsiResponse GOOD = new ScsiResponse(ScsiResponse.GOOD, null, 0, 0, 0);
    static final ScsiResponse BUSY = new ScsiResponse(ScsiResponse.BUSY, null, 0, 0, -1);
    static final ScsiResponse RESERVATION_CONFLICT = new ScsiResponse(ScsiResponse.RESERVATION_CONFLICT, null, 0, 0, -1);

    static ScsiResponse check(byte[] sense) {
        return new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense, 0, 0, -1);
    }

    /** GOOD for a command that asked the initiator for this many bytes of data-out. */
    static ScsiResponse goodAfterDataOut(long dataOutLength) {
        return dataOutLength == 0 ? GOOD : new ScsiResponse(ScsiResponse.GOOD, null, 0, 0, dataOutLength);
    }

    /**
     * GOOD with parameter data: sends min(allocation length, data length) bytes, or as many as fit
     * in the data-in buffer (fullDataInLength then tells the transport how many did not fit).
     * Never moves the buffer's position.
     */
    static ScsiResponse data(ByteBuffer dataIn, byte[] data, long allocationLength) {
        int wanted = (int) Math.min(allocationLength, data.length);
        int room = dataIn == null ? 0 : dataIn.remaining();
        int n = Math.min(wanted, room);
        if (n > 0) {
            dataIn.put(dataIn.position(), data, 0, n);
        }
        return new ScsiResponse(ScsiResponse.GOOD, null, n, wanted, 0);
    }
}
