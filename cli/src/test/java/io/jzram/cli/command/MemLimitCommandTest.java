package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram mem-limit shows and sets mem_limit")
class MemLimitCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void sets_silently_rounds_to_a_page_and_shows() {
        h.ok("zramctl", "-f", "-s", "1G");
        assertThat(h.ok("mem-limit", "zram0", "1.5G")).isEmpty();
        assertThat(h.ok("mem-limit", "zram0")).isEqualTo("1.5G\n");
        h.ok("mem-limit", "zram0", "1000");
        assertThat(h.ok("mem-limit", "-b", "zram0")).isEqualTo("4096\n");
        assertThat(h.ok("zramctl", "-o", "NAME,MEM-LIMIT", "-n")).isEqualTo("/dev/zram0    4K\n");
        h.ok("mem-limit", "zram0", "0");
        assertThat(h.ok("mem-limit", "zram0")).isEqualTo("0B\n");
    }

    @Test
    void bad_size() {
        h.ok("hot-add");
        assertThat(h.run("mem-limit", "zram0", "lots"))
                .isEqualTo(new Harness.Result(1, "", "jzram: failed to parse size: 'lots': Invalid argument\n"));
    }

    @Test
    void unknown_device() {
        assertThat(h.run("mem-limit", "zram1", "1G").err()).isEqualTo("jzram: zram1: No such device\n");
    }
}
