package io.jzram.core;

/**
 * The kernel's {@code /sys/block/zramN/mm_stat}: nine fields in this order, all in bytes
 * except the page counts. This record is the one place their meaning is written down; its
 * {@link #toString()} is the sysfs line.
 *
 * @param origDataSize uncompressed size of the data stored (pages stored × 4096, same-filled pages included)
 * @param comprDataSize compressed size of the data stored (raw huge pages count 4096; same-filled pages 0)
 * @param memUsedTotal memory the allocator holds for the data, including fragmentation and metadata in chunks
 * @param memLimit the limit on {@code memUsedTotal}; 0 = none
 * @param memUsedMax the peak of {@code memUsedTotal} since init or since it was last reset to current
 * @param samePages pages that are one repeated 8-byte word (zeros included), stored without allocation
 * @param pagesCompacted 4 KiB pages freed by compaction since init
 * @param hugePages pages stored raw now, because they did not compress below the huge-class size
 * @param hugePagesSince pages ever stored raw since init
 */
public record MmStat(
        long origDataSize,
        long comprDataSize,
        long memUsedTotal,
        long memLimit,
        long memUsedMax,
        long samePages,
        long pagesCompacted,
        long hugePages,
        long hugePagesSince) {

    /** All zero: the mm_stat of an uninitialized device. */
    public static final MmStat ZERO = new MmStat(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The sysfs line: the nine values, right-aligned in width 8 and separated by a space, as zram's mm_stat_show prints them. */
    @Override
    public String toString() {
        return String.format("%8d %8d %8d %8d %8d %8d %8d %8d %8d",
                origDataSize, comprDataSize, memUsedTotal, memLimit, memUsedMax,
                samePages, pagesCompacted, hugePages, hugePagesSince);
    }
}
