package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's memory tiers on one device: idle marks by age, recompression with a second
 * algorithm, writeback to a backing file, and the statistics that must stay true through them.
 */
@DisplayName("tiers: idle, recompress, writeback")
class ZramDeviceTieringTest {

    static final int PAGES = 64;

    /** Seconds of the device's clock, moved by the tests. */
    private final AtomicLong seconds = new AtomicLong(1000);
    private final ZramDevice device = new ZramDevice(0, () -> seconds.get() * 1_000_000_000L);

    @TempDir
    Path dir;

    @AfterEach
    void reset() throws Exception {
        device.reset(true, Duration.ofSeconds(5));
    }

    private Path backingFile() throws IOException {
        return Files.createFile(dir.resolve("wb"));
    }

    private void setUp(boolean zstd, boolean backing) throws Exception {
        if (zstd) {
            device.setRecompAlgorithm(1, "zstd");
        }
        if (backing) {
            device.setBackingDev(backingFile());
        }
        device.init((long) PAGES * PAGE);
    }

    private void write(int page, byte[] data) throws ZramException {
        device.write(TestPages.direct(data), (long) page * PAGE);
    }

    private byte[] read(int page) throws ZramException {
        ByteBuffer b = ByteBuffer.allocateDirect(PAGE);
        device.read(b, (long) page * PAGE);
        byte[] out = new byte[PAGE];
        b.flip().get(out);
        return out;
    }

    /** Text whose lz4 output is a little over 2 KiB: zstd shrinks it by more than a size class. */
    private static byte[] text(int page) {
        return TestPages.compressible(PAGE, page);
    }

    @Test
    void idle_all_marks_every_page_holding_an_object_and_an_access_unmarks_it() throws Exception {
        setUp(true, true);
        for (int p = 0; p < 8; p++) {
            write(p, text(p));
        }
        write(8, TestPages.zeros(PAGE)); // same-filled: never idle
        assertThat(device.markIdle(OptionalLong.empty())).isEqualTo(8);
        read(3);
        write(5, text(50));
        assertThat(device.writeback(WritebackRequest.IDLE)).as("pages 3 and 5 were accessed since").isEqualTo(6);
        assertThat(device.bdStat().count()).isEqualTo(6);
    }

    @Test
    void idle_with_an_age_marks_the_pages_not_accessed_for_that_long() throws Exception {
        setUp(false, true);
        write(0, text(0));
        write(1, text(1));
        seconds.addAndGet(100);
        write(2, text(2));
        read(1);
        seconds.addAndGet(50);
        assertThat(device.markIdle(OptionalLong.of(120))).as("only page 0 is 150 s old").isEqualTo(1);
        assertThat(device.writeback(WritebackRequest.IDLE)).isEqualTo(1);
        assertThat(device.markIdle(OptionalLong.of(50))).as("pages 1 and 2; page 0 is written back").isEqualTo(2);
    }

    @Test
    void recompression_shrinks_idle_pages_keeps_their_data_and_mm_stat_true() throws Exception {
        setUp(true, false);
        for (int p = 0; p < PAGES; p++) {
            write(p, text(p));
        }
        MmStat before = device.mmStat();
        device.markIdle(OptionalLong.empty());
        long done = device.recompress(RecompressRequest.parse("type=idle"));
        MmStat after = device.mmStat();

        assertThat(done).isEqualTo(PAGES);
        assertThat(after.origDataSize()).isEqualTo(before.origDataSize());
        assertThat(after.comprDataSize()).isLessThan(before.comprDataSize());
        assertThat(after.memUsedTotal()).isLessThanOrEqualTo(before.memUsedTotal());
        TierStat tiers = device.tierStat();
        assertThat(tiers.algorithms()).extracting(TierStat.AlgorithmPages::algorithm, TierStat.AlgorithmPages::pages)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lz4", 0L), org.assertj.core.groups.Tuple.tuple("zstd", (long) PAGES));
        for (int p = 0; p < PAGES; p++) {
            assertThat(read(p)).as("page %d reads with the algorithm it was recompressed with", p).isEqualTo(text(p));
        }
        assertThat(device.recompress(RecompressRequest.parse("type=idle")))
                .as("pages already at the highest priority are not tried again").isZero();
        write(0, text(0));
        assertThat(device.tierStat().algorithms().get(1).pages()).as("an overwrite goes back to the primary").isEqualTo(PAGES - 1);
        device.compact();
        assertThat(device.mmStat().memUsedTotal()).isGreaterThanOrEqualTo(device.mmStat().comprDataSize());
    }

    @Test
    void a_page_no_algorithm_shrinks_keeps_its_object_and_is_marked_incompressible() throws Exception {
        setUp(true, true);
        byte[] noise = TestPages.random(PAGE, 7);
        write(0, noise);
        MmStat before = device.mmStat();
        assertThat(before.hugePages()).isEqualTo(1);
        assertThat(device.recompress(RecompressRequest.parse("type=huge"))).isZero();
        assertThat(device.mmStat()).isEqualTo(before);
        assertThat(read(0)).isEqualTo(noise);
        assertThat(device.writeback(WritebackRequest.parse("incompressible"))).isEqualTo(1);
        assertThat(device.mmStat().hugePages()).as("written-back pages leave huge_pages").isZero();
        assertThat(read(0)).isEqualTo(noise);
    }

    @Test
    void a_huge_page_that_the_second_algorithm_shrinks_is_no_longer_huge() throws Exception {
        device.setRecompAlgorithm(1, "zstd");
        device.setAlgorithmParams(1, 19, null);
        device.init((long) PAGES * PAGE);
        byte[] page = letters(3);
        write(0, page);
        assertThat(device.mmStat().hugePages()).isEqualTo(1);
        assertThat(device.recompress(RecompressRequest.parse("type=huge"))).isEqualTo(1);
        assertThat(device.mmStat().hugePages()).isZero();
        assertThat(device.mmStat().comprDataSize()).isLessThan(PAGE);
        assertThat(read(0)).isEqualTo(page);
    }

    /** Random bytes from a 20-letter alphabet: lz4 finds no matches worth having (a huge page), zstd's entropy coder does. */
    private static byte[] letters(long seed) {
        byte[] page = new byte[PAGE];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < PAGE; i++) {
            page[i] = (byte) ('a' + r.nextInt(20));
        }
        return page;
    }

    @Test
    void threshold_max_pages_and_the_algorithm_choose_the_pages_and_algorithms() throws Exception {
        device.setRecompAlgorithm(1, "lz4hc");
        device.setRecompAlgorithm(2, "zstd");
        device.init((long) PAGES * PAGE);
        for (int p = 0; p < 10; p++) {
            write(p, text(p));
        }
        write(10, TestPages.compressible(512, 1)); // a small object (the rest zeros)
        write(11, letters(11));
        assertThat(device.recompress(RecompressRequest.parse("max_pages=3 algo=zstd"))).isEqualTo(3);
        assertThat(device.tierStat().algorithms().get(2).pages()).isEqualTo(3);
        assertThat(device.recompress(RecompressRequest.parse("threshold=4000 priority=1")))
                .as("every object is below the threshold").isZero();
        assertThat(device.recompress(RecompressRequest.parse("threshold=3000 priority=2")))
                .as("only the huge page is at least 3000 bytes, and zstd gets it below 3000").isEqualTo(1);
        assertThat(device.mmStat().hugePages()).isZero();
        assertThat(device.recompress(RecompressRequest.parse("priority=2"))).as("the 7 text pages left and the small one").isEqualTo(8);
        assertThat(read(11)).isEqualTo(letters(11));
        assertThatThrownBy(() -> device.recompress(RecompressRequest.parse("algo=deflate")))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        for (int p = 0; p < 10; p++) {
            assertThat(read(p)).isEqualTo(text(p));
        }
    }

    @Test
    void recompression_needs_a_recompression_algorithm() throws Exception {
        setUp(false, false);
        assertThatThrownBy(() -> device.recompress(RecompressRequest.ALL))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
                .hasMessageContaining("no recomp_algorithm");
    }

    @Test
    void written_back_pages_leave_memory_read_back_intact_and_free_their_block_when_rewritten() throws Exception {
        setUp(false, true);
        for (int p = 0; p < PAGES; p++) {
            write(p, text(p));
        }
        long memBefore = device.mmStat().memUsedTotal();
        device.markIdle(OptionalLong.empty());
        assertThat(device.writeback(WritebackRequest.IDLE)).isEqualTo(PAGES);
        device.compact();
        MmStat after = device.mmStat();
        assertThat(after.origDataSize()).as("written-back pages are still stored").isEqualTo((long) PAGES * PAGE);
        assertThat(after.comprDataSize()).isZero();
        assertThat(after.memUsedTotal()).as("at least 3/4 of their memory is freed").isLessThanOrEqualTo(memBefore / 4);
        assertThat(device.bdStat()).isEqualTo(new BdStat(PAGES, 0, PAGES));
        for (int p = 0; p < PAGES; p++) {
            assertThat(read(p)).isEqualTo(text(p));
        }
        assertThat(device.bdStat().reads()).isEqualTo(PAGES);
        write(0, text(100));
        device.discard(PAGE, PAGE);
        assertThat(device.bdStat().count()).isEqualTo(PAGES - 2);
        assertThat(read(0)).isEqualTo(text(100));
        assertThat(read(1)).isEqualTo(new byte[PAGE]);
        // A partial write to a written-back page merges with the page read back.
        byte[] patch = TestPages.random(512, 9);
        device.write(TestPages.direct(patch), 2L * PAGE + 1024);
        byte[] want = text(2);
        System.arraycopy(patch, 0, want, 1024, 512);
        assertThat(read(2)).isEqualTo(want);
        assertThat(device.tierStat().pages()).isEqualTo(PAGES - 1);
    }

    @Test
    void writeback_by_page_index_and_range() throws Exception {
        setUp(false, true);
        for (int p = 0; p < 10; p++) {
            write(p, text(p));
        }
        assertThat(device.writeback(WritebackRequest.parse("page_index=1 page_indexes=4-6"))).isEqualTo(4);
        assertThat(device.writeback(WritebackRequest.parse("page_index=1"))).as("already written back").isZero();
        assertThatThrownBy(() -> device.writeback(WritebackRequest.parse("page_index=64")))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    }

    @Test
    void writeback_limit_stops_writeback_with_eio_as_the_kernel() throws Exception {
        setUp(false, true);
        for (int p = 0; p < 10; p++) {
            write(p, text(p));
        }
        device.setWritebackLimit(3);
        device.setWritebackLimitEnabled(true);
        device.markIdle(OptionalLong.empty());
        assertThatThrownBy(() -> device.writeback(WritebackRequest.IDLE))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO_ERROR))
                .hasMessageContaining("writeback_limit");
        assertThat(device.bdStat().count()).isEqualTo(3);
        assertThat(device.writebackLimit()).isZero();
        device.setWritebackLimitEnabled(false);
        assertThat(device.writeback(WritebackRequest.IDLE)).isEqualTo(7);
    }

    @Test
    void a_full_backing_file_ends_writeback_with_enospc_and_keeps_the_page_in_memory() throws Exception {
        Path file = backingFile();
        Files.write(file, new byte[2 * PAGE]); // a file with a length holds that many blocks
        device.setBackingDev(file);
        device.init((long) PAGES * PAGE);
        for (int p = 0; p < 3; p++) {
            write(p, text(p));
        }
        device.markIdle(OptionalLong.empty());
        assertThatThrownBy(() -> device.writeback(WritebackRequest.IDLE))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_SPACE_LEFT));
        assertThat(device.bdStat().count()).isEqualTo(2);
        assertThat(device.mmStat().comprDataSize()).isPositive();
        for (int p = 0; p < 3; p++) {
            assertThat(read(p)).isEqualTo(text(p));
        }
    }

    @Test
    void writeback_needs_a_backing_device_and_settings_before_init_are_refused_after() throws Exception {
        setUp(true, false);
        assertThatThrownBy(() -> device.writeback(WritebackRequest.IDLE))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_DEVICE));
        Path file = backingFile();
        assertThatThrownBy(() -> device.setBackingDev(file))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BUSY));
        assertThatThrownBy(() -> device.setRecompAlgorithm(2, "deflate"))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BUSY));
    }

    @Test
    void a_backing_device_must_exist_and_be_a_file_or_block_device() {
        assertThatThrownBy(() -> device.setBackingDev(dir.resolve("missing")))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_FILE));
        assertThatThrownBy(() -> device.setBackingDev(dir))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    }

    @Test
    void a_zstd_dictionary_is_read_when_set_and_pages_read_back_with_it() throws Exception {
        Path dict = dir.resolve("dict");
        Files.write(dict, TestPages.compressible(8192, 99));
        device.setRecompAlgorithm(1, "zstd");
        assertThatThrownBy(() -> device.setAlgorithmParams(1, 0, dir.resolve("none")))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_FILE));
        assertThatThrownBy(() -> device.setAlgorithmParams(0, 0, dict)).as("lz4-java has no dictionaries")
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        device.setAlgorithmParams(1, 3, dict);
        assertThat(device.algorithmChoice(1).params()).isEqualTo("level=3 dict=" + dict);
        device.init((long) PAGES * PAGE);
        for (int p = 0; p < 8; p++) {
            write(p, text(p));
        }
        assertThat(device.recompress(RecompressRequest.ALL)).isEqualTo(8);
        for (int p = 0; p < 8; p++) {
            assertThat(read(p)).isEqualTo(text(p));
        }
    }

    @Test
    void reset_forgets_every_tier_setting() throws Exception {
        device.setRecompAlgorithm(1, "zstd");
        device.setBackingDev(backingFile());
        device.setWritebackLimit(5);
        device.setWritebackLimitEnabled(true);
        device.setTieringPolicy(new TieringPolicy(Duration.ofMinutes(10), null, 0.5));
        device.reset(false, null);
        assertThat(device.algorithmChoice(1)).isNull();
        assertThat(device.backingDev()).isNull();
        assertThat(device.isWritebackLimitEnabled()).isFalse();
        assertThat(device.tieringPolicy()).isEqualTo(TieringPolicy.NONE);
    }

    @Test
    void the_background_slice_moves_pages_by_their_age() throws Exception {
        setUp(true, true);
        for (int p = 0; p < 8; p++) {
            write(p, text(p));
        }
        seconds.addAndGet(700);
        write(7, text(7));
        TieringPolicy policy = new TieringPolicy(Duration.ofMinutes(10), Duration.ofHours(1), 1);
        assertThat(device.tierSlice(0, PAGES, policy)).as("pages 0-6 are 700 s old").isEqualTo(7);
        assertThat(device.tierStat().algorithms().get(1).pages()).isEqualTo(7);
        seconds.addAndGet(2000);
        assertThat(device.tierSlice(0, PAGES, policy)).as("none is an hour old yet; page 7 recompressed").isEqualTo(1);
        seconds.addAndGet(1000);
        assertThat(device.tierSlice(0, PAGES, policy)).as("pages 0-6 are over an hour old").isEqualTo(7);
        assertThat(device.bdStat().count()).isEqualTo(7);
        for (int p = 0; p < 8; p++) {
            assertThat(read(p)).isEqualTo(text(p));
        }
    }
}
