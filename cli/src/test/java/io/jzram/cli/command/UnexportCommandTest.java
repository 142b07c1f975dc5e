package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Harness;
import io.jzram.core.ZramDevice;
import io.jzram.target.scsi.ScsiCommandSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram unexport withdraws LUNs, refusing those logged-in initiators have unless forced")
class UnexportCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void withdraws_the_lun_silently_and_the_device_and_its_data_stay() throws Exception {
        h.ok("zramctl", "-f", "-s", "1M");
        h.ok("zramctl", "-f", "-s", "2M");
        assertThat(h.run("unexport", "zram1")).isEqualTo(new Harness.Result(0, "", ""));
        assertThat(h.target.luns().isExported(1)).isFalse();
        assertThat(h.ok("zramctl", "--raw", "-o", "NAME,DISKSIZE,LUN")).isEqualTo("NAME DISKSIZE LUN\n/dev/zram0 1M 0\n/dev/zram1 2M \n");
        assertThat(h.ok("stat", "zram1")).startsWith("zram1: disksize 2M, algorithm lz4, streams ").contains(", not exported, holders 0\n");

        try (ScsiCommandSet.NexusHandle session = h.login("iqn.1993-08.org.debian:01:cafe")) {
            assertThat(h.target.luns().sessionsUsing(1)).as("a session logging in later does not get it").isZero();
            assertThat(h.registry.find(1).orElseThrow().openCount()).isZero();
        }
    }

    @Test
    void unexporting_an_unexported_device_changes_nothing_and_succeeds() {
        h.ok("hot-add");
        h.ok("unexport", "zram0");
        assertThat(h.run("unexport", "/dev/zram0")).isEqualTo(new Harness.Result(0, "", ""));
        assertThat(h.target.luns().isExported(0)).isFalse();
    }

    @Test
    void busy_while_a_logged_in_initiator_has_the_lun_unless_forced() throws Exception {
        h.ok("zramctl", "-f", "-s", "1M");
        ZramDevice zram0 = h.registry.find(0).orElseThrow();
        try (ScsiCommandSet.NexusHandle session = h.login("iqn.1993-08.org.debian:01:cafe")) {
            assertThat(h.run("unexport", "zram0")).isEqualTo(new Harness.Result(1, "",
                    "jzram: zram0: failed to unexport: Device or resource busy (in use by 1 holder; --force to unexport it anyway)\n"));
            assertThat(h.target.luns().isExported(0)).isTrue();
            assertThat(h.target.luns().sessionsUsing(0)).isEqualTo(1);

            assertThat(h.run("unexport", "--force", "zram0")).isEqualTo(new Harness.Result(0, "", ""));
            assertThat(h.target.luns().sessionsUsing(0)).isZero();
            assertThat(zram0.openCount()).as("the session let go of it").isZero();
            assertThat(h.run("reset", "zram0").status()).as("so a reset needs no --force").isZero();
        }
    }

    @Test
    void counts_the_sessions_that_have_the_lun() throws Exception {
        h.ok("zramctl", "-f", "-s", "1M");
        try (ScsiCommandSet.NexusHandle a = h.login("iqn.1993-08.org.debian:01:a");
                ScsiCommandSet.NexusHandle b = h.login("iqn.1993-08.org.debian:01:b")) {
            assertThat(h.run("unexport", "zram0").err())
                    .isEqualTo("jzram: zram0: failed to unexport: Device or resource busy (in use by 2 holders; --force to unexport it anyway)\n");
        }
    }

    @Test
    void each_device_in_turn_unknown_ones_fail_and_the_others_are_withdrawn() {
        h.ok("hot-add");
        h.ok("hot-add");
        assertThat(h.run("unexport", "zram0", "zram5", "1")).isEqualTo(new Harness.Result(1, "", "jzram: zram5: No such device\n"));
        assertThat(h.target.luns().isExported(0)).isFalse();
        assertThat(h.target.luns().isExported(1)).isFalse();
    }

    @Test
    void without_an_iscsi_target_there_is_nothing_to_withdraw() throws Exception {
        try (Harness standalone = Harness.withoutTarget()) {
            standalone.ok("hot-add");
            assertThat(standalone.run("unexport", "zram0"))
                    .isEqualTo(new Harness.Result(1, "", "jzram: zram0: failed to unexport: no iSCSI target\n"));
        }
    }

    @Test
    void needs_a_device() {
        Harness.Result r = h.run("unexport");
        assertThat(r.status()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).startsWith("jzram: missing required parameter: 'DEVICE'\n");
    }
}
