package io.jzram.core;

/**
 * The kernel's {@code /sys/block/zramN/bd_stat}: three counts of 4 KiB pages, in this order.
 * This record is the one place their meaning is written down; its {@link #toString()} is the
 * sysfs line.
 *
 * @param count pages on the backing device now
 * @param reads pages read from the backing device since init
 * @param writes pages written to the backing device since init
 */
public record BdStat(long count, long reads, long writes) {

    /** All zero: a device without a backing device, or not set up. */
    public static final BdStat ZERO = new BdStat(0, 0, 0);

    /** The sysfs line: the three values right-aligned in width 8, as zram's bd_stat_show prints them. */
    @Override
    public String toString() {
        return String.format("%8d %8d %8d", count, reads, writes);
    }
}
