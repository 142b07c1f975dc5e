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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("jzram acl: the access list live, checked by the file's rules, secrets from files only, never shown")
@Timeout(60)
class AclCommandTest {
    static final String WEB = "iqn.1993-08.org.debian:01:web";
    static final String DB = "iqn.1993-08.org.debian:01:db";
    static final String SECRET = "acl-web-secret-1";

    @TempDir
    Path dir;

    final CliContext client = CliContext.client(Map.of(), InputStream.nullInputStream(), false, false);
    JzramServer server;
    Path socket;
    Path secret;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("control.sock");
        IscsiServerSettings iscsi = IscsiServerSettings.defaults()
                .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withTargetName("iqn.2026-11.io.jzram:acl");
        server = new JzramServer(new JzramServer.Settings(iscsi, socket, List.of(), Duration.ofSeconds(5)), client);
        server.start();
        secret = dir.resolve("web.secret");
        Files.writeString(secret, SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    Harness.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "--control-socket=" + socket;
        System.arraycopy(args, 0, all, 1, args.length);
        int status = Main.run(client, all, new PrintWriter(out, true), new PrintWriter(err, true));
        Harness.Result r = new Harness.Result(status, out.toString(), err.toString());
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
        return r;
    }

    @Test
    void entries_are_added_given_chap_and_devices_listed_and_removed_live() {
        assertThat(run("acl", "list").out()).contains("no entries: any initiator may log in", "discovery: open");
        assertThat(run("acl", "add", WEB, "--devices", "zram0,zram2")).isEqualTo(new Harness.Result(0, "", ""));
        assertThat(run("acl", "add", DB).status()).isZero();
        assertThat(run("acl", "set-chap", WEB, "--user", "web", "--secret-file", secret.toString()).status()).isZero();
        assertThat(run("acl", "list").out()).isEqualTo("""
                INITIATOR                     AUTH     DEVICES
                iqn.1993-08.org.debian:01:db  none     all
                iqn.1993-08.org.debian:01:web CHAP web zram0,zram2
                2 entries: only these initiators may log in
                discovery: open
                """);
        assertThat(server.engine().luns().visibility().visible(WEB, 1)).as("masked live").isFalse();
        assertThat(run("save-config").out()).contains("chap_secret_file = \"" + secret + "\"");

        assertThat(run("acl", "set-devices", WEB, "--all").status()).isZero();
        assertThat(server.engine().luns().visibility().visible(WEB, 1)).isTrue();
        assertThat(run("acl", "clear-chap", WEB).status()).isZero();
        assertThat(run("acl", "remove", DB).status()).isZero();
        assertThat(run("acl", "list").out()).contains(WEB + " none", "1 entry: only these initiators may log in").doesNotContain(DB);
    }

    @Test
    void bad_requests_say_why_with_the_files_rules_and_change_nothing() throws Exception {
        assertThat(run("acl", "add", "web1")).isEqualTo(new Harness.Result(1, "",
                "jzram: acl add: name \"web1\": not an iSCSI name (iqn.YYYY-MM.reversed.domain:name, eui.… or naa.…)\n"));
        run("acl", "add", WEB);
        assertThat(run("acl", "set-chap", WEB, "--user", "web", "--secret-file", "relative.secret").err())
                .contains("chap_secret_file \"relative.secret\": must be an absolute path");
        Path open = dir.resolve("open.secret");
        Files.writeString(open, SECRET);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("acl", "set-chap", WEB, "--user", "web", "--secret-file", open.toString()).err())
                .contains("other users may read or change it");
        assertThat(run("acl", "set-chap", WEB, "--user", "web").err()).isEqualTo("jzram: acl set-chap: CHAP needs --user and --secret-file\n");
        assertThat(run("acl", "remove", DB).err()).isEqualTo("jzram: acl remove: " + DB + ": not on the access list\n");
        assertThat(run("acl", "frobnicate").status()).isEqualTo(1);
        assertThat(run("acl", "--chap-secret", SECRET).status()).as("no option takes a secret").isNotZero();
        assertThat(run("acl", "list").out()).contains(WEB + " none");
    }

    @Test
    void discovery_chap_from_a_file_and_open_again() {
        assertThat(run("acl", "discovery", "--user", "disc", "--secret-file", secret.toString()).status()).isZero();
        assertThat(run("acl", "list").out()).contains("discovery: CHAP disc");
        assertThat(run("acl", "discovery", "--open").status()).isZero();
        assertThat(run("acl", "list").out()).contains("discovery: open");
    }
}
