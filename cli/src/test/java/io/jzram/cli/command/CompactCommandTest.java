package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram compact compacts and reports the pages freed")
class CompactCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void compacts() {
        h.ok("zramctl", "-f", "-s", "1M");
        assertThat(h.ok("compact", "zram0")).isEqualTo("zram0: 0 pages freed (0B)\n");
    }

    @Test
    void a_device_not_set_up_cannot_be_compacted() {
        h.ok("hot-add");
        assertThat(h.run("compact", "zram0"))
                .isEqualTo(new Harness.Result(1, "", "jzram: zram0: failed to compact: No such device or address\n"));
    }

    @Test
    void unknown_device() {
        assertThat(h.run("compact", "7")).isEqualTo(new Harness.Result(1, "", "jzram: 7: No such device\n"));
    }
}
