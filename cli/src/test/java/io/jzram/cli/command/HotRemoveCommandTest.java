package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.core.ZramDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram hot-remove removes devices, refusing busy ones unless forced")
class HotRemoveCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void removes() {
        h.ok("zramctl", "-f", "-s", "1M");
        h.ok("hot-add");
        assertThat(h.run("hot-remove", "zram0", "1")).isEqualTo(new Harness.Result(0, "", ""));
        assertThat(h.registry.devices()).isEmpty();
    }

    @Test
    void busy_unless_forced() throws Exception {
        h.ok("zramctl", "-f", "-s", "1M");
        try (ZramDevice.Holder ignored = h.registry.find(0).orElseThrow().open("initiator")) {
            assertThat(h.run("hot-remove", "zram0")).isEqualTo(new Harness.Result(1, "",
                    "jzram: zram0: failed to remove: Device or resource busy (in use by 1 holder; --force to remove it anyway)\n"));
            assertThat(h.run("hot-remove", "--force", "zram0").status()).isZero();
        }
        assertThat(h.registry.devices()).isEmpty();
    }

    @Test
    void unknown_devices_fail_and_the_others_are_removed() {
        h.ok("hot-add");
        assertThat(h.run("hot-remove", "zram5", "zram0")).isEqualTo(new Harness.Result(1, "", "jzram: zram5: No such device\n"));
        assertThat(h.registry.devices()).isEmpty();
    }
}
