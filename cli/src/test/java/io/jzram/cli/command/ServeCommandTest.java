package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.Harness;
import io.jzram.cli.Main;
import io.jzram.cli.Version;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("jzram serve --no-shell as a process: devices at start, commands from clients, clean stop on SIGTERM and SIGINT")
@Timeout(90)
class ServeCommandTest {
    @TempDir
    Path dir;

    Process process;

    Process serve(Path socket, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve", "--no-shell", "--listen", "127.0.0.1:0", "--control-socket", socket.toString(),
                "--iqn", "iqn.2026-11.io.jzram:serve-test"));
        command.addAll(List.of(extra));
        process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket) || !stderr().contains("jzram " + Version.number() + ": target") && !List.of(extra).contains("--quiet")) {
            if (!process.isAlive()) {
                throw new AssertionError("serve exited with " + process.exitValue() + ": " + stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("serve did not start: " + stderr());
            }
            sleep(50);
        }
        return process;
    }

    String stderr() {
        try {
            return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    Harness.Result client(Path socket, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.client(Map.of("JZRAM_CONTROL_SOCKET", socket.toString()), InputStream.nullInputStream(), false, false);
        int status = Main.run(context, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Harness.Result(status, out.toString(), err.toString());
    }

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void devices_given_at_start_are_there_and_sigterm_stops_it_with_status_0() throws Exception {
        Path socket = dir.resolve("run/jzram/control.sock");
        serve(socket, "--device", "64M", "--device", "32M:zstd");
        assertThat(client(socket, "zramctl", "-o", "NAME,ALGORITHM,DISKSIZE", "--raw", "-n"))
                .isEqualTo(new Harness.Result(0, "/dev/zram0 lz4 64M\n/dev/zram1 zstd 32M\n", ""));
        assertThat(client(socket, "zramctl", "-f", "-s", "1M")).isEqualTo(new Harness.Result(0, "/dev/zram2\n", ""));
        assertThat(stderr()).contains("INFO", "listening on /127.0.0.1:");

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(socket).doesNotExist();
        assertThat(stderr()).contains("stopped");
        assertThat(client(socket, "zramctl")).isEqualTo(new Harness.Result(3, "",
                "jzram: cannot connect to " + socket + ": no server running (start one with 'jzram serve')\n"));
    }

    @Test
    void sigint_stops_a_headless_server_cleanly_too() throws Exception {
        Path socket = dir.resolve("c.sock");
        serve(socket, "--quiet");
        assertThat(client(socket, "hot-add")).isEqualTo(new Harness.Result(0, "zram0\n", ""));
        sleep(300); // the portal is bound just after the control socket
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(socket).doesNotExist();
        assertThat(stderr()).doesNotContain("INFO");
    }
}
