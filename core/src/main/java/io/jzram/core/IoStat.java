package io.jzram.core;

/**
 * The kernel's {@code /sys/block/zramN/io_stat}: four counters, in this order.
 *
 * @param failedReads reads that failed (stored data that did not decompress)
 * @param failedWrites writes that failed (no memory: mem_limit reached or the allocator failed)
 * @param invalidIo I/O outside the disk or not aligned to 512-byte sectors
 * @param notifyFree pages freed by discard (and write-zeroes) requests
 */
public record IoStat(long failedReads, long failedWrites, long invalidIo, long notifyFree) {

    public static final IoStat ZERO = new IoStat(0, 0, 0, 0);

    /** The sysfs line: right-aligned in width 8, separated by a space. */
    @Override
    public String toString() {
        return String.format("%8d %8d %8d %8d", failedReads, failedWrites, invalidIo, notifyFree);
    }
}
