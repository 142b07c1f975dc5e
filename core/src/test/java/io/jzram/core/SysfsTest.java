package io.jzram.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramException.Reason;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("sysfs: the kernel's attribute names, texts, syntax and errnos")
class SysfsTest {
    final ZramRegistry registry = new ZramRegistry(Duration.ofSeconds(5));
    final ZramDevice d = registry.hotAdd();

    @AfterEach
    void free() throws Exception {
        for (ZramDevice x : registry.devices()) {
            registry.hotRemove(x.id(), true, Duration.ofSeconds(5));
        }
    }

    static void fails(ThrowingCall call, Reason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void an_unconfigured_device_reads_as_the_kernels_files() throws Exception {
        assertThat(Sysfs.read(d, "disksize")).isEqualTo("0\n");
        assertThat(Sysfs.read(d, "initstate")).isEqualTo("0\n");
        assertThat(Sysfs.read(d, "comp_algorithm")).contains("[lz4] ").endsWith(" \n");
        assertThat(Sysfs.read(d, "mm_stat")).isEqualTo(d.mmStat() + "\n");
        assertThat(Sysfs.read(d, "io_stat")).isEqualTo(d.ioStat() + "\n");
    }

    @Test
    void settings_then_the_size_set_the_device_up_as_echo_into_the_files_would() throws Exception {
        Sysfs.write(registry, d, "comp_algorithm", "zstd\n");
        Sysfs.write(registry, d, "max_comp_streams", "2");
        Sysfs.write(registry, d, "mem_limit", "1M");
        Sysfs.write(registry, d, "disksize", "4M\n");
        assertThat(Sysfs.read(d, "initstate")).isEqualTo("1\n");
        assertThat(Sysfs.read(d, "disksize")).isEqualTo((4 << 20) + "\n");
        assertThat(Sysfs.read(d, "comp_algorithm")).contains("[zstd] ");
        assertThat(d.streams()).isEqualTo(2);
        assertThat(d.memLimit()).isEqualTo(1 << 20);

        fails(() -> Sysfs.write(registry, d, "disksize", "8M"), Reason.BUSY);
        fails(() -> Sysfs.write(registry, d, "comp_algorithm", "lz4"), Reason.BUSY);
        d.write(ByteBuffer.wrap(new byte[4096]).put(0, (byte) 1), 0);
        Sysfs.write(registry, d, "compact", "1");
        Sysfs.write(registry, d, "mem_used_max", "0");
        Sysfs.write(registry, d, "reset", "0");
        assertThat(d.isInitialized()).as("reset takes a non-zero number").isTrue();
        Sysfs.write(registry, d, "reset", "1");
        assertThat(Sysfs.read(d, "initstate")).isEqualTo("0\n");
        assertThat(Sysfs.read(d, "comp_algorithm")).as("reset restores the defaults").contains("[lz4] ");
    }

    @Test
    void a_held_device_is_busy_for_reset_as_in_the_kernel() throws Exception {
        Sysfs.write(registry, d, "disksize", "1M");
        try (ZramDevice.Holder ignored = d.open("session")) {
            fails(() -> Sysfs.write(registry, d, "reset", "1"), Reason.BUSY);
        }
    }

    @Test
    void the_kernels_errnos() {
        fails(() -> Sysfs.read(d, "mem_limit"), Reason.PERMISSION);
        fails(() -> Sysfs.read(d, "reset"), Reason.PERMISSION);
        fails(() -> Sysfs.write(registry, d, "mm_stat", "1"), Reason.PERMISSION);
        fails(() -> Sysfs.read(d, "debug_stat"), Reason.NO_SUCH_ATTRIBUTE);
        fails(() -> Sysfs.write(registry, d, "disksize", "4Q"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.write(registry, d, "disksize", "0"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.write(registry, d, "mem_used_max", "5"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.write(registry, d, "max_comp_streams", "0"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.write(registry, d, "compact", "1"), Reason.INVALID_ARGUMENT);
        assertThat(Reason.PERMISSION.strerror()).isEqualTo("Permission denied");
    }

    @Test
    void memparse_reads_sizes_as_the_kernel_does() throws Exception {
        assertThat(Sysfs.memparse(d, "disksize", "4096")).isEqualTo(4096);
        assertThat(Sysfs.memparse(d, "disksize", "1k")).isEqualTo(1024);
        assertThat(Sysfs.memparse(d, "disksize", "2G")).isEqualTo(2L << 30);
        assertThat(Sysfs.memparse(d, "disksize", "0x1000")).isEqualTo(4096);
        assertThat(Sysfs.memparse(d, "disksize", "010")).isEqualTo(8);
        fails(() -> Sysfs.memparse(d, "disksize", "1.5G"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.memparse(d, "disksize", "99999999999E"), Reason.INVALID_ARGUMENT);
    }

    @TempDir
    Path dir;

    @Test
    void the_tier_attributes_as_an_admin_would_use_them() throws Exception {
        Path backing = Files.createFile(dir.resolve("wb"));
        Sysfs.write(registry, d, "recomp_algorithm", "algo=zstd priority=1");
        Sysfs.write(registry, d, "algorithm_params", "algo=zstd level=8");
        Sysfs.write(registry, d, "backing_dev", backing + "\n");
        assertThat(Sysfs.read(d, "recomp_algorithm")).startsWith("#1: ").contains("[zstd] ").endsWith(" \n");
        assertThat(Sysfs.read(d, "backing_dev")).isEqualTo(backing + "\n");
        assertThat(d.algorithmChoice(1).level()).isEqualTo(8);
        fails(() -> Sysfs.write(registry, d, "idle", "all"), Reason.INVALID_ARGUMENT); // not set up: EINVAL
        Sysfs.write(registry, d, "disksize", "1M");

        byte[] text = TestPages.compressible(4096, 5);
        for (int p = 0; p < 16; p++) {
            d.write(TestPages.direct(text), p * 4096L);
        }
        Sysfs.write(registry, d, "idle", "all");
        Sysfs.write(registry, d, "recompress", "type=idle");
        assertThat(d.tierStat().algorithms().get(1).pages()).isEqualTo(16);
        Sysfs.write(registry, d, "writeback_limit_enable", "1");
        Sysfs.write(registry, d, "writeback_limit", "10");
        fails(() -> Sysfs.write(registry, d, "writeback", "idle"), Reason.IO_ERROR); // the limit ran out: EIO
        assertThat(Sysfs.read(d, "bd_stat")).isEqualTo("      10        0       10\n");
        assertThat(Sysfs.read(d, "writeback_limit")).isEqualTo("0\n");
        Sysfs.write(registry, d, "writeback_limit_enable", "0");
        Sysfs.write(registry, d, "writeback", "page_indexes=10-15");
        assertThat(d.bdStat().count()).isEqualTo(16);
        assertThat(Sysfs.read(d, "mm_stat").trim().split("\\s+")[1]).as("compr_data_size").isEqualTo("0");

        fails(() -> Sysfs.write(registry, d, "backing_dev", backing.toString()), Reason.BUSY);
        fails(() -> Sysfs.write(registry, d, "recomp_algorithm", "algo=deflate"), Reason.BUSY);
        fails(() -> Sysfs.read(d, "writeback"), Reason.PERMISSION);
        fails(() -> Sysfs.write(registry, d, "bd_stat", "1"), Reason.PERMISSION);
        fails(() -> Sysfs.write(registry, d, "writeback", "sometimes"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.write(registry, d, "recompress", "type=cold"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.write(registry, d, "recompress", "algo=zstd priority=1"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.write(registry, d, "writeback_limit_enable", "2"), Reason.INVALID_ARGUMENT);
    }

    @Test
    void the_background_policy_reads_and_writes_like_an_attribute() throws Exception {
        assertThat(Sysfs.read(d, "recompress_idle_after")).isEqualTo("off\n");
        Sysfs.write(registry, d, "recompress_idle_after", "10m");
        Sysfs.write(registry, d, "writeback_idle_after", "7200");
        Sysfs.write(registry, d, "tiering_cpu_budget", "0.25");
        assertThat(Sysfs.read(d, "recompress_idle_after")).isEqualTo("600\n");
        assertThat(d.tieringPolicy()).isEqualTo(new TieringPolicy(Duration.ofMinutes(10), Duration.ofHours(2), 0.25));
        Sysfs.write(registry, d, "writeback_idle_after", "off");
        assertThat(d.tieringPolicy().writebackIdleAfter()).isNull();
        fails(() -> Sysfs.write(registry, d, "tiering_cpu_budget", "2"), Reason.INVALID_ARGUMENT);
        fails(() -> Sysfs.write(registry, d, "recompress_idle_after", "soon"), Reason.INVALID_ARGUMENT);
        assertThat(Sysfs.formatAge(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Sysfs.formatAge(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(Sysfs.parseAge(Sysfs.formatAge(Duration.ofSeconds(61)))).isEqualTo(Duration.ofSeconds(61));
    }
}
