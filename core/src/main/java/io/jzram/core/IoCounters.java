package io.jzram.core;

/**
 * Request counters in the spirit of {@code /sys/block/zramN/stat}, reset with the device.
 *
 * @param reads read requests completed successfully
 * @param writes write requests completed successfully
 * @param discards discard and write-zeroes requests completed
 * @param bytesRead bytes returned by successful reads
 * @param bytesWritten bytes accepted by successful writes
 */
public record IoCounters(long reads, long writes, long discards, long bytesRead, long bytesWritten) {
    public static final IoCounters ZERO = new IoCounters(0, 0, 0, 0, 0);

    /** Every request counted. */
    public long total() {
        return reads + writes + discards;
    }
}
