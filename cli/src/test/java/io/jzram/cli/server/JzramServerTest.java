package io.jzram.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import io.jzram.cli.Harness;
import io.jzram.cli.Main;
import io.jzram.cli.command.DeviceSpec;
import io.jzram.cli.control.ControlServer;
import io.jzram.core.DeviceSetup;
import io.jzram.core.TierSetup;
import io.jzram.core.TieringPolicy;
import io.jzram.core.ZramDevice;
import io.jzram.target.iscsi.IscsiServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("a running jzram: devices, target and control socket, stopped cleanly")
@Timeout(60)
class JzramServerTest {
    @TempDir
    Path dir;

    final CliContext client = CliContext.client(Map.of(), InputStream.nullInputStream(), false, false);

    JzramServer server(Path socket, List<DeviceSpec> devices) {
        IscsiServerSettings iscsi = IscsiServerSettings.defaults()
                .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withTargetName("iqn.2026-11.io.jzram:test");
        return new JzramServer(new JzramServer.Settings(iscsi, socket, devices, Duration.ofSeconds(5)), client);
    }

    Harness.Result run(Path socket, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--control-socket=" + socket;
        int status = Main.run(client, all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Harness.Result(status, out.toString(), err.toString());
    }

    @Test
    void creates_the_devices_exports_them_and_answers_on_the_control_socket() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (JzramServer server = server(socket, List.of(DeviceSpec.parse("64M"), DeviceSpec.parse("32M:zstd")))) {
            server.start();
            InetSocketAddress portal = server.boundAddress();
            assertThat(portal.getAddress().isLoopbackAddress()).isTrue();
            try (Socket initiator = new Socket(portal.getAddress(), portal.getPort())) {
                assertThat(initiator.isConnected()).isTrue();
            }
            assertThat(run(socket, "zramctl", "-o", "NAME,ALGORITHM,DISKSIZE,LUN")).isEqualTo(new Harness.Result(0, """
                    NAME       ALGORITHM DISKSIZE LUN
                    /dev/zram0 lz4            64M   0
                    /dev/zram1 zstd           32M   1
                    """, ""));
            assertThat(run(socket, "sessions").status()).isZero();
        }
    }

    @Test
    void stopping_removes_the_socket_closes_the_portal_and_frees_the_devices() throws Exception {
        Path socket = dir.resolve("control.sock");
        JzramServer server = server(socket, List.of(DeviceSpec.parse("16M")));
        server.start();
        ZramDevice zram0 = server.registry().find(0).orElseThrow();
        InetSocketAddress portal = server.boundAddress();
        server.stop();
        server.stop(); // idempotent
        assertThat(socket).doesNotExist();
        assertThat(zram0.isInitialized()).isFalse();
        assertThat(server.registry().devices()).isEmpty();
        assertThatThrownBy(() -> new Socket(portal.getAddress(), portal.getPort()).close()).isInstanceOf(IOException.class);
        assertThat(run(socket, "zramctl").status()).isEqualTo(ExitCodes.NO_SERVER);
    }

    @Test
    void a_second_server_on_the_same_control_socket_does_not_start() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (JzramServer first = server(socket, List.of())) {
            first.start();
            JzramServer second = server(socket, List.of(DeviceSpec.parse("1M")));
            assertThatThrownBy(second::start).isInstanceOf(ControlServer.AlreadyRunningException.class);
            assertThat(second.registry().devices()).isEmpty(); // what it had made is freed again
            Harness.Result r = run(socket, "serve", "--no-shell", "--listen", "127.0.0.1:0");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("jzram: serve: a jzram server (").endsWith(") is already running at " + socket + "\n");
            assertThat(run(socket, "hot-add").out()).isEqualTo("zram0\n");
        }
    }

    @Test
    void a_portal_in_use_is_a_clear_error_and_nothing_is_left_behind() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Harness.Result r = run(socket, "serve", "--no-shell", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--device", "1M");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("jzram: serve: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
        }
        assertThat(socket).doesNotExist();
    }

    static boolean tieringThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("jzram-tiering") && t.isAlive());
    }

    @Test
    void the_tiering_worker_moves_pages_by_a_devices_policy_while_the_server_runs() throws Exception {
        Path socket = dir.resolve("control.sock");
        Path backing = dir.resolve("backing");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        JzramServer server = server(socket, List.of());
        assertThat(server.isTiering()).isFalse();
        server.start();
        try {
            assertThat(server.isTiering()).isTrue();
            assertThat(tieringThreadAlive()).isTrue();
            assertThat(run(socket, "hot-add").out()).isEqualTo("zram0\n");
            ZramDevice zram0 = server.registry().find(0).orElseThrow();
            // Through the registry: core's sysfs disksize sets a device up without the tier settings
            // written before it (backing_dev), where the kernel keeps them.
            server.registry().setUp(zram0, DeviceSetup.of(1 << 20, "lz4")
                    .withTiers(new TierSetup(List.of(), List.of(), backing, -1, TieringPolicy.NONE)), false);
            for (int i = 0; i < 4; i++) {
                byte[] page = new byte[4096];
                Arrays.fill(page, (byte) 'x');
                byte[] tag = ("page " + i).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(tag, 0, page, 100, tag.length);
                zram0.write(ByteBuffer.wrap(page), i * 4096L);
            }
            assertThat(zram0.tierStat().writtenBackPages()).isZero();
            assertThat(run(socket, "sysfs", "zram0", "writeback_idle_after", "0").status()).isZero();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (zram0.tierStat().writtenBackPages() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(zram0.tierStat().writtenBackPages()).isEqualTo(4);
            assertThat(zram0.bdStat().writes()).isEqualTo(4);
        } finally {
            server.stop();
        }
        assertThat(server.isTiering()).isFalse();
        assertThat(tieringThreadAlive()).isFalse();
    }
}
