package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.target.scsi.ScsiCommandSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram export publishes devices as the LUNs with their numbers again")
class ExportCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void publishes_an_unexported_device_to_logged_in_initiators_too() throws Exception {
        h.ok("zramctl", "-f", "-s", "1M");
        h.ok("unexport", "zram0");
        try (ScsiCommandSet.NexusHandle session = h.login("iqn.1993-08.org.debian:01:cafe")) {
            assertThat(h.target.luns().sessionsUsing(0)).isZero();

            assertThat(h.run("export", "zram0")).isEqualTo(new Harness.Result(0, "", ""));

            assertThat(h.target.luns().isExported(0)).isTrue();
            assertThat(h.target.luns().sessionsUsing(0)).as("the logged-in session has it").isEqualTo(1);
            assertThat(h.registry.find(0).orElseThrow().openCount()).isEqualTo(1);
            assertThat(h.ok("zramctl", "--raw", "-n", "-o", "NAME,LUN")).isEqualTo("/dev/zram0 0\n");
        }
    }

    @Test
    void exporting_an_exported_device_changes_nothing_and_succeeds() throws Exception {
        h.ok("hot-add");
        try (ScsiCommandSet.NexusHandle session = h.login("iqn.1993-08.org.debian:01:cafe")) {
            assertThat(h.run("export", "zram0", "0")).isEqualTo(new Harness.Result(0, "", ""));
            assertThat(h.target.luns().sessionsUsing(0)).isEqualTo(1);
        }
    }

    @Test
    void unknown_devices_fail_and_the_others_are_published() {
        h.ok("hot-add");
        h.ok("unexport", "zram0");
        assertThat(h.run("export", "zram3", "zram0")).isEqualTo(new Harness.Result(1, "", "jzram: zram3: No such device\n"));
        assertThat(h.target.luns().isExported(0)).isTrue();
    }

    @Test
    void without_an_iscsi_target_there_is_nothing_to_publish() throws Exception {
        try (Harness standalone = Harness.withoutTarget()) {
            standalone.ok("hot-add");
            assertThat(standalone.run("export", "zram0"))
                    .isEqualTo(new Harness.Result(1, "", "jzram: zram0: failed to export: no iSCSI target\n"));
        }
    }
}
