package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Discovery and login from a real, independent initiator (libiscsi's command line tools). */
@Timeout(60)
class LibiscsiToolsTest {
    private static final String INITIATOR = "iqn.2026-11.io.jzram.test:libiscsi";

    private static String portal(ServerFixture f) {
        return "iscsi://127.0.0.1:" + f.address().getPort();
    }

    @Test
    void iscsiLsDiscoversAndLogsIn() throws Exception {
        String tool = ExternalTools.require("iscsi-ls", "libiscsi-bin").toString();
        try (ServerFixture f = new ServerFixture()) {
            ExternalTools.Result r = ExternalTools.run(Duration.ofSeconds(20),
                    List.of(tool, "-i", INITIATOR, "-s", portal(f) + "/"));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("Target:" + ServerFixture.IQN)
                    .contains("Portal:127.0.0.1:" + f.address().getPort() + ",1")
                    .contains("Lun:0").contains("DIRECT_ACCESS");
            assertThat(f.disk.attached).isNotEmpty();
            LoginTest.waitFor(() -> f.server.sessions().isEmpty());
        }
    }

    @Test
    void iscsiInqAndReadCapacity16() throws Exception {
        String inq = ExternalTools.require("iscsi-inq", "libiscsi-bin").toString();
        String rc16 = ExternalTools.require("iscsi-readcapacity16", "libiscsi-bin").toString();
        try (ServerFixture f = new ServerFixture()) {
            String url = portal(f) + "/" + ServerFixture.IQN + "/0";
            ExternalTools.Result r = ExternalTools.run(Duration.ofSeconds(20), List.of(inq, "-i", INITIATOR, url));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("JZRAM").contains("RAMDISK TEST");
            ExternalTools.Result c = ExternalTools.run(Duration.ofSeconds(20), List.of(rc16, "-i", INITIATOR, url));
            assertThat(c.exit()).as(c.output()).isZero();
            assertThat(c.output()).contains("LOGICAL BLOCK LENGTH IN BYTES:512")
                    .contains("Total size:" + (64L * 1024 * 1024));
        }
    }

    @Test
    void iscsiLsWithDigestsAgainstAWildcardBind() throws Exception {
        String tool = ExternalTools.require("iscsi-ls", "libiscsi-bin").toString();
        try (ServerFixture f = new ServerFixture(
                s -> s.withListen(new java.net.InetSocketAddress("0.0.0.0", 0)))) {
            ExternalTools.Result r = ExternalTools.run(Duration.ofSeconds(20),
                    List.of(tool, "-i", INITIATOR, "-s", portal(f) + "/?header_digest=crc32c"));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("Portal:127.0.0.1:" + f.address().getPort() + ",1")
                    .doesNotContain("0.0.0.0").contains("Lun:0");
        }
    }
}
