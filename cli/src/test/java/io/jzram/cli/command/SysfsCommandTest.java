package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.core.Sysfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram sysfs DEVICE ATTRIBUTE [VALUE]: cat and echo on the kernel's attribute files")
class SysfsCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void attributes_read_and_write_as_the_kernels_files() {
        h.ok("hot-add");
        assertThat(h.run("sysfs", "zram0", "initstate")).isEqualTo(new Harness.Result(0, "0\n", ""));
        assertThat(h.run("sysfs", "zram0", "comp_algorithm", "zstd")).isEqualTo(new Harness.Result(0, "", ""));
        assertThat(h.run("sysfs", "/dev/zram0", "disksize", "8M")).isEqualTo(new Harness.Result(0, "", ""));
        assertThat(h.ok("sysfs", "0", "disksize")).isEqualTo("8388608\n");
        assertThat(h.ok("sysfs", "zram0", "comp_algorithm")).contains("[zstd] ");
        assertThat(h.ok("zramctl", "-o", "NAME,ALGORITHM,DISKSIZE", "--raw", "-n")).isEqualTo("/dev/zram0 zstd 8M\n");
        assertThat(h.ok("sysfs", "zram0", "mm_stat")).matches("( +\\d+){9}\\n");
    }

    @Test
    void failures_say_what_cat_and_echo_would() {
        h.ok("hot-add");
        h.ok("sysfs", "zram0", "disksize", "1M");
        assertThat(h.run("sysfs", "zram0", "disksize", "2M"))
                .isEqualTo(new Harness.Result(1, "", "jzram: zram0/disksize: write error: Device or resource busy\n"));
        assertThat(h.run("sysfs", "zram0", "mem_limit"))
                .isEqualTo(new Harness.Result(1, "", "jzram: zram0/mem_limit: Permission denied\n"));
        assertThat(h.run("sysfs", "zram0", "backing_dev", "/nonexistent/backing"))
                .isEqualTo(new Harness.Result(1, "", "jzram: zram0/backing_dev: write error: Device or resource busy\n"));
        assertThat(h.run("sysfs", "zram0", "debug_stat"))
                .isEqualTo(new Harness.Result(1, "", "jzram: zram0/debug_stat: No such file or directory\n"));
        assertThat(h.run("sysfs", "zram0", "max_comp_streams", "x"))
                .isEqualTo(new Harness.Result(1, "", "jzram: zram0/max_comp_streams: write error: Invalid argument\n"));
        assertThat(h.run("sysfs", "zram7", "disksize").status()).isEqualTo(1);
    }

    @Test
    void the_help_names_every_attribute_and_the_tiering_ones_work() {
        String help = h.ok("sysfs", "--help");
        for (String attribute : Sysfs.ATTRIBUTES) {
            assertThat(help).as(attribute).containsPattern("(?m)^  " + attribute + " \\((RW|RO|WO)\\)$");
        }
        h.ok("zramctl", "-f", "-s", "1M");
        assertThat(h.ok("sysfs", "zram0", "bd_stat")).isEqualTo("       0        0        0\n");
        assertThat(h.ok("sysfs", "zram0", "writeback_idle_after")).isEqualTo("off\n");
        h.ok("sysfs", "zram0", "writeback_idle_after", "10m");
        assertThat(h.ok("sysfs", "zram0", "writeback_idle_after")).isEqualTo("600\n");
        assertThat(h.run("sysfs", "zram0", "recompress"))
                .isEqualTo(new Harness.Result(1, "", "jzram: zram0/recompress: Permission denied\n"));
    }
}
