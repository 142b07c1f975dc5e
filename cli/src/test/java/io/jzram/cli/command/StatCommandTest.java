package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.core.ZramDevice;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram stat shows mm_stat and io_stat")
class StatCommandTest {
    final Harness h = new Harness();

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
                FIELD            VALUE
                orig_data_size      4K
                compr_data_size     0B
                """);
        assertThat(out).contains("same_pages           1\n", "writes               1\n", "bytes_written       4K\n", "notify_free          0\n");
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
