package io.jzram.cli.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.Harness;
import io.jzram.cli.Main;
import io.jzram.cli.control.ControlServer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("a client sends server commands over the control socket and runs the rest itself")
@Timeout(30)
class ClientDispatcherTest {
    @TempDir
    Path dir;

    final Harness h = new Harness();
    final AtomicInteger served = new AtomicInteger();
    ControlServer server;
    Path socket;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("control.sock");
        server = new ControlServer(socket, (request, out, err) -> {
            served.incrementAndGet();
            return h.dispatcher.run(request.argv(), out, err);
        }, "test");
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        h.close();
    }

    Harness.Result client(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.client(Map.of(), InputStream.nullInputStream(), false, false);
        String[] all = new String[args.length + 2];
        all[0] = "--control-socket";
        all[1] = socket.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int status = Main.run(context, all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Harness.Result(status, out.toString(), err.toString());
    }

    @Test
    void the_same_command_gives_the_same_output_and_status_as_in_the_shell() {
        assertThat(client("zramctl", "--find", "--size", "4G", "--algorithm", "lz4", "-t", "2"))
                .isEqualTo(new Harness.Result(0, "/dev/zram0\n", ""));
        Harness.Result remote = client("zramctl");
        assertThat(remote).isEqualTo(h.run("zramctl"));
        assertThat(remote.out()).startsWith("NAME       ALGORITHM DISKSIZE");
        assertThat(client("stat", "zram9")).isEqualTo(h.run("stat", "zram9")).extracting(Harness.Result::status).isEqualTo(1);
        assertThat(client("zramctl", "-r", "/dev/zram3")).isEqualTo(new Harness.Result(1, "", "zramctl: /dev/zram3: failed to reset: No such device\n"));
    }

    @Test
    void help_version_and_usage_errors_are_answered_without_the_server() {
        assertThat(client("zramctl", "--help").out()).contains("Available output columns:");
        assertThat(client("stat", "-V").status()).isZero();
        assertThat(client("mem-limit").status()).isEqualTo(1);
        assertThat(client("help", "reset").status()).isZero();
        assertThat(served).hasValue(0);
    }

    @Test
    void a_server_that_went_away_is_a_clear_error_with_its_own_exit_status() {
        server.close();
        assertThat(client("hot-add")).isEqualTo(new Harness.Result(3, "",
                "jzram: cannot connect to " + socket + ": no server running (start one with 'jzram serve')\n"));
    }

    @Test
    void the_client_shell_keeps_one_connection() throws Exception {
        CliContext context = CliContext.client(Map.of(), InputStream.nullInputStream(), false, false);
        try (ClientDispatcher d = new ClientDispatcher(context, false, 0, socket)) {
            d.connect();
            StringWriter out = new StringWriter();
            PrintWriter w = new PrintWriter(out, true);
            assertThat(d.run(List.of("hot-add"), w, w)).isZero();
            assertThat(d.run(List.of("devices"), w, w)).isZero();
            assertThat(out.toString()).isEqualTo("zram0\nzram0\n");
        }
    }
}
