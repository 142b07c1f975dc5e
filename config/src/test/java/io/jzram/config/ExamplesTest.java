package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the examples and the README: valid, and every key of the format in them")
class ExamplesTest {
    static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    static final Path EXAMPLES = MODULE.resolve("examples");

    static List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        keys.addAll(ConfigParser.SERVER_KEYS);
        keys.addAll(ConfigParser.DEVICE_KEYS);
        keys.addAll(ConfigParser.INITIATOR_KEYS);
        keys.addAll(ConfigParser.DISCOVERY_KEYS.stream().filter(k -> !keys.contains(k)).toList());
        return keys;
    }

    @Test
    void the_full_example_is_valid_and_shows_every_key() throws Exception {
        String text = Files.readString(EXAMPLES.resolve("jzram.toml"));
        ConfigFile f = Config.load("jzram.toml", text, ConfigParserTest.ALGORITHMS);
        assertThat(f.devices()).extracting(DeviceConfig::name).containsExactly("zram0", "zram1", "zram2");
        assertThat(f.devices()).extracting(DeviceConfig::exported).containsExactly(true, true, false);
        assertThat(f.server().controlSocket()).hasToString("/run/jzram/control.sock");
        assertThat(f.server().listen().getAddress().isAnyLocalAddress())
                .as("it listens on every interface, so it must name who may log in").isTrue();
        assertThat(f.access().initiators()).extracting(InitiatorConfig::name)
                .containsExactly("iqn.1993-08.org.debian:01:db1", "iqn.1993-08.org.debian:01:web1");
        assertThat(f.access().discovery()).isNotNull();
        for (String key : allKeys()) {
            assertThat(text).as("key %s", key).containsPattern("(?m)^#? ?" + key + " = ");
        }
    }

    @Test
    void the_minimal_example_is_valid() throws Exception {
        ConfigFile f = Config.load("minimal.toml", Files.readString(EXAMPLES.resolve("minimal.toml")), ConfigParserTest.ALGORITHMS);
        assertThat(f.devices()).extracting(DeviceConfig::size).containsExactly(1L << 30, 4L << 30);
        assertThat(f.server()).isEqualTo(ServerConfig.EMPTY);
    }

    @Test
    void the_systemd_unit_serves_the_etc_file_headless_with_the_socket_under_run_jzram() throws Exception {
        String unit = Files.readString(EXAMPLES.resolve("jzram.service"));
        assertThat(unit).contains("ExecStart=/usr/local/bin/jzram serve --config /etc/jzram/jzram.toml --no-shell\n",
                "RuntimeDirectory=jzram\n", "/run/jzram/control.sock", "[Install]\nWantedBy=multi-user.target");
    }

    @Test
    void the_readme_documents_every_key_and_its_toml_examples_are_valid() throws Exception {
        String readme = Files.readString(MODULE.resolve("README.md"));
        for (String key : allKeys()) {
            assertThat(readme).as("key %s", key).contains("| `" + key + "` |");
        }
        Matcher m = Pattern.compile("```toml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            Config.load("README.md block " + blocks, m.group(1), ConfigParserTest.ALGORITHMS);
        }
        assertThat(blocks).isPositive();
    }
}
