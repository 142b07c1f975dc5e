package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("configuration files: TOML → model with positions, every error as file:line:col: message")
class ConfigParserTest {
    static final List<String> ALGORITHMS = List.of("lz4", "lz4hc", "zstd", "deflate");

    static ConfigFile load(String text) throws ConfigException {
        return Config.load("site.toml", text, ALGORITHMS);
    }

    /** The error lines of an invalid file, as the commands print them. */
    static List<String> errors(String text) {
        try {
            load(text);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("the file is valid");
    }

    @Nested
    @DisplayName("valid files")
    class Valid {
        @Test
        void every_key() throws Exception {
            ConfigFile f = load("""
                    # a site
                    [server]
                    listen = "0.0.0.0:3260"
                    advertise = ["192.0.2.7:13260", "[2001:db8::7]"]
                    iqn = "iqn.2026-11.com.example:ram"
                    control_socket = "/run/jzram/control.sock"
                    log_level = "warn"

                    [[device]]
                    id = 0
                    size = "4G"
                    algorithm = "zstd"
                    mem_limit = "1G"
                    streams = 2
                    exported = true
                    lun = 0

                    [[device]]
                    name = "/dev/zram3"
                    size = 1048576
                    """);
            assertThat(f.name()).isEqualTo("site.toml");
            ServerConfig s = f.server();
            assertThat(s.listen()).isEqualTo(new InetSocketAddress("0.0.0.0", 3260));
            assertThat(s.advertise()).containsExactly(new InetSocketAddress("192.0.2.7", 13260), new InetSocketAddress("2001:db8::7", 3260));
            assertThat(s.iqn()).isEqualTo("iqn.2026-11.com.example:ram");
            assertThat(s.controlSocket()).isEqualTo(Path.of("/run/jzram/control.sock"));
            assertThat(s.logLevel()).isEqualTo(LogLevel.WARN);
            assertThat(s.position("listen")).isEqualTo(new Position(3, 10));
            assertThat(f.devices()).hasSize(2);
            DeviceConfig zram0 = f.devices().get(0);
            assertThat(zram0).extracting(DeviceConfig::id, DeviceConfig::size, DeviceConfig::algorithm, DeviceConfig::memLimit, DeviceConfig::streams)
                    .containsExactly(0, 4L << 30, "zstd", 1L << 30, 2);
            assertThat(zram0.at()).isEqualTo(new Position(9, 1));
            assertThat(zram0.position("size")).isEqualTo(new Position(11, 8));
            DeviceConfig zram3 = f.devices().get(1);
            assertThat(zram3).extracting(DeviceConfig::id, DeviceConfig::size, DeviceConfig::algorithm, DeviceConfig::memLimit, DeviceConfig::streams)
                    .containsExactly(3, 1L << 20, "lz4", 0L, 0);
            assertThat(f.devices()).extracting(DeviceConfig::exported).containsExactly(true, true);
        }

        @Test
        void exported_false_keeps_a_device_from_initiators_and_the_default_is_true() throws Exception {
            ConfigFile f = load("""
                    [[device]]
                    size = "1G"
                    exported = false
                    lun = 0
                    [[device]]
                    size = "1G"
                    """);
            assertThat(f.devices()).extracting(DeviceConfig::id, DeviceConfig::exported)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, false), org.assertj.core.groups.Tuple.tuple(1, true));
            assertThat(f.devices().getFirst().position("exported")).isEqualTo(new Position(3, 12));
        }

        @Test
        void an_empty_file_asks_for_no_devices_and_no_settings() throws Exception {
            ConfigFile f = load("# nothing yet\n");
            assertThat(f.server()).isEqualTo(ServerConfig.EMPTY);
            assertThat(f.devices()).isEmpty();
        }

        @Test
        void devices_without_id_take_the_lowest_ids_the_file_leaves_free_in_file_order() throws Exception {
            ConfigFile f = load("""
                    [[device]]
                    size = "1G"
                    [[device]]
                    id = 0
                    size = "2G"
                    [[device]]
                    size = "3G"
                    [[device]]
                    name = "zram2"
                    size = "4G"
                    """);
            assertThat(f.devices()).extracting(DeviceConfig::id, DeviceConfig::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 2L << 30), org.assertj.core.groups.Tuple.tuple(1, 1L << 30),
                            org.assertj.core.groups.Tuple.tuple(2, 4L << 30), org.assertj.core.groups.Tuple.tuple(3, 3L << 30));
        }

        @Test
        void sizes_round_up_to_pages_as_the_device_rounds_them_and_0_means_not_set_up() throws Exception {
            ConfigFile f = load("""
                    [[device]]
                    size = 1000
                    mem_limit = "1.5K"
                    [[device]]
                    size = 0
                    """);
            assertThat(f.devices()).extracting(DeviceConfig::size).containsExactly(4096L, 0L);
            assertThat(f.devices().getFirst().memLimit()).isEqualTo(4096);
        }

        @Test
        void inline_tables_and_quoted_keys_are_toml_too() throws Exception {
            ConfigFile f = load("""
                    device = [ { id = 1, size = "64M" } ]
                    [server]
                    "listen" = "127.0.0.1:0"
                    """);
            assertThat(f.devices()).extracting(DeviceConfig::id).containsExactly(1);
            assertThat(f.server().listen().getPort()).isZero();
            assertThat(f.server().position("listen")).isEqualTo(new Position(3, 12));
        }
    }

    @Nested
    @DisplayName("errors: each at its place, all of them, nothing else")
    class Errors {
        @Test
        void an_unknown_unit_names_the_units() {
            assertThat(errors("""
                    [[device]]
                    size = "4Q"
                    """)).containsExactly("site.toml:2:8: size \"4Q\": unknown unit (use K, M, G, T, or KiB…)");
        }

        @Test
        void every_error_of_the_file_in_file_order() {
            assertThat(errors("""
                    [server]
                    listen = "127.0.0.1:99999"
                    advertise = ["0.0.0.0:3260", "192.0.2.1:3260"]
                    iqn = "storage"
                    control_socket = "run/jzram.sock"
                    log_level = "warning"

                    [[device]]
                    id = 1
                    size = "1.5"
                    algorithm = "lz5"
                    mem_limit = -1
                    streams = 0

                    [[device]]
                    id = 1
                    size = "4 G"
                    exported = "no"

                    [[device]]
                    name = "sda"
                    lun = 7
                    size = true
                    """)).containsExactly(
                    "site.toml:2:10: listen \"127.0.0.1:99999\": bad port '99999'",
                    "site.toml:3:14: advertise \"0.0.0.0:3260\": cannot advertise a wildcard address",
                    "site.toml:4:7: iqn \"storage\": not an iSCSI name (iqn.YYYY-MM.reversed.domain:name, eui.… or naa.…)",
                    "site.toml:5:18: control_socket \"run/jzram.sock\": must be an absolute path",
                    "site.toml:6:13: log_level \"warning\": unknown (use debug, info, warn or error; did you mean 'warn'?)",
                    "site.toml:10:8: size \"1.5\": a fraction needs a unit (1.5G, not 1.5)",
                    "site.toml:11:13: algorithm \"lz5\": not available (available: lz4, lz4hc, zstd, deflate); did you mean 'lz4'?",
                    "site.toml:12:13: mem_limit -1: must not be negative",
                    "site.toml:13:11: streams 0: out of range (1 to 4096; leave it out for one per CPU)",
                    "site.toml:16:6: id 1: zram1 is already described at line 9",
                    "site.toml:17:8: size \"4 G\": no blanks allowed inside a size (4G, not 4 G)",
                    "site.toml:18:12: exported: expected true or false, not a string",
                    "site.toml:21:8: name \"sda\": not a device name (zramN or /dev/zramN)",
                    "site.toml:23:8: size: expected a size such as \"4G\" or a number of bytes, not a boolean");
        }

        @Test
        void exported_is_a_boolean_and_nothing_that_could_be_read_either_way() {
            assertThat(errors("""
                    [[device]]
                    size = "1G"
                    exported = 0
                    [[device]]
                    size = "1G"
                    exported = "false"
                    """)).containsExactly(
                    "site.toml:3:12: exported: expected true or false, not an integer",
                    "site.toml:6:12: exported: expected true or false, not a string");
        }

        @Test
        void a_lun_other_than_the_id_is_refused_until_the_target_maps_luns() {
            assertThat(errors("""
                    [[device]]
                    id = 3
                    size = "1G"
                    lun = 5
                    """)).containsExactly("site.toml:4:7: lun 5: differs from the device's id 3 "
                    + "(each device is exported as the LUN with its id; LUN mapping is not supported yet)");
        }

        @Test
        void a_device_needs_a_size_and_ids_stay_in_the_luns_range() {
            assertThat(errors("""
                    [[device]]
                    id = 16384
                    size = "1G"
                    [[device]]
                    algorithm = "zstd"
                    [[device]]
                    size = "9T"
                    [[device]]
                    size = "20E"
                    [[device]]
                    name = "zram1"
                    id = 2
                    size = 1
                    """)).containsExactly(
                    "site.toml:2:6: id 16384: out of range (0 to 16383, the LUNs the target can address)",
                    "site.toml:4:1: [[device]] without size (add size = \"1G\", or size = 0 for a device that is not set up)",
                    "site.toml:7:8: size \"9T\": too large for a device (at most 8589934588K, 8T - 4K)",
                    "site.toml:9:8: size \"20E\": out of range (at most 8E)",
                    "site.toml:11:8: name \"zram1\": does not match id 2 (give one of them)");
        }

        @Test
        void wrong_shapes_of_tables() {
            assertThat(errors("""
                    [device]
                    size = "1G"
                    [[server]]
                    listen = "127.0.0.1"
                    """)).containsExactly(
                    "site.toml:1:1: device: write each device as [[device]] (an array of tables), not [device]",
                    "site.toml:3:1: server: write one [server] table, not [[server]]");
        }

        @Test
        void syntax_errors_are_reported_all_and_alone() {
            assertThat(errors("""
                    [server]
                    listen = 127.0.0.1
                    [[device]]
                    size = "1G
                    bad key = 1
                    """)).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> assertThat(e).startsWith("site.toml:"))
                    .first().asString().startsWith("site.toml:2:");
        }

        @Test
        void duplicate_keys_are_toml_errors() {
            assertThat(errors("""
                    [[device]]
                    size = "1G"
                    size = "2G"
                    """)).singleElement().asString().startsWith("site.toml:3:1: ").contains("size").contains("line 2");
        }

        @Test
        void the_exception_message_is_the_lines() {
            assertThatThrownBy(() -> load("[[device]]\nsize = \"4Q\"\nstreams = \"4\"\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("site.toml:2:8: size \"4Q\": unknown unit (use K, M, G, T, or KiB…)\n"
                            + "site.toml:3:11: streams: expected a number of streams such as 4, not a string");
        }
    }
}
