package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ZramCommandSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the primitives over a registry: the export setting is the target's, and without a target nothing can be unexported")
class RegistryOpsTest {
    final ZramRegistry registry = new ZramRegistry();
    final ZramCommandSet target = new ZramCommandSet(registry, new LunIdentity("iqn.2026-11.io.jzram:test"));

    @AfterEach
    void free() throws Exception {
        target.close();
        for (ZramDevice d : registry.devices()) {
            registry.hotRemove(d.id(), true, Duration.ofSeconds(5));
        }
    }

    @Test
    void a_device_reads_as_the_target_says_and_set_exported_is_the_targets_switch() throws Exception {
        RegistryOps ops = new RegistryOps(registry, TargetExports.of(target), Duration.ofSeconds(5));
        ops.add(0);
        ops.add(1);
        ops.setExported(1, false, false);
        assertThat(ops.devices()).extracting(LiveDevice::exported).containsExactly(true, false);
        assertThat(target.luns().isExported(1)).isFalse();
        ops.setExported(1, true, false);
        assertThat(ops.find(1).orElseThrow().exported()).isTrue();
    }

    @Test
    void without_a_target_every_device_is_exported_publishing_is_a_no_op_and_withdrawing_fails() throws Exception {
        RegistryOps ops = new RegistryOps(registry, null, Duration.ofSeconds(5));
        ops.add(0);
        target.luns().setExported(0, false, false); // a target these ops do not know about changes nothing for them
        assertThat(ops.find(0).orElseThrow().exported()).isTrue();

        ops.setExported(0, true, false);
        assertThatThrownBy(() -> ops.setExported(0, false, true))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(ZramException.Reason.INVALID_ARGUMENT))
                .hasMessage("zram0: cannot unexport: no iSCSI target");
    }

    @Test
    void a_file_that_unexports_without_a_target_is_rolled_back_with_the_reason() throws Exception {
        RegistryOps ops = new RegistryOps(registry, null, Duration.ofSeconds(5));
        Plan p = Planner.plan(ConfigParserTest.load("""
                [[device]]
                size = "1M"
                exported = false
                """), ops.devices(), null, Planner.Options.DEFAULT, ops.defaultStreams());
        ApplyFailedException e = org.junit.jupiter.api.Assertions.assertThrows(ApplyFailedException.class,
                () -> Applier.apply(p, ops, Applier.Listener.NONE));
        assertThat(e.lines()).containsExactly(
                "site.toml:1:1: create zram0: size 1M, algorithm lz4, not exported: failed: zram0: cannot unexport: no iSCSI target"
                        + " (Invalid argument)",
                "rolled back: every device has its settings from before");
        assertThat(registry.devices()).isEmpty();
        assertThat(ops.devices()).isEqualTo(List.of());
    }
}
