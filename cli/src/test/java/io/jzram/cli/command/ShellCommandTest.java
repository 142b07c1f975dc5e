package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import io.jzram.cli.Harness;
import io.jzram.cli.Main;
import io.jzram.cli.control.ControlServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("scripts against a running server: 'jzram shell < FILE' and 'jzram --script FILE'")
@Timeout(30)
class ShellCommandTest {
    static final String SCRIPT = """
            # set up two devices
            zramctl --find --size 64M
            zramctl -f -s 32M -a zstd
            zramctl -r /dev/zram7
            hot-add
            """;

    @TempDir
    Path dir;

    final Harness h = new Harness();
    ControlServer server;
    Path socket;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("control.sock");
        server = new ControlServer(socket, (request, out, err) -> h.dispatcher.run(request.argv(), out, err), "test");
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        h.close();
    }

    Harness.Result jzram(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        CliContext context = CliContext.client(Map.of("JZRAM_CONTROL_SOCKET", socket.toString()), in, false, false);
        int status = Main.run(context, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Harness.Result(status, out.toString(), err.toString());
    }

    @Test
    void shell_with_a_script_on_stdin_stops_at_the_first_failing_line() {
        assertThat(jzram(SCRIPT, "shell")).isEqualTo(new Harness.Result(1, "/dev/zram0\n/dev/zram1\n",
                "<stdin>:4: zramctl: /dev/zram7: failed to reset: No such device\n"));
        assertThat(h.registry.devices()).hasSize(2); // line 5 did not run
    }

    @Test
    void continue_on_error_runs_every_line() {
        assertThat(jzram(SCRIPT, "shell", "--continue-on-error").status()).isEqualTo(1);
        assertThat(h.registry.devices()).hasSize(3);
    }

    @Test
    void script_option_names_the_file() throws Exception {
        Path file = Files.writeString(dir.resolve("setup.jzram"), SCRIPT);
        assertThat(jzram("", "--script", file.toString())).isEqualTo(new Harness.Result(1, "/dev/zram0\n/dev/zram1\n",
                file + ":4: zramctl: /dev/zram7: failed to reset: No such device\n"));
        assertThat(jzram("", "--script", dir.resolve("missing").toString()))
                .isEqualTo(new Harness.Result(1, "", "jzram: cannot open " + dir.resolve("missing") + ": No such file or directory\n"));
    }

    @Test
    void a_script_that_succeeds_exits_0() {
        assertThat(jzram("hot-add\nzramctl -n -o NAME --raw zram0\n", "shell")).isEqualTo(new Harness.Result(0, "zram0\n/dev/zram0\n", ""));
    }

    @Test
    void inside_a_server_serve_and_shell_are_refused() {
        assertThat(h.run("serve", "--no-shell")).isEqualTo(new Harness.Result(1, "", "jzram: serve: a server is already running here\n"));
        assertThat(h.run("shell")).isEqualTo(new Harness.Result(1, "", "jzram: shell: already in a shell\n"));
    }

    @Test
    void without_a_server_the_first_server_line_fails_clearly() {
        server.close();
        Harness.Result r = jzram("help\nhot-add\n", "shell");
        assertThat(r.status()).isEqualTo(ExitCodes.NO_SERVER);
        assertThat(r.out()).contains("Usage: jzram"); // help needs no server
        assertThat(r.err()).isEqualTo("<stdin>:2: jzram: cannot connect to " + socket + ": no server running (start one with 'jzram serve')\n");
    }
}
