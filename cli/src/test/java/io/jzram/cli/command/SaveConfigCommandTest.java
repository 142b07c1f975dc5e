package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.Harness;
import io.jzram.cli.Main;
import io.jzram.cli.server.JzramServer;
import io.jzram.target.iscsi.IscsiServerSettings;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("jzram save-config [FILE]: the live configuration; save → apply on a fresh server → save is the same file")
@Timeout(60)
class SaveConfigCommandTest {
    @TempDir
    Path dir;

    final CliContext client = CliContext.client(Map.of(), InputStream.nullInputStream(), false, false);

    JzramServer server(Path socket) {
        IscsiServerSettings iscsi = IscsiServerSettings.defaults()
                .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withTargetName("iqn.2026-11.io.jzram:save");
        return new JzramServer(new JzramServer.Settings(iscsi, socket, List.of(), Duration.ofSeconds(5)), client);
    }

    Harness.Result run(Path socket, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "--control-socket=" + socket;
        System.arraycopy(args, 0, all, 1, args.length);
        int status = Main.run(client, all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Harness.Result(status, out.toString(), err.toString());
    }

    String ok(Path socket, String... args) {
        Harness.Result r = run(socket, args);
        assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r.out();
    }

    @Test
    void round_trip_save_apply_on_a_fresh_server_save() throws Exception {
        Path socket = dir.resolve("control.sock");
        String saved;
        try (JzramServer a = server(socket)) {
            a.start();
            ok(socket, "zramctl", "-f", "-s", "64M");
            ok(socket, "zramctl", "-f", "-s", "10000000", "-a", "zstd", "-t", "1");
            ok(socket, "hot-add");
            ok(socket, "hot-add");
            ok(socket, "zramctl", "zram3", "-s", "1G", "-a", "deflate");
            ok(socket, "hot-remove", "zram2");
            ok(socket, "mem-limit", "zram1", "3M");
            saved = ok(socket, "save-config");
        }
        assertThat(saved).isEqualTo("""
                # jzram configuration, written by 'jzram save-config'.
                # Start a server with it: jzram serve --config FILE; change one to it: jzram apply FILE.

                [server]
                listen = "127.0.0.1:0"
                iqn = "iqn.2026-11.io.jzram:save"
                control_socket = "%s"
                log_level = "info"

                [[device]]
                id = 0
                size = "64M"
                algorithm = "lz4"

                [[device]]
                id = 1
                size = "9768K"
                algorithm = "zstd"
                mem_limit = "3M"
                streams = 1

                [[device]]
                id = 3
                size = "1G"
                algorithm = "deflate"
                """.formatted(socket));
        Path file = dir.resolve("saved.toml");
        Files.writeString(file, saved);
        try (JzramServer b = server(socket)) {
            b.start();
            assertThat(ok(socket, "apply", file.toString())).endsWith("applied 3 changes\n");
            assertThat(ok(socket, "save-config")).isEqualTo(saved);
            Path again = dir.resolve("again.toml");
            assertThat(run(socket, "save-config", again.toString())).isEqualTo(new Harness.Result(0, "", ""));
            assertThat(again).hasContent(saved);
            assertThat(ok(socket, "apply", "--prune", again.toString())).isEqualTo(again + ": no changes\nunchanged: zram0, zram1, zram3\n");
        }
    }

    @Test
    void save_config_file_replaces_the_file_whole_and_says_when_it_cannot() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (JzramServer a = server(socket)) {
            a.start();
            ok(socket, "zramctl", "-f", "-s", "1M");
            Path file = dir.resolve("jzram.toml");
            Files.writeString(file, "old");
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
            assertThat(run(socket, "save-config", file.toString()).status()).isZero();
            assertThat(Files.readString(file)).contains("[[device]]\nid = 0\nsize = \"1M\"\n");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as("mode 0600 whatever the old file had: a saved configuration holds the CHAP secrets").isEqualTo("rw-------");
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
            }
            Path nowhere = dir.resolve("missing/jzram.toml");
            assertThat(run(socket, "save-config", nowhere.toString()))
                    .isEqualTo(new Harness.Result(1, "", "jzram: cannot write " + nowhere + ": No such file or directory\n"));
        }
    }
}
