package io.jzram.config;

import static io.jzram.config.ConfigParserTest.errors;
import static io.jzram.config.ConfigParserTest.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.AlgorithmChoice;
import io.jzram.core.TierSetup;
import io.jzram.core.TieringPolicy;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("memory tiers in the file (#14): algorithm lists, algorithm_params, backing_dev, writeback_limit, the tiering policy")
class TieringConfigTest {
    static final long M = 1 << 20;
    static final long G = 1 << 30;
    static final int STREAMS = 4;

    static final TierSetup TIERS = new TierSetup(List.of("zstd", "deflate"), List.of("algo=zstd level=8 dict=/etc/jzram/zstd.dict"),
            Path.of("/var/lib/jzram/zram0.back"), 262144, new TieringPolicy(Duration.ofMinutes(10), Duration.ofHours(1), 0.25));

    static final String EVERY_KEY = """
            [[device]]
            id = 0
            size = "1G"
            algorithm = ["lz4", "zstd", "deflate"]
            algorithm_params = ["algo=zstd level=8 dict=/etc/jzram/zstd.dict"]
            backing_dev = "/var/lib/jzram/zram0.back"
            writeback_limit = "1G"
            recompress_idle_after = "10m"
            writeback_idle_after = "1h"
            tiering_cpu_budget = 0.25
            """;

    /** A [[device]] of 1G with {@code lines} after its size: the first of them is line 3. */
    static List<String> deviceErrors(String lines) {
        return errors("[[device]]\nsize = \"1G\"\n" + lines);
    }

    static TierSetup tiers(String lines) throws ConfigException {
        return load("[[device]]\nsize = \"1G\"\n" + lines).devices().getFirst().tiers();
    }

    @Nested
    @DisplayName("valid values")
    class Valid {
        @Test
        void every_key() throws Exception {
            DeviceConfig d = load(EVERY_KEY).devices().getFirst();
            assertThat(d.algorithm()).isEqualTo("lz4");
            assertThat(d.algorithms()).containsExactly("lz4", "zstd", "deflate");
            assertThat(d.tiers()).isEqualTo(TIERS);
            assertThat(d.position("backing_dev")).isEqualTo(new Position(6, 15));
        }

        @Test
        void left_out_they_are_the_defaults_and_a_one_name_algorithm_has_no_recompression() throws Exception {
            assertThat(tiers("algorithm = \"zstd\"\n")).isEqualTo(TierSetup.NONE);
            assertThat(tiers("algorithm = [\"zstd\"]\n")).isEqualTo(TierSetup.NONE);
            assertThat(load("[[device]]\nsize = \"1G\"\nalgorithm = [\"zstd\"]\n").devices().getFirst().algorithms())
                    .containsExactly("zstd");
        }

        @Test
        void algorithm_params_are_read_into_one_canonical_line_per_algorithm_in_priority_order() throws Exception {
            assertThat(tiers("""
                    algorithm = ["lz4", "zstd", "lz4hc"]
                    algorithm_params = ["priority=2 level=9", "dict=/etc//d level=03 algo=zstd", "algo=lz4 level=0"]
                    """).algorithmParams()).containsExactly("algo=zstd level=3 dict=/etc/d", "algo=lz4hc level=9");
            // one string is one line; priority 0 is the first of the list
            assertThat(tiers("""
                    algorithm = "zstd"
                    algorithm_params = "priority=0 level=-5"
                    """).algorithmParams()).containsExactly("algo=zstd level=-5");
        }

        @Test
        void writeback_limit_is_pages_rounded_up_and_zero_is_a_limit_too() throws Exception {
            assertThat(tiers("writeback_limit = \"1G\"\n").writebackLimit()).isEqualTo(262144);
            assertThat(tiers("writeback_limit = 5000\n").writebackLimit()).isEqualTo(2);
            assertThat(tiers("writeback_limit = 0\n").writebackLimit()).isZero();
        }

        @Test
        void ages_in_each_unit_seconds_as_an_integer_and_off() throws Exception {
            String backed = "algorithm = [\"lz4\", \"zstd\"]\nbacking_dev = \"/b\"\n";
            assertThat(tiers(backed + "recompress_idle_after = \"90s\"\nwriteback_idle_after = \"2d\"\n").policy())
                    .isEqualTo(new TieringPolicy(Duration.ofSeconds(90), Duration.ofDays(2), 0.1));
            assertThat(tiers(backed + "recompress_idle_after = \"600\"\nwriteback_idle_after = 7200\n").policy())
                    .isEqualTo(new TieringPolicy(Duration.ofMinutes(10), Duration.ofHours(2), 0.1));
            // off needs nothing: it asks for no work
            assertThat(tiers("recompress_idle_after = \"off\"\nwriteback_idle_after = \"OFF\"\n").policy()).isEqualTo(TieringPolicy.NONE);
        }

        @Test
        void tiering_cpu_budget_a_float_or_the_integer_1() throws Exception {
            assertThat(tiers("tiering_cpu_budget = 0.01\n").policy().cpuBudget()).isEqualTo(0.01);
            assertThat(tiers("tiering_cpu_budget = 1\n").policy().cpuBudget()).isEqualTo(1.0);
        }
    }

    @Nested
    @DisplayName("invalid values: each error with its key, file and line")
    class Invalid {
        @Test
        void algorithm_lists() {
            assertThat(deviceErrors("algorithm = []\n")).containsExactly(
                    "site.toml:3:13: algorithm: an empty list (give the algorithm, then any recompression algorithms: [\"lz4\", \"zstd\"])");
            assertThat(deviceErrors("algorithm = [\"lz4\", \"zstd\", \"lz4hc\", \"deflate\", \"lz4\"]\n")).containsExactly(
                    "site.toml:3:13: algorithm: 5 algorithms, at most 4 (the algorithm and 3 recompression algorithms)");
            assertThat(deviceErrors("algorithm = [\"zstd\", \"lz4\", \"zstd\"]\n")).containsExactly(
                    "site.toml:3:29: algorithm \"zstd\": listed twice (a device's algorithms differ)");
            assertThat(deviceErrors("algorithm = [\"lz4\", \"zsdt\", 3]\n")).containsExactly(
                    "site.toml:3:21: algorithm \"zsdt\": not available (available: lz4, lz4hc, zstd, deflate); did you mean 'zstd'?",
                    "site.toml:3:29: algorithm: expected an algorithm name such as \"lz4\", not an integer");
        }

        @Test
        void algorithm_params_syntax() {
            assertThat(deviceErrors("""
                    algorithm = ["lz4", "zstd"]
                    algorithm_params = ["algo=zstd levle=3", "algo=zstd level", "algo=zstd level=high", "algo=zstd level=23"]
                    algorithm_params_x = 1
                    """)).containsExactly(
                    "site.toml:4:21: algorithm_params \"algo=zstd levle=3\": unknown parameter 'levle' (algo, priority, level or dict;"
                            + " did you mean 'level'?)",
                    "site.toml:4:42: algorithm_params \"algo=zstd level\": 'level' has no value (write level=VALUE)",
                    "site.toml:4:61: algorithm_params \"algo=zstd level=high\": level=high: not an integer",
                    "site.toml:4:85: algorithm_params \"algo=zstd level=23\": level=23: out of range (-131072 to 22)",
                    "site.toml:5:1: unknown key 'algorithm_params_x' in [[device]] (did you mean 'algorithm_params'?)");
            assertThat(deviceErrors("algorithm_params = [\"level=3 dict=zstd.dict\", 8]\n")).containsExactly(
                    "site.toml:3:21: algorithm_params \"level=3 dict=zstd.dict\": dict=zstd.dict: the dictionary must be an absolute path",
                    "site.toml:3:47: algorithm_params: expected lines such as [\"algo=zstd level=8\"], not an integer");
        }

        @Test
        void algorithm_params_must_name_an_algorithm_of_the_device_once() {
            assertThat(deviceErrors("""
                    algorithm = ["lz4", "zstd"]
                    algorithm_params = ["level=3", "algo=lz4hc level=3", "priority=2 level=1", "algo=zstd priority=0 level=1"]
                    """)).containsExactly(
                    "site.toml:4:21: algorithm_params \"level=3\": give the algorithm: algo=NAME or priority=N",
                    "site.toml:4:32: algorithm_params \"algo=lz4hc level=3\": algo=lz4hc is not an algorithm of this device"
                            + " (its algorithms: lz4, zstd)",
                    "site.toml:4:54: algorithm_params \"priority=2 level=1\": priority=2: the device has no algorithm of that priority"
                            + " (it has 0 to 1)",
                    "site.toml:4:76: algorithm_params \"algo=zstd priority=0 level=1\": algo=zstd has priority 1, not 0");
            assertThat(deviceErrors("""
                    algorithm = ["lz4", "zstd"]
                    algorithm_params = [
                        "algo=zstd level=3",
                        "priority=1 level=5",
                    ]
                    """)).containsExactly(
                    "site.toml:6:5: algorithm_params \"priority=1 level=5\": zstd has parameters already at line 5");
        }

        @Test
        void backing_dev_is_an_absolute_path() {
            assertThat(deviceErrors("backing_dev = \"zram0.back\"\n")).containsExactly(
                    "site.toml:3:15: backing_dev \"zram0.back\": must be an absolute path");
            assertThat(deviceErrors("backing_dev = true\n")).containsExactly(
                    "site.toml:3:15: backing_dev: expected an absolute path such as \"/var/lib/jzram/zram0.back\", not a boolean");
        }

        @Test
        void writeback_limit_is_a_size() {
            assertThat(deviceErrors("writeback_limit = -1\nwriteback_limit_enable = 1\n")).containsExactly(
                    "site.toml:3:19: writeback_limit -1: must not be negative",
                    "site.toml:4:1: unknown key 'writeback_limit_enable' in [[device]] (did you mean 'writeback_limit'?)");
            assertThat(deviceErrors("writeback_limit = 1.5\n")).containsExactly(
                    "site.toml:3:19: writeback_limit: expected a size such as \"4G\" or a number of bytes, not a float");
        }

        @Test
        void ages() {
            assertThat(deviceErrors("""
                    algorithm = ["lz4", "zstd"]
                    backing_dev = "/b"
                    recompress_idle_after = "10x"
                    writeback_idle_after = "9999999999s"
                    """)).containsExactly(
                    "site.toml:5:25: recompress_idle_after \"10x\": not an age (a whole number of s, m, h or d, such as \"10m\", or \"off\")",
                    "site.toml:6:24: writeback_idle_after \"9999999999s\": too large (at most 2147483647 seconds)");
            assertThat(deviceErrors("recompress_idle_after = true\nwriteback_idle_after = -5\n")).containsExactly(
                    "site.toml:3:25: recompress_idle_after: expected an age such as \"10m\", or \"off\", not a boolean",
                    "site.toml:4:24: writeback_idle_after -5: out of range (0 to 2147483647 seconds)");
        }

        @Test
        void recompress_idle_after_needs_a_recompression_algorithm_and_writeback_idle_after_a_backing_dev() {
            assertThat(deviceErrors("""
                    algorithm = "zstd"
                    recompress_idle_after = "10m"
                    writeback_idle_after = "1h"
                    """)).containsExactly(
                    "site.toml:4:25: recompress_idle_after \"10m\": needs a recompression algorithm (make algorithm a list:"
                            + " the algorithm, then those that recompress, e.g. [\"lz4\", \"zstd\"])",
                    "site.toml:5:24: writeback_idle_after \"1h\": needs backing_dev (the file or block device pages are written back to)");
        }

        @Test
        void tiering_cpu_budget_from_a_hundredth_to_one_core() {
            assertThat(deviceErrors("tiering_cpu_budget = 0.001\n")).containsExactly(
                    "site.toml:3:22: tiering_cpu_budget 0.001: out of range (0.01 to 1, a share of one core)");
            assertThat(deviceErrors("tiering_cpu_budget = 2\n")).containsExactly(
                    "site.toml:3:22: tiering_cpu_budget 2: out of range (0.01 to 1, a share of one core)");
            assertThat(deviceErrors("tiering_cpu_budget = nan\n")).containsExactly(
                    "site.toml:3:22: tiering_cpu_budget NaN: out of range (0.01 to 1, a share of one core)");
            assertThat(deviceErrors("tiering_cpu_budget = \"0.5\"\n")).containsExactly(
                    "site.toml:3:22: tiering_cpu_budget: expected a share of one core such as 0.25, not a string");
        }

        @Test
        void other_tools_names_suggest_ours() {
            assertThat(deviceErrors("writeback_device = \"/b\"\ncompression-algorithm = \"zstd\"\n")).containsExactly(
                    "site.toml:3:1: unknown key 'writeback_device' in [[device]] (did you mean 'backing_dev'?)",
                    "site.toml:4:1: unknown key 'compression-algorithm' in [[device]] (did you mean 'algorithm'?)");
        }
    }

    @Nested
    @DisplayName("save-config writes them, only when not the defaults, and reads back the same")
    class Writer {
        @Test
        void the_text_and_back() throws Exception {
            LiveDevice tiered = new LiveDevice(0, new DeviceSettings(G, "lz4", 0, STREAMS, true, TIERS), 0);
            LiveDevice plain = new LiveDevice(1, new DeviceSettings(G, "zstd", 0, STREAMS, true, TierSetup.NONE), 0);
            LiveDevice limitOnly = new LiveDevice(2, new DeviceSettings(G, "lz4", 0, STREAMS, true,
                    new TierSetup(List.of(), List.of(), null, 0, TieringPolicy.NONE.withCpuBudget(1))), 0);
            String text = ConfigWriter.write(null, List.of(tiered, plain, limitOnly), STREAMS);
            assertThat(text).endsWith("""

                    [[device]]
                    id = 0
                    size = "1G"
                    algorithm = ["lz4", "zstd", "deflate"]
                    algorithm_params = ["algo=zstd level=8 dict=/etc/jzram/zstd.dict"]
                    backing_dev = "/var/lib/jzram/zram0.back"
                    writeback_limit = "1G"
                    recompress_idle_after = "10m"
                    writeback_idle_after = "1h"
                    tiering_cpu_budget = 0.25

                    [[device]]
                    id = 1
                    size = "1G"
                    algorithm = "zstd"

                    [[device]]
                    id = 2
                    size = "1G"
                    algorithm = "lz4"
                    writeback_limit = "0"
                    tiering_cpu_budget = 1.0
                    """);
            ConfigFile back = load(text);
            assertThat(back.devices()).extracting(DeviceConfig::tiers).containsExactly(TIERS, TierSetup.NONE,
                    limitOnly.settings().tiers());
            Plan p = Planner.plan(back, List.of(tiered, plain, limitOnly), null, Planner.Options.DEFAULT, STREAMS);
            assertThat(p.isEmpty()).isTrue();
            assertThat(p.unchanged()).containsExactly(0, 1, 2);
        }
    }

    @Nested
    @DisplayName("planning: algorithms, algorithm_params and backing_dev reset the device; writeback_limit and the policy change live")
    class Planning {
        final LiveDevice held = new LiveDevice(0, new DeviceSettings(G, "lz4", 0, STREAMS, true, TIERS), 2);

        Plan plan(String from, String to, boolean force) throws ConfigException {
            return Planner.plan(load(EVERY_KEY.replace(from, to)), List.of(held), null, new Planner.Options(force, false), STREAMS);
        }

        @Test
        void a_policy_change_is_live_no_reset_even_while_held() throws Exception {
            Plan p = plan("recompress_idle_after = \"10m\"\nwriteback_idle_after = \"1h\"\ntiering_cpu_budget = 0.25",
                    "recompress_idle_after = \"off\"\nwriteback_idle_after = \"2h\"\ntiering_cpu_budget = 0.5", false);
            assertThat(p.isApplicable()).isTrue();
            assertThat(p.steps()).singleElement().isInstanceOfSatisfying(Step.ChangeLive.class, s -> {
                assertThat(s.losesData()).isFalse();
                assertThat(s.source()).isEqualTo(new Position(8, 25));
            });
            assertThat(p.lines()).containsExactly("site.toml: 1 change",
                    "  change zram0: recompress_idle_after 10m -> off, writeback_idle_after 1h -> 2h, tiering_cpu_budget 0.25 -> 0.5 (live)");
        }

        @Test
        void a_writeback_limit_change_is_live() throws Exception {
            Plan p = plan("writeback_limit = \"1G\"", "", false);
            assertThat(p.steps()).singleElement().isInstanceOf(Step.ChangeLive.class);
            assertThat(p.lines()).contains("  change zram0: writeback_limit 1G -> none (live)");
        }

        @Test
        void a_recompression_algorithm_change_is_a_reconfigure_refused_while_held() throws Exception {
            Plan p = plan("[\"lz4\", \"zstd\", \"deflate\"]", "[\"lz4\", \"zstd\", \"lz4hc\"]", false);
            assertThat(p.steps()).singleElement().isInstanceOfSatisfying(Step.Reconfigure.class, s -> {
                assertThat(s.losesData()).isTrue();
                assertThat(s.source()).isEqualTo(new Position(4, 13));
            });
            assertThat(p.lines()).contains("  change zram0: recompression zstd deflate -> zstd lz4hc (reset: its data is lost); in use by 2 holders");
            assertThat(p.refusals()).extracting(ConfigError::toString).containsExactly(
                    "site.toml:4:13: zram0: in use by 2 holders; changing it resets it and loses its data (--force to do it anyway)");
            assertThat(plan("[\"lz4\", \"zstd\", \"deflate\"]", "[\"lz4\", \"zstd\", \"lz4hc\"]", true).isApplicable()).isTrue();
        }

        @Test
        void algorithm_params_and_backing_dev_changes_are_reconfigures() throws Exception {
            Plan params = plan("level=8", "level=9", true);
            assertThat(params.steps()).singleElement().isInstanceOfSatisfying(Step.Reconfigure.class,
                    s -> assertThat(s.source()).isEqualTo(new Position(5, 20)));
            assertThat(params.lines()).contains("  change zram0: algorithm_params [algo=zstd level=8 dict=/etc/jzram/zstd.dict]"
                    + " -> [algo=zstd level=9 dict=/etc/jzram/zstd.dict] (reset: its data is lost); in use by 2 holders");
            Plan backing = plan("zram0.back", "zram0.bak", true);
            assertThat(backing.steps()).singleElement().isInstanceOfSatisfying(Step.Reconfigure.class,
                    s -> assertThat(s.source()).isEqualTo(new Position(6, 15)));
            assertThat(backing.lines()).contains("  change zram0: backing_dev /var/lib/jzram/zram0.back -> /var/lib/jzram/zram0.bak"
                    + " (reset: its data is lost); in use by 2 holders");
        }

        @Test
        void a_new_device_says_its_tiers() throws Exception {
            Plan p = Planner.plan(load(EVERY_KEY), List.of(), null, Planner.Options.DEFAULT, STREAMS);
            assertThat(p.lines()).contains("  create zram0: size 1G, algorithm lz4, recompression zstd deflate,"
                    + " algorithm_params [algo=zstd level=8 dict=/etc/jzram/zstd.dict], backing_dev /var/lib/jzram/zram0.back,"
                    + " writeback_limit 1G, recompress_idle_after 10m, writeback_idle_after 1h, tiering_cpu_budget 0.25");
        }
    }

    @Nested
    @DisplayName("applied to a real registry: the device is set up as the file says, and reads back as the file")
    class Apply {
        final ZramRegistry registry = new ZramRegistry();
        final RegistryOps ops = new RegistryOps(registry, null, Duration.ofSeconds(5));
        final int cpus = ops.defaultStreams();
        @TempDir
        Path dir;

        @AfterEach
        void free() throws Exception {
            for (ZramDevice d : registry.devices()) {
                registry.hotRemove(d.id(), true, Duration.ofSeconds(5));
            }
        }

        String file(Path backing, String policy) {
            return """
                    [[device]]
                    id = 0
                    size = "16M"
                    algorithm = ["lz4", "zstd"]
                    algorithm_params = ["algo=zstd level=5"]
                    backing_dev = "%s"
                    writeback_limit = "4M"
                    %s
                    """.formatted(backing, policy);
        }

        void apply(String text) throws Exception {
            Applier.apply(Planner.plan(load(text), ops.devices(), null, Planner.Options.DEFAULT, cpus), ops, Applier.Listener.NONE);
        }

        @Test
        void set_up_with_zstd_a_backing_file_and_the_policy_then_changed_live_and_saved() throws Exception {
            Path backing = Files.createFile(dir.resolve("zram0.back"));
            String text = file(backing, "recompress_idle_after = \"10m\"\nwriteback_idle_after = \"1h\"\ntiering_cpu_budget = 0.5");
            apply(text);

            ZramDevice z = registry.find(0).orElseThrow();
            AlgorithmChoice recomp = z.algorithmChoice(1);
            assertThat(recomp.name()).isEqualTo("zstd");
            assertThat(recomp.level()).isEqualTo(5);
            assertThat(z.algorithmChoice(2)).isNull();
            assertThat(z.backingDev()).isEqualTo(backing);
            assertThat(z.isWritebackLimitEnabled()).isTrue();
            assertThat(z.writebackLimit()).isEqualTo(1024);
            assertThat(z.tieringPolicy()).isEqualTo(new TieringPolicy(Duration.ofMinutes(10), Duration.ofHours(1), 0.5));
            DeviceConfig want = load(text).devices().getFirst();
            assertThat(ops.devices()).containsExactly(
                    new LiveDevice(0, new DeviceSettings(16 * M, "lz4", 0, cpus, true, want.tiers()), 0));
            assertThat(Planner.plan(load(text), ops.devices(), null, Planner.Options.DEFAULT, cpus).isEmpty()).isTrue();

            // a new policy and writeback limit: live, the data stays
            z.write(ByteBuffer.wrap("kept".repeat(1024).getBytes()), 0);
            String changed = file(backing, "recompress_idle_after = \"1h\"").replace("\"4M\"", "\"8M\"");
            Plan p = Planner.plan(load(changed), ops.devices(), null, Planner.Options.DEFAULT, cpus);
            assertThat(p.steps()).singleElement().isInstanceOf(Step.ChangeLive.class);
            Applier.apply(p, ops, Applier.Listener.NONE);
            assertThat(z.tieringPolicy()).isEqualTo(TieringPolicy.NONE.withRecompressIdleAfter(Duration.ofHours(1)));
            assertThat(z.writebackLimit()).isEqualTo(2048);
            ByteBuffer back = ByteBuffer.allocate(4096);
            z.read(back, 0);
            assertThat(new String(back.array(), 0, 4)).isEqualTo("kept");

            // save-config reads the device back in the file's terms: applying the saved text changes nothing
            String saved = ConfigWriter.write(null, ops.devices(), cpus);
            assertThat(saved).contains("algorithm = [\"lz4\", \"zstd\"]\nalgorithm_params = [\"algo=zstd level=5\"]\nbacking_dev = "
                    + ConfigValidator.quote(backing.toString()) + "\nwriteback_limit = \"8M\"\nrecompress_idle_after = \"1h\"\n");
            assertThat(Planner.plan(load(saved), ops.devices(), null, Planner.Options.DEFAULT, cpus).isEmpty()).isTrue();
            assertThat(load(saved).devices().getFirst().tiers()).isEqualTo(load(changed).devices().getFirst().tiers());
        }

        @Test
        void a_backing_dev_that_is_not_there_fails_at_its_set_up_step_and_nothing_stays() throws Exception {
            String text = file(dir.resolve("missing"), "");
            List<String> undone = new ArrayList<>();
            Plan p = Planner.plan(load(text), ops.devices(), null, Planner.Options.DEFAULT, cpus);
            assertThatThrownBy(() -> Applier.apply(p, ops, new Applier.Listener() {
                @Override
                public void applied(Step step) {}

                @Override
                public void undone(Step step) {
                    undone.add(step.name());
                }
            })).isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(e.lines()).containsExactly(
                    "site.toml:1:1: create zram0: size 16M, algorithm lz4, recompression zstd, algorithm_params [algo=zstd level=5],"
                            + " backing_dev " + dir.resolve("missing") + ", writeback_limit 4M: failed: set backing device: zram0: backing_dev "
                            + dir.resolve("missing") + ": no such file or device (No such file or directory)",
                    "rolled back: every device has its settings from before"));
            assertThat(undone).containsExactly("zram0");
            assertThat(registry.devices()).isEmpty();
        }
    }
}
