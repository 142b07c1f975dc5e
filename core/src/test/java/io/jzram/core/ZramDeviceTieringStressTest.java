package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I/O threads overwrite, partially patch, discard and read back their own pages while two other
 * threads move those very pages between tiers without pause: one marks pages idle, recompresses
 * them with zstd and writes them back to a file, the other compacts the allocator. Every read is
 * checked against the writer's model of its pages: a page being recompressed or written back
 * while it is read or written is never lost or torn. At the end, with every page discarded, the
 * device holds no memory and no backing block.
 */
class ZramDeviceTieringStressTest {

    static final int WRITERS = 2;
    static final int PAGES_PER_WRITER = 128;

    @TempDir
    Path dir;

    /** Version {@code v} of a page: a repeated word, text (zstd shrinks it), random (huge), or text with a random tail. */
    static byte[] contents(int page, int v) {
        long seed = (long) page << 32 | v;
        return switch (Math.floorMod(v, 6)) {
            case 0 -> TestPages.sameFilled(PAGE, seed);
            case 1, 2, 3 -> TestPages.compressible(PAGE, seed);
            case 4 -> TestPages.random(PAGE, seed);
            default -> {
                byte[] b = TestPages.compressible(PAGE, seed);
                System.arraycopy(TestPages.random(1024, seed), 0, b, 3072, 1024);
                yield b;
            }
        };
    }

    @Test
    void pagesSurviveRecompressionWritebackAndCompactionRacingWithIo() throws Exception {
        ZramDevice device = new ZramDevice(4);
        device.setRecompAlgorithm(1, "zstd");
        device.setBackingDev(Files.createFile(dir.resolve("backing")));
        device.init((long) WRITERS * PAGES_PER_WRITER * PAGE);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong recompressed = new AtomicLong();
        AtomicLong writtenBack = new AtomicLong();
        AtomicLong verified = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int first = w * PAGES_PER_WRITER;
            threads.add(Thread.ofPlatform().name("io-" + w).start(() -> run(failures, () -> ioLoop(device, first, stop, verified))));
        }
        threads.add(Thread.ofPlatform().name("tiers").start(() -> run(failures, () -> {
            Random r = new Random(1);
            while (!stop.get()) {
                device.markIdle(r.nextBoolean() ? OptionalLong.empty() : OptionalLong.of(0));
                recompressed.addAndGet(device.recompress(RecompressRequest.parse(r.nextBoolean() ? "type=idle" : "type=huge_idle")));
                writtenBack.addAndGet(device.writeback(r.nextInt(3) == 0 ? WritebackRequest.parse("huge") : WritebackRequest.IDLE));
            }
        })));
        threads.add(Thread.ofPlatform().name("compactor").start(() -> run(failures, () -> {
            while (!stop.get()) {
                device.compact();
            }
        })));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(failures).isEmpty();
        assertThat(verified.get()).as("reads verified").isGreaterThan(1000);
        assertThat(recompressed.get()).as("pages recompressed").isPositive();
        assertThat(writtenBack.get()).as("pages written back").isPositive();
        assertThat(device.tierStat().pages() * PAGE).as("the tiers add up to orig_data_size").isEqualTo(device.mmStat().origDataSize());

        device.discard(0, device.diskSize());
        device.compact();
        MmStat s = device.mmStat();
        assertThat(s.origDataSize()).isZero();
        assertThat(s.comprDataSize()).isZero();
        assertThat(s.hugePages()).isZero();
        assertThat(s.memUsedTotal()).as("nothing left allocated").isZero();
        assertThat(device.bdStat().count()).as("no backing block left").isZero();
        device.reset(false, null);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void run(ConcurrentLinkedQueue<Throwable> failures, Body body) {
        try {
            body.run();
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    /** Writes (whole pages and 512-byte patches), discards and reads back pages [first, first + PAGES_PER_WRITER). */
    private static void ioLoop(ZramDevice device, int first, AtomicBoolean stop, AtomicLong verified) throws Exception {
        Random random = new Random(first);
        byte[][] model = new byte[PAGES_PER_WRITER][PAGE];
        ByteBuffer out = ByteBuffer.allocateDirect(PAGE);
        byte[] got = new byte[PAGE];
        int v = 0;
        while (!stop.get()) {
            int i = random.nextInt(PAGES_PER_WRITER);
            long at = (long) (first + i) * PAGE;
            int what = random.nextInt(20);
            if (what == 0) {
                device.discard(at, PAGE);
                Arrays.fill(model[i], (byte) 0);
            } else if (what < 4) {
                byte[] patch = TestPages.random(512, ++v);
                int sector = random.nextInt(8);
                device.write(TestPages.direct(patch), at + sector * 512L);
                System.arraycopy(patch, 0, model[i], sector * 512, 512);
            } else if (what < 10) {
                model[i] = contents(first + i, ++v);
                device.write(TestPages.direct(model[i]), at);
            }
            int j = random.nextInt(PAGES_PER_WRITER);
            device.read(out.clear(), (long) (first + j) * PAGE);
            out.flip().get(got);
            if (!Arrays.equals(got, model[j])) {
                throw new AssertionError("page " + (first + j) + " does not read back what was last written");
            }
            verified.incrementAndGet();
        }
    }
}
