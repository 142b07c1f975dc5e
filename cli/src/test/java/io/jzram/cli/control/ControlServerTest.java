package io.jzram.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the control socket server")
@Timeout(20)
class ControlServerTest {
    @TempDir
    Path dir;

    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch blocking = new CountDownLatch(1);
    final ExecutorService pool = Executors.newCachedThreadPool();
    ControlServer server;

    /** echo ARGS: prints them; err: writes to stderr and exits 5; block: waits, 130 when interrupted. */
    final ControlServer.Handler handler = (request, out, err) -> {
        List<String> argv = request.argv();
        switch (argv.getFirst()) {
            case "echo" -> {
                out.println(String.join(" ", argv.subList(1, argv.size())) + (request.terminal() ? " (tty)" : ""));
                return 0;
            }
            case "err" -> {
                err.println("failed");
                return 5;
            }
            case "block" -> {
                out.println("blocking");
                out.flush();
                blocking.countDown();
                try {
                    release.await();
                    return 0;
                } catch (InterruptedException e) {
                    err.println("interrupted");
                    return 130;
                }
            }
            default -> {
                return 1;
            }
        }
    };

    ControlServer start(Path path) throws IOException {
        server = new ControlServer(path, handler, "9.9.9");
        server.start();
        return server;
    }

    record Output(int status, String out, String err) {}

    static Output run(ControlClient client, String... argv) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = client.run(new ControlProtocol.Request(List.of(argv), false, 0), out, err);
        return new Output(status, out.toString(), err.toString());
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
        pool.shutdownNow();
    }

    @Test
    void the_socket_is_its_owners_only_in_a_directory_it_makes_private() throws IOException {
        Path socket = dir.resolve("run/jzram/control.sock");
        start(socket);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void runs_commands_one_after_another_on_a_connection() throws IOException {
        start(dir.resolve("c.sock"));
        try (ControlClient c = ControlClient.connect(dir.resolve("c.sock"))) {
            assertThat(c.serverVersion()).isEqualTo("9.9.9");
            assertThat(run(c, "echo", "a", "b")).isEqualTo(new Output(0, "a b\n", ""));
            assertThat(run(c, "err")).isEqualTo(new Output(5, "", "failed\n"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(c.run(new ControlProtocol.Request(List.of("echo", "x"), true, 0), out, new ByteArrayOutputStream())).isZero();
            assertThat(out.toString()).isEqualTo("x (tty)\n");
        }
    }

    @Test
    void two_clients_at_once() throws Exception {
        Path socket = dir.resolve("c.sock");
        start(socket);
        try (ControlClient a = ControlClient.connect(socket); ControlClient b = ControlClient.connect(socket)) {
            Future<Output> blocked = pool.submit(() -> run(a, "block"));
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(run(b, "echo", "while", "a", "waits")).isEqualTo(new Output(0, "while a waits\n", ""));
            assertThat(blocked.isDone()).isFalse();
            release.countDown();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(new Output(0, "blocking\n", ""));
        }
    }

    @Test
    void an_interrupt_frame_interrupts_the_running_command_and_the_connection_goes_on() throws Exception {
        Path socket = dir.resolve("c.sock");
        start(socket);
        try (ControlClient a = ControlClient.connect(socket)) {
            Future<Output> blocked = pool.submit(() -> run(a, "block"));
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            a.interrupt();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(new Output(130, "blocking\n", "interrupted\n"));
            assertThat(run(a, "echo", "next")).isEqualTo(new Output(0, "next\n", ""));
        }
    }

    @Test
    void a_second_server_on_the_same_socket_is_refused_and_a_stale_socket_is_replaced() throws IOException {
        Path socket = dir.resolve("c.sock");
        start(socket);
        ControlServer second = new ControlServer(socket, handler, "1");
        assertThatThrownBy(second::start).isInstanceOf(ControlServer.AlreadyRunningException.class)
                .hasMessage("a jzram server (9.9.9) is already running at " + socket);
        server.close();

        // a socket file nobody listens on, as a killed server leaves it
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        start(socket);
        try (ControlClient c = ControlClient.connect(socket)) {
            assertThat(run(c, "echo", "ok").out()).isEqualTo("ok\n");
        }
    }

    @Test
    void a_regular_file_in_the_way_is_not_removed() throws IOException {
        Path socket = Files.writeString(dir.resolve("c.sock"), "precious");
        assertThatThrownBy(() -> start(socket)).hasMessage(socket + " exists and is not a socket");
        assertThat(socket).hasContent("precious");
    }

    @Test
    void closing_removes_the_socket_and_clients_then_hear_that_no_server_runs() throws IOException {
        Path socket = dir.resolve("c.sock");
        start(socket).close();
        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> ControlClient.connect(socket)).isInstanceOf(NoServerException.class)
                .hasMessage("cannot connect to " + socket + ": no server running (start one with 'jzram serve')");
    }

    @Test
    void a_server_that_goes_away_during_a_command_is_reported_as_a_lost_connection() throws Exception {
        Path socket = dir.resolve("c.sock");
        start(socket);
        try (ControlClient a = ControlClient.connect(socket)) {
            Future<Output> blocked = pool.submit(() -> run(a, "block"));
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            server.close();
            assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ControlClient.ConnectionLostException.class)
                    .cause().hasMessageStartingWith("lost the connection to the server at " + socket);
        }
    }
}
