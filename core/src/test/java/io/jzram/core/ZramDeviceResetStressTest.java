package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramException.Reason;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads do I/O while another resets and re-initialises the device over and over. The
 * only errors allowed are the documented ones, no data from an old generation is ever visible
 * after a re-init, and every reset leaves nothing allocated.
 */
class ZramDeviceResetStressTest {

    static final int IO_THREADS = 4;
    static final int PAGES_PER_THREAD = 8;
    static final int DISK = IO_THREADS * PAGES_PER_THREAD * PAGE;

    @Test
    void ioRacingWithResetSeesOnlyWholeGenerations() throws Exception {
        ZramDevice device = new ZramDevice(7);
        device.init(DISK);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong completed = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch started = new CountDownLatch(IO_THREADS);
        List<Thread> threads = new ArrayList<>();

        for (int t = 0; t < IO_THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().name("io-" + t).start(() -> {
                started.countDown();
                try {
                    ioLoop(device, thread, stop, completed, refused);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        started.await();

        int resets = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        Random random = new Random(1);
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            Thread.sleep(0, random.nextInt(500_000));
            device.reset(false, Duration.ofSeconds(10));
            resets++;
            assertThat(device.mmStat()).as("nothing visible after reset").isEqualTo(MmStat.ZERO);
            assertThat(device.inFlight()).isZero();
            if (random.nextBoolean()) {
                Thread.sleep(0, random.nextInt(100_000));
            }
            device.init(DISK);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
        }
        assertThat(failures).isEmpty();
        // The last generation's accounting stayed exact under concurrency: discarding everything brings it to zero.
        device.discard(0, DISK);
        MmStat empty = device.mmStat();
        assertThat(empty.memUsedTotal()).as("mem_used_total after discarding all").isZero();
        assertThat(empty.origDataSize()).isZero();
        assertThat(empty.comprDataSize()).isZero();
        assertThat(empty.samePages()).isZero();
        assertThat(empty.hugePages()).isZero();
        device.reset(false, null);

        assertThat(resets).isGreaterThan(20);
        assertThat(completed.get()).as("I/O got through between resets").isGreaterThan(1000);
        assertThat(refused.get()).as("some I/O raced with a reset").isPositive();
    }

    private static void ioLoop(ZramDevice device, int thread, AtomicBoolean stop, AtomicLong completed,
            AtomicLong refused) throws Exception {
        Random random = new Random(thread);
        byte[][] lastWritten = new byte[PAGES_PER_THREAD][];
        long[] lastWrittenGen = new long[PAGES_PER_THREAD];
        ByteBuffer readBuf = ByteBuffer.allocateDirect(PAGE);
        long counter = 0;
        while (!stop.get()) {
            int slot = random.nextInt(PAGES_PER_THREAD);
            long offset = (long) (thread * PAGES_PER_THREAD + slot) * PAGE;
            try {
                if (random.nextInt(3) > 0) {
                    byte[] data = page(thread, slot, ++counter, random.nextInt(4));
                    long before = device.generation();
                    device.write(ByteBuffer.wrap(data), offset);
                    long after = device.generation();
                    lastWritten[slot] = data;
                    lastWrittenGen[slot] = before == after ? before : -1; // -1: which generation is unknown
                } else {
                    long before = device.generation();
                    readBuf.clear();
                    device.read(readBuf, offset);
                    long after = device.generation();
                    byte[] got = new byte[PAGE];
                    readBuf.flip().get(got);
                    if (before == after) {
                        check(got, lastWritten[slot], lastWrittenGen[slot], before, offset);
                    }
                }
                completed.incrementAndGet();
            } catch (ZramException e) {
                if (e.reason() != Reason.NOT_INITIALIZED) {
                    throw e;
                }
                refused.incrementAndGet();
            }
        }
    }

    /** A read from generation {@code readGen} sees either the last write (same generation) or zeros (a later one). */
    private static void check(byte[] got, byte[] last, long lastGen, long readGen, long offset) {
        boolean zeros = Arrays.equals(got, new byte[PAGE]);
        if (last == null || lastGen == -1) {
            if (!zeros && (last == null || !Arrays.equals(got, last))) {
                throw new AssertionError("offset " + offset + ": data that was never written here");
            }
            return;
        }
        if (lastGen == readGen) {
            if (!Arrays.equals(got, last) && !(zeros && isZeroPage(last))) {
                throw new AssertionError("offset " + offset + ": lost the write made in generation " + lastGen);
            }
        } else if (readGen > lastGen && !zeros) {
            throw new AssertionError("offset " + offset + ": data of generation " + lastGen
                    + " visible in generation " + readGen);
        }
    }

    private static boolean isZeroPage(byte[] page) {
        return Arrays.equals(page, new byte[PAGE]);
    }

    private static byte[] page(int thread, int slot, long counter, int kind) {
        long seed = (long) thread << 48 ^ (long) slot << 40 ^ counter;
        return switch (kind) {
            case 0 -> TestPages.sameFilled(PAGE, seed | 1);
            case 1 -> TestPages.random(PAGE, seed);
            default -> {
                byte[] text = TestPages.compressible(PAGE, seed);
                ByteBuffer.wrap(text).putLong(0, seed); // make every write distinguishable
                yield text;
            }
        };
    }
}
