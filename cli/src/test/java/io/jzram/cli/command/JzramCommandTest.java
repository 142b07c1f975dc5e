package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.Harness;
import io.jzram.cli.Main;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("jzram: global options, help and version, in a client with no server")
class JzramCommandTest {
    @TempDir
    Path dir;

    Harness.Result client(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.client(env, InputStream.nullInputStream(), false, false);
        int status = Main.run(context, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Harness.Result(status, out.toString(), err.toString());
    }

    Harness.Result client(String... args) {
        return client(Map.of("XDG_RUNTIME_DIR", dir.toString()), args);
    }

    @Test
    void help_lists_the_commands_and_the_exit_statuses() {
        Harness.Result r = client("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: jzram [-hqvV]", "serve ", "zramctl ", "hot-remove ", "sessions ", "completion ",
                "Exit status:", "  3   No jzram server answers at the control socket.");
        assertThat(r.out()).doesNotContain("\n  devices ");
    }

    @Test
    void help_command_explains_a_command() {
        Harness.Result r = client("help", "stat");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Show a device's statistics").contains("Usage: jzram stat [-bhqvV] [--control-socket=PATH] DEVICE...");
    }

    @Test
    void every_command_has_help_without_a_server() {
        for (String command : new String[] {"serve", "shell", "zramctl", "stat", "compact", "mem-limit", "hot-add", "hot-remove",
                "reset", "sessions", "completion"}) {
            Harness.Result r = client(command, "--help");
            assertThat(r.status()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: jzram " + command).contains("Exit status:");
        }
    }

    @Test
    void version_comes_from_the_pom() {
        assertThat(client("--version").out()).matches("jzram \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
        assertThat(client("stat", "--version").out()).startsWith("jzram ");
    }

    @Test
    void unknown_command() {
        Harness.Result r = client("zramctrl");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("jzram: unknown command 'zramctrl'\n").contains("zramctl").endsWith("Try 'jzram --help' for more information.\n");
    }

    @Test
    void a_server_command_without_a_server_says_so_with_exit_status_3() {
        Harness.Result r = client("zramctl");
        assertThat(r).isEqualTo(new Harness.Result(3, "",
                "jzram: cannot connect to " + dir.resolve("jzram/control.sock") + ": no server running (start one with 'jzram serve')\n"));
    }

    @Test
    void the_control_socket_option_goes_before_or_after_the_command_and_beats_the_environment() {
        Path a = dir.resolve("a.sock");
        Path b = dir.resolve("b.sock");
        Map<String, String> env = Map.of("JZRAM_CONTROL_SOCKET", dir.resolve("env.sock").toString(), "XDG_RUNTIME_DIR", dir.toString());
        assertThat(client(env, "--control-socket", a.toString(), "zramctl").err()).contains("cannot connect to " + a + ":");
        assertThat(client(env, "zramctl", "--control-socket=" + b).err()).contains("cannot connect to " + b + ":");
        assertThat(client(env, "hot-add").err()).contains("cannot connect to " + dir.resolve("env.sock") + ":");
        assertThat(client(Map.of(), "hot-add").err()).contains("cannot connect to /run/jzram/control.sock:");
    }

    @Test
    void a_usage_error_is_found_without_a_server() {
        Harness.Result r = client("stat");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("jzram: missing required parameter: 'DEVICE'");
    }

    @Test
    void continue_on_error_needs_a_script() {
        assertThat(client("--continue-on-error")).isEqualTo(new Harness.Result(1, "",
                "jzram: option --continue-on-error must be combined with --script\n"));
    }

    @Test
    void serve_with_a_config_file_that_is_not_there_starts_nothing() {
        Harness.Result r = client("serve", "--config", "/etc/jzram.conf");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("jzram: serve: --config: cannot read /etc/jzram.conf: No such file or directory\n");
    }

    @Test
    void serve_refuses_bad_devices_and_addresses_before_starting() {
        assertThat(client("serve", "--device", "4Q").err()).isEqualTo("jzram: serve: --device 4Q: failed to parse size: '4Q': Invalid argument\n");
        assertThat(client("serve", "--device", "1G:lzo").err()).startsWith("jzram: serve: --device 1G:lzo: unsupported algorithm 'lzo' (available: lz4");
        assertThat(client("serve", "--listen", "127.0.0.1:99999").err()).isEqualTo("jzram: serve: --listen 127.0.0.1:99999: bad port '99999'\n");
        assertThat(client("serve", "--advertise", "0.0.0.0:3260").err()).isEqualTo("jzram: serve: --advertise 0.0.0.0:3260: cannot advertise a wildcard address\n");
        assertThat(client("serve", "--iqn", "nonsense").err()).isEqualTo("jzram: serve: not an iSCSI name: nonsense\n");
    }
}
