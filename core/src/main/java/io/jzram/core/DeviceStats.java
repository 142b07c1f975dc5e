package io.jzram.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one generation (reset with it, as the kernel's {@code memset(&zram->stats)}).
 * Every counter on the I/O path is a {@link LongAdder}, so concurrent I/O never contends on a
 * shared cache line; reading sums the cells (statistics are read rarely).
 */
final class DeviceStats {
    /** Pages holding data (objects and same-filled pages); orig_data_size = pagesStored * 4096. */
    final LongAdder pagesStored = new LongAdder();
    final LongAdder comprDataSize = new LongAdder();
    final LongAdder samePages = new LongAdder();
    final LongAdder hugePages = new LongAdder();
    final LongAdder hugePagesSince = new LongAdder();
    final LongAdder pagesCompacted = new LongAdder();
    final LongAdder failedReads = new LongAdder();
    final LongAdder failedWrites = new LongAdder();
    final LongAdder invalidIo = new LongAdder();
    final LongAdder notifyFree = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder discards = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();
    /** The peak of mem_used_total; raised with a CAS only when a write sees a new peak. */
    final AtomicLong memUsedMax = new AtomicLong();

    void updateMemUsedMax(long used) {
        long max = memUsedMax.get();
        while (used > max) {
            long witness = memUsedMax.compareAndExchange(max, used);
            if (witness == max) {
                return;
            }
            max = witness;
        }
    }

    IoStat ioStat() {
        return new IoStat(failedReads.sum(), failedWrites.sum(), invalidIo.sum(), notifyFree.sum());
    }

    IoCounters ioCounters() {
        return new IoCounters(reads.sum(), writes.sum(), discards.sum(), bytesRead.sum(), bytesWritten.sum());
    }
}
