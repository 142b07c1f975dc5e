package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.core.DeviceSetup;
import io.jzram.core.TierSetup;
import io.jzram.core.TieringPolicy;
import io.jzram.core.ZramDevice;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("jzram stat shows mm_stat, io_stat, bd_stat and the tiers")
class StatCommandTest {
    final Harness h = new Harness();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void prints_the_sysfs_lines_then_every_field_by_name() throws Exception {
        h.ok("zramctl", "-f", "-s", "1M", "-t", "3");
        ZramDevice d = h.registry.find(0).orElseThrow();
        d.write(ByteBuffer.allocate(4096), 0);
        String out = h.ok("stat", "zram0");
        assertThat(out).startsWith("""
                zram0: disksize 1M, algorithm lz4, streams 3, LUN 0, holders 0
                mm_stat     4096        0        0        0        0        1        0        0        0
                io_stat        0        0        0        0
                bd_stat        0        0        0
                FIELD            VALUE
                orig_data_size      4K
                compr_data_size     0B
                """);
        assertThat(out).contains("same_pages           1\n", "writes               1\n", "bytes_written       4K\n", "notify_free          0\n");
        assertThat(out).endsWith("""
                bd_writes            0

                TIER PRIORITY PAGES DATA
                lz4         0     0   0B
                huge              0   0B
                same              1   4K
                wb                0   0B
                """);
    }

    @Test
    void bd_stat_and_the_pages_of_each_algorithm_and_tier() throws Exception {
        Path backing = dir.resolve("backing");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        h.ok("hot-add");
        ZramDevice d = h.registry.find(0).orElseThrow();
        h.registry.setUp(d, DeviceSetup.of(1 << 20, "lz4")
                .withTiers(new TierSetup(List.of("zstd"), List.of(), backing, -1, TieringPolicy.NONE)), false);
        byte[] text = Arrays.copyOf("compressible ".repeat(316).getBytes(StandardCharsets.US_ASCII), 4096);
        for (int i = 0; i < 3; i++) {
            d.write(ByteBuffer.wrap(text), i * 4096L);
        }
        d.write(ByteBuffer.allocate(4096), 3 * 4096L);
        h.ok("sysfs", "zram0", "writeback", "page_index=1");
        String out = h.ok("stat", "zram0");
        assertThat(out).contains("\nbd_stat        1        0        1\n",
                "bd_count             1\n", "bd_reads             0\n", "bd_writes            1\n");
        assertThat(out).endsWith("""
                TIER PRIORITY PAGES DATA
                lz4         0     2   8K
                zstd        1     0   0B
                huge              0   0B
                same              1   4K
                wb                1   4K
                """);
        assertThat(h.ok("stat", "-b", "zram0")).endsWith("""
                TIER PRIORITY PAGES DATA
                lz4         0     2 8192
                zstd        1     0    0
                huge              0    0
                same              1 4096
                wb                1 4096
                """);
        assertThat(h.ok("zramctl", "-o", "NAME,TIERS", "-n")).isEqualTo("/dev/zram0 lz4:8K same:4K wb:4K\n");
    }

    @Test
    void bytes_and_several_devices() {
        h.ok("zramctl", "-f", "-s", "1M");
        h.ok("hot-add");
        String out = h.ok("stat", "-b", "zram0", "/dev/zram1");
        assertThat(out).contains("zram0: disksize 1048576,", "\n\nzram1: not set up, algorithm lz4");
    }

    @Test
    void unknown_device() {
        assertThat(h.run("stat", "zram4")).isEqualTo(new Harness.Result(1, "", "jzram: zram4: No such device\n"));
    }

    @Test
    void needs_a_device() {
        Harness.Result r = h.run("stat");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("jzram: missing required parameter: 'DEVICE'\n").endsWith("Try 'jzram stat --help' for more information.\n");
    }
}
