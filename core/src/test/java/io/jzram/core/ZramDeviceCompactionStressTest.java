package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Writers overwrite, discard and read back their own pages while another thread compacts the
 * allocator without pause. Overwrites mix every kind of page, so that objects are replaced by new
 * ones, rewritten in place (same size class, incompressible over incompressible) and freed, all
 * while compaction moves them. Every read returns exactly what was last written, and when all
 * pages are discarded the device holds no memory.
 */
class ZramDeviceCompactionStressTest {

    static final int WRITERS = 3;
    static final int PAGES_PER_WRITER = 96;

    /** The contents of version {@code v} of a page: zeros, a repeated word, compressible (sizes vary with v) or random. */
    static byte[] contents(int page, int v) {
        long seed = (long) page << 32 | v;
        return switch (Math.floorMod(v, 8)) {
            case 0 -> TestPages.zeros(PAGE);
            case 1 -> TestPages.sameFilled(PAGE, seed);
            case 2, 3, 4 -> TestPages.compressible(PAGE, seed);
            default -> TestPages.random(PAGE, seed); // huge: often over another huge page, in place
        };
    }

    @Test
    void pagesSurviveCompactionRacingWithOverwritesAndDiscards() throws Exception {
        ZramDevice device = new ZramDevice(3);
        device.init((long) WRITERS * PAGES_PER_WRITER * PAGE);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong compactions = new AtomicLong();
        AtomicLong pagesCompacted = new AtomicLong();
        AtomicLong verified = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int first = w * PAGES_PER_WRITER;
            threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                try {
                    writeLoop(device, first, stop, verified);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("compactor").start(() -> {
            try {
                while (!stop.get()) {
                    pagesCompacted.addAndGet(device.compact());
                    compactions.incrementAndGet();
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(failures).isEmpty();
        assertThat(verified.get()).as("reads verified").isGreaterThan(1000);
        assertThat(compactions.get()).as("compactions run").isGreaterThan(10);
        assertThat(pagesCompacted.get()).as("compaction moved objects and freed pages").isPositive();

        device.discard(0, device.diskSize());
        device.compact();
        MmStat s = device.mmStat();
        assertThat(s.origDataSize()).isZero();
        assertThat(s.comprDataSize()).isZero();
        assertThat(s.hugePages()).isZero();
        assertThat(s.samePages()).isZero();
        assertThat(s.memUsedTotal()).as("nothing left allocated").isZero();
        device.reset(false, null);
    }

    /** Writes, discards and reads back pages [first, first + PAGES_PER_WRITER), checking every read. */
    private static void writeLoop(ZramDevice device, int first, AtomicBoolean stop, AtomicLong verified) throws Exception {
        Random random = new Random(first);
        int[] version = new int[PAGES_PER_WRITER]; // -1: discarded (reads as zeros)
        ByteBuffer out = ByteBuffer.allocateDirect(PAGE);
        byte[] got = new byte[PAGE];
        byte[] zeros = new byte[PAGE];
        int v = 0;
        while (!stop.get()) {
            int i = random.nextInt(PAGES_PER_WRITER);
            long at = (long) (first + i) * PAGE;
            if (random.nextInt(10) == 0) { // a discard leaves holes for compaction to close
                device.discard(at, PAGE);
                version[i] = -1;
            } else {
                version[i] = ++v;
                device.write(TestPages.direct(contents(first + i, v)), at);
            }
            int j = random.nextInt(PAGES_PER_WRITER);
            device.read(out.clear(), (long) (first + j) * PAGE);
            out.flip().get(got);
            byte[] want = version[j] <= 0 ? zeros : contents(first + j, version[j]);
            if (!Arrays.equals(got, want)) {
                throw new AssertionError("page " + (first + j) + " does not read back version " + version[j]);
            }
            verified.incrementAndGet();
        }
    }
}
