package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramRegistry;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ZramCommandSet;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("save-config's format: canonical, and save → apply on a fresh registry → save gives the same text")
class ConfigWriterTest {
    final ZramRegistry first = new ZramRegistry();
    final ZramRegistry fresh = new ZramRegistry();
    final ZramCommandSet firstTarget = new ZramCommandSet(first, new LunIdentity("iqn.2026-11.io.jzram:test"));
    final ZramCommandSet freshTarget = new ZramCommandSet(fresh, new LunIdentity("iqn.2026-11.io.jzram:test"));

    @AfterEach
    void free() throws Exception {
        firstTarget.close();
        freshTarget.close();
        for (ZramRegistry r : List.of(first, fresh)) {
            for (ZramDevice d : r.devices()) {
                r.hotRemove(d.id(), true, Duration.ofSeconds(5));
            }
        }
    }

    static final ServerConfig SERVER = ServerConfig.of(new InetSocketAddress("0.0.0.0", 3260),
            List.of(new InetSocketAddress("192.0.2.7", 13260), new InetSocketAddress("::1", 3260)),
            "iqn.2026-11.io.jzram:test", Path.of("/run/jzram/control.sock"), LogLevel.INFO);

    @Test
    void the_text() {
        String text = ConfigWriter.write(SERVER, List.of(
                new LiveDevice(2, new DeviceSettings(0, "zstd", 0, 4, true), 0),
                new LiveDevice(0, new DeviceSettings(1536L << 20, "lz4", 1L << 30, 4, true), 3),
                new LiveDevice(1, new DeviceSettings(4096, "deflate", 0, 1, false), 0)), 4);
        assertThat(text).isEqualTo("""
                # jzram configuration, written by 'jzram save-config'.
                # Start a server with it: jzram serve --config FILE; change one to it: jzram apply FILE.

                [server]
                listen = "0.0.0.0:3260"
                advertise = ["192.0.2.7:13260", "[0:0:0:0:0:0:0:1]:3260"]
                iqn = "iqn.2026-11.io.jzram:test"
                control_socket = "/run/jzram/control.sock"
                log_level = "info"

                [[device]]
                id = 0
                size = "1536M"
                algorithm = "lz4"
                mem_limit = "1G"

                [[device]]
                id = 1
                size = "4K"
                algorithm = "deflate"
                streams = 1
                exported = false

                [[device]]
                id = 2
                size = 0  # not set up
                algorithm = "zstd"
                """);
    }

    @Test
    void round_trip_through_a_fresh_registry() throws Exception {
        RegistryOps ops = new RegistryOps(first, TargetExports.of(firstTarget), Duration.ofSeconds(5));
        for (int i = 0; i < 6; i++) {
            first.hotAdd();
        }
        first.hotRemove(1, false, null);
        first.hotRemove(4, false, null);
        first.find(0).orElseThrow().init(64 << 20);
        ZramDevice z2 = first.find(2).orElseThrow();
        z2.setAlgorithm("zstd");
        z2.setStreams(1);
        z2.setMemLimit(3 << 20);
        z2.init(10_000_000); // rounded up to pages
        first.find(3).orElseThrow().setAlgorithm("deflate"); // not set up
        first.find(5).orElseThrow().init(2L << 30);
        firstTarget.luns().setExported(3, false, false);
        firstTarget.luns().setExported(5, false, false);

        String saved = ConfigWriter.write(SERVER, ops.devices(), ops.defaultStreams());
        assertThat(saved).contains("id = 3\nsize = 0  # not set up\nalgorithm = \"deflate\"\nexported = false\n",
                "id = 5\nsize = \"2G\"\nalgorithm = \"lz4\"\nexported = false\n").doesNotContain("exported = true");
        ConfigFile file = Config.load("saved.toml", saved);
        assertThat(file.devices()).extracting(DeviceConfig::id, DeviceConfig::exported).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, true), org.assertj.core.groups.Tuple.tuple(2, true),
                org.assertj.core.groups.Tuple.tuple(3, false), org.assertj.core.groups.Tuple.tuple(5, false));
        assertThat(file.server()).usingRecursiveComparison().ignoringFields("positions").isEqualTo(SERVER);

        RegistryOps freshOps = new RegistryOps(fresh, TargetExports.of(freshTarget), Duration.ofSeconds(5));
        Plan plan = Planner.plan(file, freshOps.devices(), null, Planner.Options.DEFAULT, freshOps.defaultStreams());
        assertThat(plan.steps()).allMatch(s -> s instanceof Step.Create);
        Applier.apply(plan, freshOps, Applier.Listener.NONE);

        assertThat(ConfigWriter.write(SERVER, freshOps.devices(), freshOps.defaultStreams())).isEqualTo(saved);
        assertThat(freshOps.devices()).isEqualTo(ops.devices());
        assertThat(freshTarget.luns().isExported(3)).isFalse();
        assertThat(freshTarget.luns().isExported(5)).isFalse();
    }
}
