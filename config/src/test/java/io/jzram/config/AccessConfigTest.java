package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("[[initiator]] and [discovery]: who may log in, CHAP and LUN masking; secrets never shown")
class AccessConfigTest {
    static final String WEB1 = "iqn.1993-08.org.debian:01:web1";
    static final String SECRET = "web1-secret-value";
    static final String MUTUAL = "target-secret-value";

    static Secret secret(String text) {
        return Secret.of(text);
    }

    @Nested
    @DisplayName("valid files")
    class Valid {
        @TempDir
        Path dir;

        @Test
        void a_file_without_initiator_or_discovery_says_nothing_about_access() throws Exception {
            assertThat(ConfigParserTest.load("[[device]]\nsize = \"1M\"\n").access()).isNull();
        }

        @Test
        void every_key() throws Exception {
            Path file = dir.resolve("discover.secret");
            Files.writeString(file, "discovery-secret\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            ConfigFile f = ConfigParserTest.load("""
                    [[initiator]]
                    name = "%s"
                    chap_user = "web1"
                    chap_secret = "%s"
                    mutual_user = "jzram"
                    mutual_secret = "%s"
                    devices = ["zram2", "/dev/zram0"]

                    [[initiator]]
                    name = "iqn.1993-08.org.debian:01:DB1"

                    [discovery]
                    chap_user = "discover"
                    chap_secret_file = "%s"
                    """.formatted(WEB1, SECRET, MUTUAL, file));
            AccessConfig a = f.access();
            assertThat(a.initiators()).extracting(InitiatorConfig::name).containsExactly("iqn.1993-08.org.debian:01:DB1", WEB1);
            InitiatorConfig web1 = a.initiator("IQN.1993-08.ORG.DEBIAN:01:WEB1").orElseThrow();
            assertThat(web1.chap()).isEqualTo(new ChapCredentials("web1", secret(SECRET), "jzram", secret(MUTUAL)));
            assertThat(web1.devices()).containsExactly(0, 2);
            assertThat(web1.position()).isEqualTo(new Position(1, 1));
            InitiatorConfig db1 = a.initiator("iqn.1993-08.org.debian:01:db1").orElseThrow();
            assertThat(db1.chap()).isNull();
            assertThat(db1.devices()).as("every exported device").isNull();
            assertThat(a.discovery().user()).isEqualTo("discover");
            assertThat(a.discovery().secret().text()).as("without the trailing newline").isEqualTo("discovery-secret");
            assertThat(a.discovery().secret().file()).isEqualTo(file);
        }

        @Test
        void an_entry_prints_without_its_secrets() throws Exception {
            ConfigFile f = ConfigParserTest.load("""
                    [[initiator]]
                    name = "%s"
                    chap_user = "web1"
                    chap_secret = "%s"
                    mutual_user = "jzram"
                    mutual_secret = "%s"
                    """.formatted(WEB1, SECRET, MUTUAL));
            String shown = f.access().toString() + f.access().initiators().getFirst().describe();
            assertThat(shown).contains("web1", "jzram").doesNotContain(SECRET).doesNotContain(MUTUAL);
        }

        @Test
        void an_empty_device_list_masks_every_lun() throws Exception {
            ConfigFile f = ConfigParserTest.load("[[initiator]]\nname = \"" + WEB1 + "\"\ndevices = []\n");
            assertThat(f.access().initiators().getFirst().devices()).isEmpty();
            assertThat(f.access().initiators().getFirst().describe()).isEqualTo("no CHAP, no devices");
        }
    }

    @Nested
    @DisplayName("errors: each at its place, never with a secret's value")
    class Errors {
        @TempDir
        Path dir;

        List<String> errors(String text) {
            List<String> e = ConfigParserTest.errors(text);
            for (String line : e) {
                assertThat(line).doesNotContain(SECRET).doesNotContain(MUTUAL).doesNotContain("short-one");
            }
            return e;
        }

        @Test
        void chap_rules() {
            assertThat(errors("""
                    [[initiator]]
                    name = "%s"
                    chap_user = "web1"
                    chap_secret = "short-one"
                    """.formatted(WEB1))).containsExactly(
                    "site.toml:4:15: chap_secret: 9 bytes; a CHAP secret has 12 to 255 bytes (RFC 7143 §12.1.3 asks for at least 96 bits)");
            assertThat(errors("[[initiator]]\nname = \"" + WEB1 + "\"\nchap_secret = \"" + SECRET + "\"\n")).containsExactly(
                    "site.toml:3:15: [[initiator]]: chap_user and chap_secret (or chap_secret_file) go together");
            assertThat(errors("[[initiator]]\nname = \"" + WEB1 + "\"\nchap_user = \"web1\"\n")).containsExactly(
                    "site.toml:3:13: [[initiator]]: chap_user and chap_secret (or chap_secret_file) go together");
            assertThat(errors("[[initiator]]\nname = \"" + WEB1 + "\"\nmutual_user = \"jzram\"\nmutual_secret = \"" + MUTUAL + "\"\n"))
                    .containsExactly("site.toml:3:15: [[initiator]]: mutual CHAP needs chap_user and chap_secret too"
                            + " (the initiator proves itself first)");
            assertThat(errors("""
                    [discovery]
                    chap_user = "d"
                    chap_secret = "%s"
                    mutual_user = "t"
                    mutual_secret = "%s"
                    """.formatted(SECRET, SECRET))).containsExactly("site.toml:5:17: [discovery]: mutual_secret must differ from"
                    + " chap_secret (one secret in both directions is refused by RFC 7143 §12.1.3)");
            assertThat(errors("[[initiator]]\nname = \"" + WEB1 + "\"\nchap_user = \"\"\nchap_secret = \"" + SECRET + "\"\n"))
                    .containsExactly("site.toml:3:13: chap_user \"\": must be 1 to 255 bytes without control characters");
            assertThat(errors("[[initiator]]\nname = \"" + WEB1 + "\"\nchap_user = \"w\"\nchap_secret = 123456789012345\n"))
                    .containsExactly("site.toml:4:15: chap_secret: expected a string, not an integer");
        }

        @Test
        void a_secret_serves_one_role_across_entries_too() {
            assertThat(errors("""
                    [[initiator]]
                    name = "%s"
                    chap_user = "web1"
                    chap_secret = "%s"

                    [[initiator]]
                    name = "iqn.1993-08.org.debian:01:db1"
                    chap_user = "db1"
                    chap_secret = "db1-secret-value"
                    mutual_user = "jzram"
                    mutual_secret = "%s"
                    """.formatted(WEB1, SECRET, SECRET))).containsExactly("site.toml:11:17: mutual_secret of initiator"
                    + " iqn.1993-08.org.debian:01:db1 is the chap_secret of initiator " + WEB1
                    + "; a secret may serve one role only (RFC 7143 §9.2.1)");
        }

        @Test
        void a_secret_longer_than_255_bytes() {
            String longSecret = "x".repeat(256);
            List<String> e = ConfigParserTest.errors("[[initiator]]\nname = \"" + WEB1 + "\"\nchap_user = \"w\"\nchap_secret = \""
                    + longSecret + "\"\n");
            assertThat(e).containsExactly("site.toml:4:15: chap_secret: 256 bytes; a CHAP secret has 12 to 255 bytes"
                    + " (RFC 7143 §12.1.3 asks for at least 96 bits)");
        }

        @Test
        void secret_files() throws Exception {
            Path good = dir.resolve("good.secret");
            Files.writeString(good, SECRET);
            Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-------"));
            Path open = dir.resolve("open.secret");
            Files.writeString(open, SECRET);
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
            String head = "[[initiator]]\nname = \"" + WEB1 + "\"\nchap_user = \"w\"\n";
            assertThat(errors(head + "chap_secret_file = \"relative.secret\"\n")).containsExactly(
                    "site.toml:4:20: chap_secret_file \"relative.secret\": must be an absolute path (the server reads it,"
                            + " wherever it was started)");
            assertThat(errors(head + "chap_secret_file = \"" + dir.resolve("none") + "\"\n")).containsExactly(
                    "site.toml:4:20: chap_secret_file \"" + dir.resolve("none") + "\": no such file");
            assertThat(errors(head + "chap_secret_file = \"" + open + "\"\n")).containsExactly(
                    "site.toml:4:20: chap_secret_file \"" + open + "\": other users may read or change it (mode rw-r--r--); chmod 600 it");
            assertThat(errors(head + "chap_secret = \"" + SECRET + "\"\nchap_secret_file = \"" + good + "\"\n")).containsExactly(
                    "site.toml:5:20: chap_secret_file: give chap_secret or chap_secret_file, not both");
        }

        @Test
        void names_and_devices() {
            assertThat(errors("[[initiator]]\nchap_user = \"w\"\nchap_secret = \"" + SECRET + "\"\n")).containsExactly(
                    "site.toml:1:1: [[initiator]]: name is required (the initiator's iSCSI name, e.g. \"iqn.1993-08.org.debian:01:web1\";"
                            + " on a Linux initiator it is in /etc/iscsi/initiatorname.iscsi)");
            assertThat(errors("[[initiator]]\nname = \"web1\"\n")).containsExactly(
                    "site.toml:2:8: name \"web1\": not an iSCSI name (iqn.YYYY-MM.reversed.domain:name, eui.… or naa.…)");
            assertThat(errors("[[initiator]]\nname = \"" + WEB1 + "\"\n\n[[initiator]]\nname = \"" + WEB1.toUpperCase() + "\"\n"))
                    .containsExactly("site.toml:5:8: name \"" + WEB1.toUpperCase()
                            + "\": listed twice (first at line 1; iSCSI names are compared without regard to case)");
            assertThat(errors("[[initiator]]\nname = \"" + WEB1 + "\"\ndevices = [\"zram0\", \"sda\", \"zram0\", 3]\n")).containsExactly(
                    "site.toml:3:21: devices: \"sda\": not a device name (zram0 to zram16383)",
                    "site.toml:3:28: devices: \"zram0\": listed twice",
                    "site.toml:3:37: devices: expected a device name such as \"zram0\", not an integer");
            assertThat(errors("[[initiator]]\nname = \"" + WEB1 + "\"\ndevices = \"zram0\"\n")).containsExactly(
                    "site.toml:3:11: devices: expected an array of device names such as [\"zram0\", \"zram2\"], not a string");
            assertThat(errors("[initiator]\nname = \"" + WEB1 + "\"\n")).containsExactly(
                    "site.toml:1:1: initiator: write each initiator as [[initiator]] (an array of tables), not [initiator]");
        }

        @Test
        void a_syntax_error_on_a_secrets_line_is_reported_without_its_text() {
            List<String> e = errors("[[initiator]]\nname = \"" + WEB1 + "\"\nchap_user = \"w\"\nchap_secret = \"" + SECRET + "\n");
            assertThat(e).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("web1-secret"));
            assertThat(e.getFirst()).startsWith("site.toml:4:").contains("cannot read the value of a secret (not shown)");
        }

        @Test
        void server_limits() {
            assertThat(errors("[server]\nmax_connections = 0\nmax_connections_per_address = 70000\nallow_any_initiator = \"yes\"\n"))
                    .containsExactly(
                            "site.toml:2:19: max_connections 0: out of range (1 to 65535)",
                            "site.toml:3:31: max_connections_per_address 70000: out of range (1 to 65535)",
                            "site.toml:4:23: allow_any_initiator: expected true or false, not a string");
            assertThat(errors("[server]\nmax_connections = 8\nmax_connections_per_address = 9\n")).containsExactly(
                    "site.toml:3:31: max_connections_per_address 9: more than max_connections 8");
        }
    }

    /** Whatever a secret is, and whatever rule it breaks, the errors never contain it. */
    @Property(tries = 300)
    void no_error_ever_contains_a_secret(@ForAll @StringLength(min = 4, max = 300) String value, @ForAll boolean mutual) {
        String quoted = ConfigValidator.quote(value);
        String text = "[[initiator]]\nname = \"" + WEB1 + "\"\nchap_user = \"w\"\n"
                + (mutual ? "chap_secret = \"" + SECRET + "\"\nmutual_user = \"m\"\nmutual_secret = " : "chap_secret = ") + quoted + "\n";
        String needle = value.strip();
        if (needle.length() < 4) {
            return; // too short to tell a leak from the rest of a message
        }
        try {
            ConfigParserTest.load(text);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                assertThat(error.toString()).doesNotContain(needle);
            }
        }
    }

    @Nested
    @DisplayName("plans")
    class Plans {
        static final String FILE = """
                [[initiator]]
                name = "%s"
                chap_user = "web1"
                chap_secret = "%s"
                devices = ["zram0"]
                """.formatted(WEB1, SECRET);

        @Test
        void a_new_list_is_one_step_first_in_the_plan_and_the_same_list_is_none() throws Exception {
            ConfigFile f = ConfigParserTest.load(FILE + "\n[[device]]\nid = 0\nsize = \"1M\"\n");
            Plan p = Planner.plan(f, List.of(), null, AccessConfig.OPEN, Planner.Options.DEFAULT, 2);
            assertThat(p.steps()).extracting(Step::name).containsExactly("access", "zram0");
            assertThat(p.lines()).contains("  access: add initiator " + WEB1 + " (CHAP (user web1), devices zram0)");
            assertThat(String.join("\n", p.lines())).doesNotContain(SECRET);

            Plan again = Planner.plan(f, List.of(), null, f.access().withoutPositions(), Planner.Options.DEFAULT, 2);
            assertThat(again.steps()).extracting(Step::name).containsExactly("zram0");
        }

        @Test
        void changes_and_removals_are_said() throws Exception {
            AccessConfig running = ConfigParserTest.load(FILE.replace(SECRET, "old-secret-value") + """
                    [[initiator]]
                    name = "iqn.1993-08.org.debian:01:gone"
                    """).access();
            Plan p = Planner.plan(ConfigParserTest.load(FILE), List.of(), null, running, Planner.Options.DEFAULT, 2);
            assertThat(p.lines()).contains("  access: change initiator " + WEB1 + " (CHAP (user web1), devices zram0);"
                    + " remove initiator iqn.1993-08.org.debian:01:gone (its sessions end)");
        }

        @Test
        void leaving_no_entry_on_a_network_listener_is_refused_unless_any_initiator_is_allowed() throws Exception {
            AccessConfig running = ConfigParserTest.load(FILE).access();
            ConfigFile open = ConfigParserTest.load("[discovery]\nchap_user = \"d\"\nchap_secret = \"" + SECRET + "\"\n");
            ServerConfig network = ServerConfig.of(new InetSocketAddress("0.0.0.0", 3260), List.of(), null, null, null);
            Plan refused = Planner.plan(open, List.of(), network, running, Planner.Options.DEFAULT, 2);
            assertThat(refused.isApplicable()).isFalse();
            assertThat(refused.refusals().getFirst().message()).startsWith("access: no [[initiator]] entry would be left, and the server"
                    + " listens on 0.0.0.0:3260: any initiator could log in");

            ServerConfig allowed = ServerConfig.of(new InetSocketAddress("0.0.0.0", 3260), List.of(), null, null, null, true, null, null);
            assertThat(Planner.plan(open, List.of(), allowed, running, Planner.Options.DEFAULT, 2).isApplicable()).isTrue();
            ServerConfig loopback = ServerConfig.of(new InetSocketAddress("127.0.0.1", 3260), List.of(), null, null, null);
            assertThat(Planner.plan(open, List.of(), loopback, running, Planner.Options.DEFAULT, 2).isApplicable()).isTrue();
        }

        @Test
        void a_file_without_access_tables_leaves_the_list_alone_unless_prune_makes_it_the_whole_truth() throws Exception {
            AccessConfig running = ConfigParserTest.load(FILE).access();
            ConfigFile devicesOnly = ConfigParserTest.load("[[device]]\nid = 0\nsize = \"1M\"\n");
            assertThat(Planner.plan(devicesOnly, List.of(), null, running, Planner.Options.DEFAULT, 2).steps())
                    .extracting(Step::name).containsExactly("zram0");
            Plan pruned = Planner.plan(devicesOnly, List.of(), null, running, new Planner.Options(false, true), 2);
            assertThat(pruned.steps()).extracting(Step::name).containsExactly("access", "zram0");
            assertThat(pruned.lines()).contains("  access: remove initiator " + WEB1 + " (its sessions end)");
            ServerConfig network = ServerConfig.of(new InetSocketAddress("0.0.0.0", 3260), List.of(), null, null, null);
            assertThat(Planner.plan(devicesOnly, List.of(), network, running, new Planner.Options(false, true), 2).isApplicable())
                    .as("pruning the last entry on a network listener opens it to anyone: refused").isFalse();
        }

        @Test
        void without_a_target_a_restricting_list_fails_and_is_rolled_back() throws Exception {
            ZramRegistry registry = new ZramRegistry();
            RegistryOps ops = new RegistryOps(registry, null, Duration.ofSeconds(5));
            Plan p = Planner.plan(ConfigParserTest.load(FILE), ops.devices(), null, ops.access(), Planner.Options.DEFAULT, 2);
            ApplyFailedException e = org.junit.jupiter.api.Assertions.assertThrows(ApplyFailedException.class,
                    () -> Applier.apply(p, ops, Applier.Listener.NONE));
            assertThat(e.lines().getFirst()).endsWith("failed: cannot restrict logins: no iSCSI target (Invalid argument)");
            assertThatThrownBy(() -> ops.setAccess(ConfigParserTest.load(FILE).access())).isInstanceOf(ZramException.class);
            ops.setAccess(AccessConfig.OPEN); // already so: no failure
        }
    }

    @Nested
    @DisplayName("save-config")
    class Saving {
        @TempDir
        Path dir;

        @Test
        void written_with_secrets_it_reads_back_the_same_and_a_secret_file_stays_a_reference() throws Exception {
            Path file = dir.resolve("mutual.secret");
            Files.writeString(file, MUTUAL + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            ConfigFile f = ConfigParserTest.load(Plans.FILE + "mutual_user = \"jzram\"\nmutual_secret_file = \"" + file + "\"\n"
                    + "\n[discovery]\nchap_user = \"d\"\nchap_secret = \"discovery-secret\"\n");
            String text = ConfigWriter.write(null, List.of(), f.access(), 2, true);
            assertThat(text).contains("chap_secret = \"" + SECRET + "\"", "mutual_secret_file = \"" + file + "\"")
                    .doesNotContain(MUTUAL);
            ConfigFile back = ConfigParserTest.load(text);
            assertThat(back.access().withoutPositions()).isEqualTo(f.access().withoutPositions());
            assertThat(ConfigWriter.write(null, List.of(), back.access(), 2, true)).isEqualTo(text);
        }

        @Test
        void written_for_standard_output_it_leaves_every_inline_secret_out() throws Exception {
            ConfigFile f = ConfigParserTest.load(Plans.FILE + "\n[discovery]\nchap_user = \"d\"\nchap_secret = \"discovery-secret\"\n");
            String text = ConfigWriter.write(null, List.of(), f.access(), 2, false);
            assertThat(text).doesNotContain(SECRET).doesNotContain("discovery-secret")
                    .contains("# chap_secret not shown; 'jzram save-config FILE' writes it (mode 0600)");
        }
    }
}
