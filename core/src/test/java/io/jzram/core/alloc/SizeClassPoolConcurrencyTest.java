package io.jzram.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Writers, a compactor and a memory-limit reader on one pool, with page locks like the device's.
 */
class SizeClassPoolConcurrencyTest {

    private static final int PAGES = 2048;
    private static final int WRITERS = 3;
    private static final long RUN_MILLIS = 2500;

    private final CountingChunkMemory memory = new CountingChunkMemory();
    private final SizeClassPool pool = new SizeClassPool(memory);

    /** The "device": one lock per page; the page's handle, size and content key, guarded by its lock. */
    private final ReentrantLock[] pageLocks = new ReentrantLock[PAGES];
    private final long[] handleOf = new long[PAGES];
    private final int[] sizeOf = new int[PAGES];
    private final int[] keyOf = new int[PAGES];
    /** Contents are slices of this noise: page content = NOISE[key, key + size). */
    private static final byte[] NOISE = new byte[3 * 4096];

    static {
        new Random(77).nextBytes(NOISE);
    }

    private final AtomicLong migrated = new AtomicLong();
    private final AtomicLong pagesCompacted = new AtomicLong();

    /** The device's migrator: never blocks on a page lock, checks the page still refers to the handle. */
    private final Migrator migrator = (owner, handle) -> {
        ReentrantLock lock = pageLocks[owner];
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (handleOf[owner] != handle) {
                return false;
            }
            handleOf[owner] = pool.migrate(handle);
            migrated.incrementAndGet();
            return true;
        } finally {
            lock.unlock();
        }
    };

    SizeClassPoolConcurrencyTest() {
        for (int p = 0; p < PAGES; p++) {
            pageLocks[p] = new ReentrantLock();
        }
    }

    private static int randomSize(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> 1 + random.nextInt(4096);
            case 1 -> 3632 + random.nextInt(4096 - 3632 + 1); // huge
            default -> 500 + random.nextInt(3632 - 500);
        };
    }

    /** Writes a page: the zero-copy path a codec uses, through the shared chunk buffer. */
    private void writePage(int page, Random random) {
        int size = randomSize(random);
        int key = random.nextInt(NOISE.length - 4096);
        long handle = pool.malloc(size, page);
        ByteBuffer buffer = pool.buffer(handle);
        buffer.put(pool.offset(handle), NOISE, key, size);
        handleOf[page] = handle;
        sizeOf[page] = size;
        keyOf[page] = key;
    }

    private void verifyPage(int page) {
        long handle = handleOf[page];
        assertThat(pool.size(handle)).isEqualTo(sizeOf[page]);
        MemorySegment expected = MemorySegment.ofArray(NOISE).asSlice(keyOf[page], sizeOf[page]);
        assertThat(pool.segment(handle).mismatch(expected)).as("first wrong byte of page %d", page).isEqualTo(-1L);
    }

    private void writer(long seed, long deadline) {
        Random random = new Random(seed);
        while (System.nanoTime() < deadline) {
            int page = random.nextInt(PAGES);
            ReentrantLock lock = pageLocks[page];
            lock.lock();
            try {
                if (handleOf[page] == 0) {
                    writePage(page, random);
                } else {
                    verifyPage(page);
                    pool.free(handleOf[page]);
                    handleOf[page] = 0;
                    if (random.nextInt(3) == 0) {
                        writePage(page, random); // an overwrite: free the old object, store the new one
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void writersAndACompactorNeverCorruptOrLoseDataAndAccountingReturnsToZero() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        AtomicBoolean writersDone = new AtomicBoolean();
        List<Future<?>> writers = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(WRITERS + 2);
        try {
            for (int w = 0; w < WRITERS; w++) {
                long seed = 1000 + w;
                writers.add(executor.submit(() -> writer(seed, deadline)));
            }
            Future<?> compactor = executor.submit(() -> {
                while (!writersDone.get()) {
                    pagesCompacted.addAndGet(pool.compact(migrator));
                    Thread.onSpinWait();
                }
            });
            Future<?> limitReader = executor.submit(() -> {
                while (!writersDone.get()) {
                    long total = pool.totalBytes();
                    assertThat(total).isNotNegative();
                    assertThat(total % 4096).isZero();
                }
            });
            try {
                for (Future<?> writer : writers) {
                    writer.get();
                }
            } finally {
                writersDone.set(true);
            }
            compactor.get();
            limitReader.get();
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(migrated.get()).as("objects moved by compaction").isPositive();
        assertThat(pagesCompacted.get()).as("pages freed by compaction").isPositive();
        long live = 0;
        for (int page = 0; page < PAGES; page++) {
            if (handleOf[page] != 0) {
                verifyPage(page);
                live++;
            }
        }
        assertThat(pool.classStats().stream().mapToLong(SizeClassStats::objectsUsed).sum()).isEqualTo(live);
        assertThat(pool.totalBytes()).isEqualTo(memory.liveBytes());

        for (int page = 0; page < PAGES; page++) {
            if (handleOf[page] != 0) {
                pool.free(handleOf[page]);
                handleOf[page] = 0;
            }
        }
        assertThat(pool.totalBytes()).isZero();
        assertThat(memory.liveChunks()).isZero();
        assertThat(pool.classStats()).allSatisfy(c -> assertThat(c.chunks()).isZero());
        pool.close();
    }
}
