package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("unknown keys are errors, with the closest known key suggested")
class UnknownKeysTest {

    @Test
    void misspellings_get_the_key_they_are_closest_to() {
        assertThat(ConfigParserTest.errors("""
                [server]
                lisen = "127.0.0.1"
                control-socket = "/run/x.sock"
                [[device]]
                sise = "1G"
                mem_limt = "1G"
                algoritm = "lz4"
                """)).containsExactly(
                "site.toml:2:1: unknown key 'lisen' in [server] (did you mean 'listen'?)",
                "site.toml:3:1: unknown key 'control-socket' in [server] (did you mean 'control_socket'?)",
                "site.toml:4:1: [[device]] without size (add size = \"1G\", or size = 0 for a device that is not set up)",
                "site.toml:5:1: unknown key 'sise' in [[device]] (did you mean 'size'?)",
                "site.toml:6:1: unknown key 'mem_limt' in [[device]] (did you mean 'mem_limit'?)",
                "site.toml:7:1: unknown key 'algoritm' in [[device]] (did you mean 'algorithm'?)");
    }

    @Test
    void the_kernels_sysfs_names_point_to_ours() {
        assertThat(ConfigParserTest.errors("""
                [[device]]
                disksize = "1G"
                comp_algorithm = "zstd"
                max_comp_streams = 2
                size = "1G"
                """)).containsExactly(
                "site.toml:2:1: unknown key 'disksize' in [[device]] (did you mean 'size'?)",
                "site.toml:3:1: unknown key 'comp_algorithm' in [[device]] (did you mean 'algorithm'?)",
                "site.toml:4:1: unknown key 'max_comp_streams' in [[device]] (did you mean 'streams'?)");
    }

    @Test
    void top_level_keys_and_tables() {
        assertThat(ConfigParserTest.errors("""
                version = 2
                [[devices]]
                size = "1G"
                """)).containsExactly(
                "site.toml:1:1: unknown key 'version' at the top level (known keys: server, device, initiator, discovery)",
                "site.toml:2:1: unknown key 'devices' at the top level (did you mean 'device'?)");
    }

    @Test
    void nothing_close_lists_the_known_keys() {
        assertThat(ConfigParserTest.errors("""
                [[device]]
                size = "1G"
                colour = "blue"
                """)).containsExactly("site.toml:3:1: unknown key 'colour' in [[device]] "
                + "(known keys: id, name, size, algorithm, algorithm_params, mem_limit, streams, backing_dev, writeback_limit,"
                + " recompress_idle_after, writeback_idle_after, tiering_cpu_budget, exported, lun)");
    }

    @Test
    void sub_tables_are_unknown_keys_too() {
        assertThat(ConfigParserTest.errors("""
                [server.tls]
                cert = "x"
                """)).containsExactly("site.toml:1:1: unknown key 'tls' in [server] (known keys: listen, advertise, iqn, control_socket, log_level, allow_any_initiator, max_connections, max_connections_per_address)");
    }

    @Test
    void the_rules_of_suggestion() {
        assertThat(Suggestions.closest("algo", ConfigParser.DEVICE_KEYS)).contains("algorithm");
        assertThat(Suggestions.closest("listen_on", ConfigParser.SERVER_KEYS)).contains("listen");
        assertThat(Suggestions.closest("SIZE", ConfigParser.DEVICE_KEYS)).contains("size");
        assertThat(Suggestions.closest("idd", ConfigParser.DEVICE_KEYS)).contains("id");
        assertThat(Suggestions.closest("streasm", ConfigParser.DEVICE_KEYS)).contains("streams");
        assertThat(Suggestions.closest("xyz", ConfigParser.DEVICE_KEYS)).isEmpty();
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }
}
