package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram hot-add adds a device that is not set up")
class HotAddCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void prints_the_new_device_with_the_lowest_free_number() {
        assertThat(h.ok("hot-add")).isEqualTo("zram0\n");
        assertThat(h.ok("hot-add")).isEqualTo("zram1\n");
        h.ok("hot-remove", "zram0");
        assertThat(h.ok("hot-add")).isEqualTo("zram0\n");
        assertThat(h.registry.find(0).orElseThrow().isInitialized()).isFalse();
    }

    @Test
    void takes_no_arguments() {
        Harness.Result r = h.run("hot-add", "zram3");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("jzram: unexpected argument 'zram3'\n");
    }
}
