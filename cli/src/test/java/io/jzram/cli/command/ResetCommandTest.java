package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.core.ZramDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram reset frees a device and keeps it")
class ResetCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void resets_to_the_defaults_and_keeps_the_device() {
        h.ok("zramctl", "-f", "-s", "1M", "-a", "zstd");
        h.ok("mem-limit", "zram0", "1M");
        assertThat(h.run("reset", "zram0")).isEqualTo(new Harness.Result(0, "", ""));
        ZramDevice d = h.registry.find(0).orElseThrow();
        assertThat(d.isInitialized()).isFalse();
        assertThat(d.algorithm()).isEqualTo("lz4");
        assertThat(d.memLimit()).isZero();
    }

    @Test
    void busy_device() throws Exception {
        h.ok("zramctl", "-f", "-s", "1M");
        ZramDevice d = h.registry.find(0).orElseThrow();
        try (ZramDevice.Holder a = d.open("a"); ZramDevice.Holder b = d.open("b")) {
            assertThat(h.run("reset", "zram0")).isEqualTo(new Harness.Result(1, "",
                    "jzram: zram0: failed to reset: Device or resource busy (in use by 2 holders; --force to reset it anyway)\n"));
            assertThat(d.isInitialized()).isTrue();
            assertThat(h.run("reset", "--force", "zram0").status()).isZero();
            assertThat(d.isInitialized()).isFalse();
        }
    }

    @Test
    void unknown_device() {
        assertThat(h.run("reset", "zram2")).isEqualTo(new Harness.Result(1, "", "jzram: zram2: No such device\n"));
    }
}
