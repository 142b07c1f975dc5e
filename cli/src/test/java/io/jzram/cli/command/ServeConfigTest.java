package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.Harness;
import io.jzram.cli.Main;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jzram serve --config FILE} as a process in a directory of its own, a client elsewhere,
 * and a real initiator (libiscsi's iscsi-ls and iscsi-readcapacity16) checking the LUNs.
 */
@DisplayName("serve --config FILE end to end: devices from the file as LUNs, apply from a client elsewhere, precedence")
@Timeout(90)
class ServeConfigTest {
    static final String INITIATOR = "iqn.2026-11.io.jzram.test:config";
    static final long M = 1 << 20;

    @TempDir
    Path dir;

    Process process;

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** Starts serve in {@code cwd} and returns the iSCSI port, once the server is up. */
    int serve(Path cwd, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--no-shell"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        pb.environment().remove("JZRAM_CONTROL_SOCKET");
        pb.environment().remove("XDG_RUNTIME_DIR");
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Pattern started = Pattern.compile("target \\S+ on /127\\.0\\.0\\.1:(\\d+)");
        while (true) {
            Matcher m = started.matcher(stderr());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError("serve exited with " + process.exitValue() + ": " + stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("serve did not start: " + stderr());
            }
            ServeCommandTest.sleep(50);
        }
    }

    String stderr() {
        try {
            return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** A client with no socket in its environment: it finds the server through the file or --control-socket. */
    static Harness.Result client(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.client(Map.of(), InputStream.nullInputStream(), false, false);
        int status = Main.run(context, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Harness.Result(status, out.toString(), err.toString());
    }

    /** libiscsi's tool, or the test is skipped (locally) or failed (CI=true) with the reason. */
    static String tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String why = name + " is not installed (apt-get install libiscsi-bin)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        Assumptions.abort(why + ": skipping the end-to-end iSCSI check");
        return null;
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    /** The LUNs iscsi-ls lists, and each one's capacity as READ CAPACITY(16) reports it. */
    static Map<Integer, Long> luns(int port, String iqn) throws Exception {
        String ls = run(List.of(tool("iscsi-ls"), "-i", INITIATOR, "-s", "iscsi://127.0.0.1:" + port + "/"));
        assertThat(ls).contains("Target:" + iqn);
        Map<Integer, Long> luns = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("Lun:(\\d+)\\s+Type:DIRECT_ACCESS").matcher(ls);
        while (m.find()) {
            int lun = Integer.parseInt(m.group(1));
            String rc = run(List.of(tool("iscsi-readcapacity16"), "-i", INITIATOR, "iscsi://127.0.0.1:" + port + "/" + iqn + "/" + lun));
            Matcher size = Pattern.compile("Total size:(\\d+)").matcher(rc);
            assertThat(size.find()).as(rc).isTrue();
            luns.put(lun, Long.parseLong(size.group(1)));
        }
        return luns;
    }

    @Test
    void devices_of_the_file_are_the_luns_and_a_client_elsewhere_applies_a_change() throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path socket = dir.resolve("run/control.sock");
        Files.writeString(serverDir.resolve("jzram.toml"), """
                [server]
                listen = "127.0.0.1:0"
                iqn = "iqn.2026-11.io.jzram:e2e"
                control_socket = "%s"

                [[device]]
                size = "64M"

                [[device]]
                id = 2
                size = "32M"
                algorithm = "zstd"
                mem_limit = "8M"
                """.formatted(socket));
        int port = serve(serverDir, "--config", "jzram.toml"); // relative to the server's directory
        assertThat(luns(port, "iqn.2026-11.io.jzram:e2e")).isEqualTo(Map.of(0, 64 * M, 2, 32 * M));

        // The client's file, by a path relative to the client's directory (which is not the server's):
        // the client reads it and sends the content; the file's control_socket says where the server is.
        Path clientFile = Files.createDirectories(dir.resolve("client")).resolve("change.toml");
        Files.writeString(clientFile, Files.readString(serverDir.resolve("jzram.toml")).replace("[[device]]\nid = 2", """
                [[device]]
                id = 1
                size = "16M"

                [[device]]
                id = 2"""));
        String relative = Path.of("").toAbsolutePath().relativize(clientFile).toString();
        assertThat(relative).doesNotStartWith("/");
        Harness.Result dry = client("apply", "--dry-run", relative);
        assertThat(dry).isEqualTo(new Harness.Result(0, relative + """
                : 1 change
                  create zram1: size 16M, algorithm lz4
                unchanged: zram0, zram2
                dry run: nothing applied
                """, ""));
        assertThat(luns(port, "iqn.2026-11.io.jzram:e2e")).containsOnlyKeys(0, 2);
        assertThat(client("apply", relative).status()).isZero();
        assertThat(luns(port, "iqn.2026-11.io.jzram:e2e")).isEqualTo(Map.of(0, 64 * M, 1, 16 * M, 2, 32 * M));

        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(socket).doesNotExist();
    }

    @Test
    void an_unexported_device_of_the_file_is_no_lun_until_apply_exports_it() throws Exception {
        Path socket = dir.resolve("run/control.sock");
        Path file = dir.resolve("jzram.toml");
        String text = """
                [server]
                listen = "127.0.0.1:0"
                iqn = "iqn.2026-11.io.jzram:staging"
                control_socket = "%s"

                [[device]]
                size = "64M"

                [[device]]
                size = "32M"
                exported = false
                """.formatted(socket);
        Files.writeString(file, text);
        int port = serve(dir, "--config", file.toString());
        assertThat(client("zramctl", "--control-socket", socket.toString(), "--raw", "-o", "NAME,DISKSIZE,LUN"))
                .isEqualTo(new Harness.Result(0, "NAME DISKSIZE LUN\n/dev/zram0 64M 0\n/dev/zram1 32M \n", ""));
        assertThat(client("save-config", "--control-socket", socket.toString()).out())
                .contains("[[device]]\nid = 1\nsize = \"32M\"\nalgorithm = \"lz4\"\nexported = false\n");
        // A real initiator: REPORT LUNS (iscsi-ls) leaves zram1 out.
        assertThat(luns(port, "iqn.2026-11.io.jzram:staging")).isEqualTo(Map.of(0, 64 * M));

        Files.writeString(file, text.replace("exported = false", "exported = true"));
        assertThat(client("apply", file.toString())).isEqualTo(new Harness.Result(0, file + """
                : 1 change
                  change zram1: exported no -> yes (live)
                unchanged: zram0
                applied 1 change
                """, ""));
        assertThat(luns(port, "iqn.2026-11.io.jzram:staging")).isEqualTo(Map.of(0, 64 * M, 1, 32 * M));
        assertThat(client("zramctl", "--control-socket", socket.toString(), "--raw", "-n", "-o", "NAME,LUN", "zram1").out())
                .isEqualTo("/dev/zram1 1\n");

        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void options_win_over_the_file_and_the_file_over_the_defaults() throws Exception {
        Path socket = dir.resolve("c.sock");
        Path file = dir.resolve("site.toml");
        Files.writeString(file, """
                [server]
                listen = "192.0.2.1:3260"
                iqn = "iqn.2026-11.io.jzram:from-the-file"
                control_socket = "%s"
                log_level = "warn"
                """.formatted(socket));
        // --listen wins (the file's address is not this machine's); iqn, socket and log level come from the file.
        process = null;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--no-shell", "--config", file.toString(), "--listen", "127.0.0.1:0", "--device", "1M"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        pb.environment().remove("JZRAM_CONTROL_SOCKET");
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            assertThat(process.isAlive()).as(stderr()).isTrue();
            assertThat(System.nanoTime()).as("serve did not start: " + stderr()).isLessThan(deadline);
            ServeCommandTest.sleep(50);
        }
        ServeCommandTest.sleep(300);
        String saved = client("--control-socket", socket.toString(), "save-config").out();
        assertThat(saved).contains("listen = \"127.0.0.1:0\"\n", "iqn = \"iqn.2026-11.io.jzram:from-the-file\"\n",
                "control_socket = \"" + socket + "\"\n", "log_level = \"warn\"\n", "[[device]]\nid = 0\nsize = \"1M\"\n");
        assertThat(stderr()).doesNotContain("INFO");
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void an_invalid_file_starts_nothing_and_says_every_error() throws Exception {
        Path socket = dir.resolve("c.sock");
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, """
                [server]
                control_socket = "%s"
                lisen = "127.0.0.1:0"
                [[device]]
                size = "4Q"
                exported = "no"
                """.formatted(socket));
        assertThat(client("serve", "--no-shell", "--config", file.toString())).isEqualTo(new Harness.Result(1, "", file + """
                :3:1: unknown key 'lisen' in [server] (did you mean 'listen'?)
                """ + file + """
                :5:8: size "4Q": unknown unit (use K, M, G, T, or KiB…)
                """ + file + """
                :6:12: exported: expected true or false, not a string
                jzram: serve:\s""" + file + ": 3 errors, not started\n"));
        assertThat(socket).doesNotExist();
        Files.writeString(file, "[[device]]\nsize = \"1M\"\n");
        assertThat(client("serve", "--no-shell", "--config", file.toString(), "--device", "1M")).isEqualTo(new Harness.Result(1, "",
                "jzram: serve: --device cannot be combined with a configuration file that lists devices (" + file
                        + " lists 1); add the device to the file\n"));
    }

    @Test
    void a_listener_beyond_loopback_without_access_control_starts_nothing_unless_any_initiator_is_allowed() throws Exception {
        Path socket = dir.resolve("c.sock");
        // Nothing binds here: the refusal comes before anything starts (tests listen on loopback only).
        assertThat(client("serve", "--no-shell", "--listen", "0.0.0.0:0", "--control-socket", socket.toString()))
                .isEqualTo(new Harness.Result(1, "", "jzram: serve: refusing to listen on 0.0.0.0:0 with no access control: any"
                        + " initiator that reaches it could read and write every device. Name the initiators that may log in"
                        + " ([[initiator]] in a --config file, see config/README.md), listen on 127.0.0.1, or pass --allow-any-initiator\n"));
        assertThat(socket).doesNotExist();
        Path file = dir.resolve("open.toml");
        Files.writeString(file, "[server]\nlisten = \"192.0.2.1:3260\"\n[[device]]\nsize = \"1M\"\n");
        assertThat(client("serve", "--no-shell", "--config", file.toString(), "--control-socket", socket.toString()).err())
                .startsWith("jzram: serve: refusing to listen on 192.0.2.1:3260 with no access control");
        assertThat(socket).doesNotExist();
    }

    /** Runs a libiscsi tool with CHAP credentials in its environment (never on its command line); its exit status and output. */
    static Harness.Result runWith(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Harness.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "");
    }

    static List<Integer> lunsSeen(String iscsiLsOutput) {
        List<Integer> luns = new ArrayList<>();
        Matcher m = Pattern.compile("Lun:(\\d+)\\s+Type:DIRECT_ACCESS").matcher(iscsiLsOutput);
        while (m.find()) {
            luns.add(Integer.parseInt(m.group(1)));
        }
        return luns;
    }

    @Test
    void the_files_access_list_admits_with_chap_masks_luns_changes_live_and_saves_back_0600() throws Exception {
        String other = "iqn.2026-11.io.jzram.test:other";
        String secret = "web-secret-value-1";
        Path socket = dir.resolve("run/control.sock");
        Path file = dir.resolve("jzram.toml");
        String head = """
                [server]
                listen = "127.0.0.1:0"
                control_socket = "%s"
                iqn = "iqn.2026-11.io.jzram:acl"
                [[device]]
                size = "1M"
                [[device]]
                size = "2M"
                [[initiator]]
                name = "%s"
                chap_user = "web"
                chap_secret = "%s"
                devices = ["zram1"]
                """.formatted(socket, INITIATOR, secret);
        Files.writeString(file, head);
        int port = serve(dir, "--config", file.toString());
        String ls = tool("iscsi-ls");
        String portal = "iscsi://127.0.0.1:" + port + "/";
        Map<String, String> chap = Map.of("LIBISCSI_CHAP_USERNAME", "web", "LIBISCSI_CHAP_PASSWORD", secret);

        Harness.Result in = runWith(chap, List.of(ls, "-i", INITIATOR, "-s", portal));
        assertThat(in.status()).as(in.out()).isZero();
        assertThat(lunsSeen(in.out())).as("zram0 is masked from it").containsExactly(1);
        assertThat(runWith(Map.of(), List.of(ls, "-i", INITIATOR, "-s", portal)).status()).as("without CHAP").isNotZero();
        assertThat(runWith(Map.of("LIBISCSI_CHAP_USERNAME", "web", "LIBISCSI_CHAP_PASSWORD", "wrong-secret-value"),
                List.of(ls, "-i", INITIATOR, "-s", portal)).status()).as("a wrong secret").isNotZero();
        assertThat(runWith(Map.of(), List.of(ls, "-i", other, "-s", portal)).status()).as("not on the list").isNotZero();

        Files.writeString(file, head + """
                [[initiator]]
                name = "%s"
                """.formatted(other));
        assertThat(client("--control-socket", socket.toString(), "apply", file.toString()).out())
                .contains("access: add initiator " + other + " (no CHAP, every exported device)").doesNotContain(secret);
        Harness.Result otherIn = runWith(Map.of(), List.of(ls, "-i", other, "-s", portal));
        assertThat(otherIn.status()).as(otherIn.out()).isZero();
        assertThat(lunsSeen(otherIn.out())).containsExactly(0, 1);

        Path saved = dir.resolve("saved.toml");
        assertThat(client("--control-socket", socket.toString(), "save-config", saved.toString()).status()).isZero();
        assertThat(Files.readString(saved)).contains("chap_secret = \"" + secret + "\"", "name = \"" + other + "\"");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
        Harness.Result shown = client("--control-socket", socket.toString(), "save-config");
        assertThat(shown.out()).contains("[[initiator]]", "chap_user = \"web\"").doesNotContain(secret);
        assertThat(client("--control-socket", socket.toString(), "save-config", "--with-secrets").out())
                .as("the hidden flag without FILE: the client drops it").contains("[[initiator]]").doesNotContain(secret);
        assertThat(client("--control-socket", socket.toString(), "sessions").out()).doesNotContain(secret);
        assertThat(stderr()).contains("rejected 02/01", "rejected 02/02").doesNotContain(secret).doesNotContain("wrong-secret-value");
    }
}
