package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the plan: live devices + a file → ordered steps, refusals found before anything runs")
class PlannerTest {
    static final int STREAMS = 4;
    static final long M = 1 << 20;
    static final long G = 1 << 30;

    static LiveDevice live(int id, long size, String algorithm, long memLimit, int streams, int holders) {
        return new LiveDevice(id, new DeviceSettings(size, algorithm, memLimit, streams, true), holders);
    }

    static LiveDevice unexported(int id, long size, int holders) {
        return new LiveDevice(id, new DeviceSettings(size, "lz4", 0, STREAMS, false), holders);
    }

    static Plan plan(String toml, List<LiveDevice> live, Planner.Options options) throws ConfigException {
        return Planner.plan(ConfigParserTest.load(toml), live, null, options, STREAMS);
    }

    static final String FILE = """
            [[device]]
            id = 0
            size = "1G"

            [[device]]
            id = 1
            size = "2G"

            [[device]]
            id = 2
            size = "1G"
            algorithm = "zstd"
            streams = 2

            [[device]]
            id = 3
            size = "1G"
            mem_limit = "512M"

            [[device]]
            id = 5
            size = "4G"
            """;

    static final List<LiveDevice> LIVE = List.of(
            live(0, G, "lz4", 0, STREAMS, 0),          // as the file says
            live(1, G, "lz4", 0, STREAMS, 0),          // resize
            live(2, G, "lz4", 0, STREAMS, 0),          // algorithm and streams
            live(3, G, "lz4", 0, STREAMS, 0),          // mem_limit, live
            live(4, 64 * M, "lz4", 0, STREAMS, 0));    // not in the file

    @Test
    void create_resize_change_live_change_unchanged_and_kept() throws Exception {
        Plan p = plan(FILE, LIVE, Planner.Options.DEFAULT);
        assertThat(p.isApplicable()).isTrue();
        assertThat(p.lines()).containsExactly(
                "site.toml: 4 changes",
                "  resize zram1: size 1G -> 2G (reset: its data is lost)",
                "  change zram2: algorithm lz4 -> zstd, streams 4 -> 2 (reset: its data is lost)",
                "  change zram3: mem_limit none -> 512M (live)",
                "  create zram5: size 4G, algorithm lz4",
                "unchanged: zram0",
                "not in the file, kept (--prune removes them): zram4");
        assertThat(p.steps()).extracting(Step::source).containsExactly(new Position(7, 8), new Position(12, 13),
                new Position(18, 13), new Position(20, 1));
    }

    @Test
    void removal_needs_prune_and_comes_first() throws Exception {
        Plan p = plan(FILE, LIVE, new Planner.Options(false, true));
        assertThat(p.steps()).extracting(s -> s.getClass().getSimpleName() + " " + s.name()).containsExactly(
                "Remove zram4", "Reconfigure zram1", "Reconfigure zram2", "ChangeLive zram3", "Create zram5");
        assertThat(p.steps().getFirst().describe(STREAMS)).isEqualTo("remove zram4: size 64M, algorithm lz4; not in the file (its data is lost)");
        assertThat(p.kept()).isEmpty();
    }

    @Test
    void a_file_as_the_devices_are_is_no_change() throws Exception {
        Plan p = plan("""
                [[device]]
                size = "1G"
                [[device]]
                size = 0
                """, List.of(live(0, G, "lz4", 0, STREAMS, 3), live(1, 0, "lz4", 0, STREAMS, 3)), new Planner.Options(false, true));
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.isApplicable()).isTrue();
        assertThat(p.lines()).containsExactly("site.toml: no changes", "unchanged: zram0, zram1");
    }

    @Test
    void busy_devices_are_refused_without_force_all_of_them_before_anything_runs() throws Exception {
        List<LiveDevice> held = LIVE.stream().map(d -> new LiveDevice(d.id(), d.settings(), 2)).toList();
        Plan p = plan(FILE, held, new Planner.Options(false, true));
        assertThat(p.isApplicable()).isFalse();
        assertThat(p.refusals()).extracting(ConfigError::toString).containsExactly(
                "site.toml: zram4: in use by 2 holders; removing it (--prune: it is not in the file) loses its data (--force to remove it anyway)",
                "site.toml:7:8: zram1: in use by 2 holders; resizing it resets it and loses its data (--force to do it anyway)",
                "site.toml:12:13: zram2: in use by 2 holders; changing it resets it and loses its data (--force to do it anyway)");

        Plan forced = plan(FILE, held, new Planner.Options(true, true));
        assertThat(forced.isApplicable()).isTrue();
        assertThat(forced.lines()).contains("  resize zram1: size 1G -> 2G (reset: its data is lost); in use by 2 holders",
                "  change zram3: mem_limit none -> 512M (live)");
    }

    @Test
    void devices_that_are_not_set_up_have_no_data_and_are_never_refused_for_being_held() throws Exception {
        Plan p = plan("""
                [[device]]
                id = 0
                size = "1G"
                algorithm = "zstd"
                """, List.of(live(0, 0, "lz4", 0, STREAMS, 1), live(1, 0, "lz4", 0, STREAMS, 1)), new Planner.Options(false, true));
        assertThat(p.isApplicable()).isTrue();
        assertThat(p.lines()).containsExactly("site.toml: 2 changes",
                "  remove zram1: not set up, algorithm lz4; not in the file",
                "  set up zram0: size 0 (not set up) -> 1G, algorithm lz4 -> zstd");
        assertThat(p.steps()).noneMatch(Step::losesData);
    }

    @Test
    void size_0_takes_a_device_down_and_says_so() throws Exception {
        Plan p = plan("[[device]]\nsize = 0\n", List.of(live(0, G, "lz4", 0, STREAMS, 0)), Planner.Options.DEFAULT);
        assertThat(p.lines()).containsExactly("site.toml: 1 change", "  reset zram0: size 1G -> 0 (not set up) (reset: its data is lost)");
    }

    @Test
    void streams_left_out_mean_the_servers_default() throws Exception {
        Plan p = plan("[[device]]\nsize = \"1G\"\n", List.of(live(0, G, "lz4", 0, 3, 0)), Planner.Options.DEFAULT);
        assertThat(p.lines()).containsExactly("site.toml: 1 change", "  change zram0: streams 3 -> 4 (reset: its data is lost)");
    }

    @Test
    void server_settings_the_running_server_does_not_have_are_noted_not_applied() throws Exception {
        ConfigFile f = ConfigParserTest.load("""
                [server]
                listen = "0.0.0.0:3260"
                iqn = "iqn.2026-11.io.jzram:same"
                log_level = "debug"
                """);
        ServerConfig running = ServerConfig.of(new InetSocketAddress("127.0.0.1", 3260), List.of(), "iqn.2026-11.io.jzram:same",
                Path.of("/run/jzram/control.sock"), LogLevel.INFO);
        Plan p = Planner.plan(f, List.of(), running, Planner.Options.DEFAULT, STREAMS);
        assertThat(p.lines()).containsExactly("site.toml: no changes",
                "note: site.toml:2:10: listen 0.0.0.0:3260 differs from the running server's 127.0.0.1:3260: "
                        + "[server] settings take effect when the server starts",
                "note: site.toml:4:13: log_level debug differs from the running server's info: [server] settings take effect when the server starts");
    }

    @Test
    void export_and_unexport_change_live_and_publications_come_last() throws Exception {
        Plan p = plan("""
                [[device]]
                id = 0
                size = "1G"
                exported = false
                [[device]]
                id = 1
                size = "1G"
                [[device]]
                id = 2
                size = "1G"
                mem_limit = "512M"
                exported = false
                [[device]]
                id = 3
                size = "1G"
                exported = false
                [[device]]
                id = 4
                size = "1G"
                exported = true
                """, List.of(live(0, G, "lz4", 0, STREAMS, 0), unexported(1, G, 0), live(2, G, "lz4", 0, STREAMS, 0),
                        unexported(4, G, 0)), Planner.Options.DEFAULT);
        assertThat(p.isApplicable()).isTrue();
        assertThat(p.lines()).containsExactly(
                "site.toml: 5 changes",
                "  change zram0: exported yes -> no (live)",
                "  change zram2: mem_limit none -> 512M, exported yes -> no (live)",
                "  create zram3: size 1G, algorithm lz4, not exported",
                "  change zram1: exported no -> yes (live)",
                "  change zram4: exported no -> yes (live)");
        assertThat(p.steps()).extracting(s -> s.getClass().getSimpleName())
                .containsExactly("ChangeLive", "ChangeLive", "Create", "ChangeLive", "ChangeLive");
        assertThat(p.steps()).extracting(Step::source).containsExactly(
                new Position(4, 12),   // zram0's exported
                new Position(11, 13),  // zram2's mem_limit, the first change
                new Position(13, 1),   // zram3's header
                new Position(5, 1),    // zram1 has no exported key: its header
                new Position(20, 12)); // zram4's exported
        assertThat(p.steps()).noneMatch(Step::losesData);
    }

    @Test
    void unexporting_a_held_device_is_refused_without_force_set_up_or_not() throws Exception {
        String file = """
                [[device]]
                id = 0
                size = "1G"
                exported = false
                [[device]]
                id = 1
                size = 0
                exported = false
                [[device]]
                id = 2
                size = "1G"
                """;
        List<LiveDevice> held = List.of(live(0, G, "lz4", 0, STREAMS, 2), live(1, 0, "lz4", 0, STREAMS, 1), unexported(2, G, 0));
        Plan p = plan(file, held, Planner.Options.DEFAULT);
        assertThat(p.isApplicable()).isFalse();
        assertThat(p.refusals()).extracting(ConfigError::toString).containsExactly(
                "site.toml:4:12: zram0: in use by 2 holders; unexporting it withdraws its LUN from logged-in initiators (--force to do it anyway)",
                "site.toml:8:12: zram1: in use by 1 holder; unexporting it withdraws its LUN from logged-in initiators (--force to do it anyway)");

        Plan forced = plan(file, held, new Planner.Options(true, false));
        assertThat(forced.isApplicable()).isTrue();
        assertThat(forced.lines()).containsExactly("site.toml: 3 changes",
                "  change zram0: exported yes -> no (live); in use by 2 holders",
                "  change zram1: exported yes -> no (live); in use by 1 holder",
                "  change zram2: exported no -> yes (live)");
        assertThat(forced.steps()).allSatisfy(s -> assertThat(((Step.ChangeLive) s).force()).isTrue());
    }

    @Test
    void a_reset_that_also_unexports_a_held_device_is_refused_for_both_and_says_both_when_forced() throws Exception {
        String file = """
                [[device]]
                size = "2G"
                exported = false
                """;
        List<LiveDevice> held = List.of(live(0, G, "lz4", 0, STREAMS, 1));
        assertThat(plan(file, held, Planner.Options.DEFAULT).refusals()).extracting(ConfigError::toString).containsExactly(
                "site.toml:2:8: zram0: in use by 1 holder; resizing it resets it and loses its data (--force to do it anyway)",
                "site.toml:3:12: zram0: in use by 1 holder; unexporting it withdraws its LUN from logged-in initiators (--force to do it anyway)");
        assertThat(plan(file, held, new Planner.Options(true, false)).lines()).containsExactly("site.toml: 1 change",
                "  resize zram0: size 1G -> 2G, exported yes -> no (reset: its data is lost); in use by 1 holder");
    }

    @Test
    void an_unexported_device_as_the_file_says_is_unchanged_and_pruning_it_says_so() throws Exception {
        Plan p = plan("""
                [[device]]
                size = "1G"
                exported = false
                """, List.of(unexported(0, G, 0), unexported(1, G, 0)), new Planner.Options(false, true));
        assertThat(p.lines()).containsExactly("site.toml: 1 change",
                "  remove zram1: size 1G, algorithm lz4, not exported; not in the file (its data is lost)",
                "unchanged: zram0");
    }
}
