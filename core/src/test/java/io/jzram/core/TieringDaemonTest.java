package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background worker moves pages by the device's policy, by itself, and stops when closed. */
class TieringDaemonTest {

    @TempDir
    Path dir;

    private final AtomicLong seconds = new AtomicLong(0);

    @Test
    void cold_pages_are_recompressed_then_written_back_without_a_command() throws Exception {
        ZramDevice device = new ZramDevice(0, () -> seconds.get() * 1_000_000_000L);
        device.setRecompAlgorithm(1, "zstd");
        device.setBackingDev(Files.createFile(dir.resolve("wb")));
        device.init(256L * PAGE);
        for (int p = 0; p < 256; p++) {
            device.write(TestPages.direct(TestPages.compressible(PAGE, p)), (long) p * PAGE);
        }
        device.setTieringPolicy(new TieringPolicy(Duration.ofMinutes(10), Duration.ofHours(1), 1));
        List<ZramException> failures = new CopyOnWriteArrayList<>();
        try (TieringDaemon daemon = new TieringDaemon(() -> List.of(device), (d, e) -> failures.add(e))) {
            Thread.sleep(300);
            assertThat(device.tierStat().algorithms().get(1).pages()).as("nothing is cold yet").isZero();
        }
        seconds.addAndGet(601);
        ByteBuffer b = ByteBuffer.allocateDirect(PAGE);
        for (int p = 1; p < 256; p += 2) {
            device.read(b.clear(), (long) p * PAGE); // the odd pages are hot again
        }
        try (TieringDaemon daemon = new TieringDaemon(() -> List.of(device), (d, e) -> failures.add(e))) {
            await(() -> device.tierStat().algorithms().get(1).pages() == 128, "the 128 cold pages recompressed");
            await(() -> device.mmStat().pagesCompacted() > 0, "the holes they left among the hot pages compacted");
            assertThat(device.bdStat().count()).isZero();

            seconds.addAndGet(3600);
            await(() -> device.bdStat().count() == 256, "every page written back");
        }
        assertThat(failures).isEmpty();
        for (int p = 0; p < 256; p++) {
            device.read(b.clear(), (long) p * PAGE);
            byte[] got = new byte[PAGE];
            b.flip().get(got);
            assertThat(got).isEqualTo(TestPages.compressible(PAGE, p));
        }
        assertThat(device.mmStat().comprDataSize()).isZero();
        device.reset(true, Duration.ofSeconds(5));
    }

    @Test
    void a_full_backing_device_is_reported_and_close_stops_the_thread() throws Exception {
        ZramDevice device = new ZramDevice(1, () -> seconds.get() * 1_000_000_000L);
        Path file = dir.resolve("small");
        Files.write(file, new byte[4 * PAGE]);
        device.setBackingDev(file);
        device.init(64L * PAGE);
        for (int p = 0; p < 8; p++) {
            device.write(TestPages.direct(TestPages.compressible(PAGE, p)), (long) p * PAGE);
        }
        device.setTieringPolicy(new TieringPolicy(null, Duration.ofSeconds(1), 1));
        seconds.addAndGet(2);
        List<ZramException> failures = new CopyOnWriteArrayList<>();
        TieringDaemon daemon = new TieringDaemon(() -> List.of(device), (d, e) -> failures.add(e));
        await(() -> !failures.isEmpty(), "the failure reported");
        daemon.close();
        assertThat(failures.getFirst().reason()).isEqualTo(ZramException.Reason.NO_SPACE_LEFT);
        assertThat(device.bdStat().count()).isEqualTo(4);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("jzram-tiering") && t.isAlive());
        device.reset(true, Duration.ofSeconds(5));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
