package io.jzram.core;

import java.util.List;

/**
 * Where a device's stored pages are: compressed by each of its algorithms, stored raw, same-filled,
 * written back. The pages add up to {@code orig_data_size / 4096}.
 *
 * @param algorithms pages compressed by each algorithm, primary first (priority 0), then the
 *     recompression algorithms by priority
 * @param hugePages pages stored raw in memory (mm_stat's huge_pages)
 * @param samePages same-filled pages (mm_stat's same_pages)
 * @param writtenBackPages pages on the backing device (bd_stat's bd_count)
 */
public record TierStat(List<AlgorithmPages> algorithms, long hugePages, long samePages, long writtenBackPages) {

    /** A device that stores nothing. */
    public static final TierStat EMPTY = new TierStat(List.of(), 0, 0, 0);

    public TierStat {
        algorithms = List.copyOf(algorithms);
    }

    /** @param priority 0 for the primary algorithm, 1–3 for recompression algorithms */
    public record AlgorithmPages(int priority, String algorithm, long pages) {}

    /** Every stored page. */
    public long pages() {
        return algorithms.stream().mapToLong(AlgorithmPages::pages).sum() + hugePages + samePages + writtenBackPages;
    }
}
