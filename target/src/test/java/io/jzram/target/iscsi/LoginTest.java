package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jzram.target.iscsi.testinit.TestInitiator;
import io.jzram.target.iscsi.testinit.TestInitiator.Pdu;

@Timeout(30)
class LoginTest {

    @Test
    void discoveryAnswersSendTargetsWithTheBoundAddress() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
            o.discovery = true;
            Map<String, String> n = ini.login(o);
            assertThat(n).doesNotContainKey("TargetPortalGroupTag");
            List<String> items = ini.sendTargets("All");
            assertThat(items).containsExactly("TargetName=" + ServerFixture.IQN,
                    "TargetAddress=127.0.0.1:" + f.address().getPort() + ",1");
            assertThat(f.server.sessions()).singleElement().satisfies(s -> {
                assertThat(s.discovery()).isTrue();
                assertThat(s.initiatorName()).isEqualTo(o.initiatorName);
            });
            Pdu r = ini.logout(0);
            assertThat(r.byteAt(2)).isZero();
            assertThat(ini.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void wildcardBindAdvertisesTheConnectionsLocalAddressAndOverrideWins() throws Exception {
        try (ServerFixture f = new ServerFixture(s -> s.withListen(new InetSocketAddress("0.0.0.0", 0)))) {
            int port = f.address().getPort();
            try (TestInitiator ini = TestInitiator.connect(new InetSocketAddress("127.0.0.1", port))) {
                TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
                o.discovery = true;
                ini.login(o);
                List<String> items = ini.sendTargets("All");
                assertThat(items).contains("TargetAddress=127.0.0.1:" + port + ",1");
                assertThat(String.join(" ", items)).doesNotContain("0.0.0.0").doesNotContain("[::]");
            }
        }
        // [::] (dual stack): an IPv4 client is told its IPv4 address, an IPv6 client the bracketed IPv6 one
        ServerFixture v6 = null;
        try {
            InetAddress any6 = InetAddress.getByName("::");
            v6 = new ServerFixture(s -> s.withListen(new InetSocketAddress(any6, 0)));
        } catch (java.io.IOException e) {
            // no IPv6 on this machine: nothing to check
        }
        if (v6 != null) {
            try (ServerFixture f = v6) {
                int port = f.address().getPort();
                try (TestInitiator ini = TestInitiator.connect(new InetSocketAddress("127.0.0.1", port))) {
                    TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
                    o.discovery = true;
                    ini.login(o);
                    assertThat(ini.sendTargets("All")).contains("TargetAddress=127.0.0.1:" + port + ",1");
                }
                try (TestInitiator ini = TestInitiator.connect(new InetSocketAddress(InetAddress.getByName("::1"), port))) {
                    TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
                    o.discovery = true;
                    ini.login(o);
                    assertThat(ini.sendTargets("All")).contains("TargetAddress=[::1]:" + port + ",1");
                } catch (java.net.ConnectException | java.net.NoRouteToHostException e) {
                    // IPv4-only loopback
                }
            }
        }
        List<InetSocketAddress> advertised = List.of(
                new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 13260),
                new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 3260));
        try (ServerFixture f = new ServerFixture(s -> s.withAdvertisedPortals(advertised));
                TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
            o.discovery = true;
            ini.login(o);
            assertThat(ini.sendTargets("All")).containsExactly("TargetName=" + ServerFixture.IQN,
                    "TargetAddress=192.0.2.10:13260,1", "TargetAddress=[2001:db8::1]:3260,1");
        }
    }

    @Test
    void normalLoginNegotiatesAndLogoutCloses() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            Map<String, String> n = ini.login(f.normal());
            assertThat(ini.tsih).isNotZero();
            assertThat(n).containsEntry("TargetPortalGroupTag", "1")
                    .containsEntry("AuthMethod", "None")
                    .containsEntry("HeaderDigest", "None")
                    .containsEntry("DataDigest", "None")
                    .containsEntry("InitialR2T", "No")
                    .containsEntry("ImmediateData", "Yes")
                    .containsEntry("MaxBurstLength", "1048576")
                    .containsEntry("FirstBurstLength", "262144")
                    .containsEntry("MaxOutstandingR2T", "4")
                    .containsEntry("MaxConnections", "1")
                    .containsEntry("ErrorRecoveryLevel", "0")
                    .containsEntry("DataPDUInOrder", "Yes")
                    .containsEntry("DataSequenceInOrder", "Yes")
                    .containsEntry("DefaultTime2Wait", "2")
                    .containsEntry("DefaultTime2Retain", "0");
            assertThat(Integer.parseInt(n.get("MaxRecvDataSegmentLength"))).isGreaterThanOrEqualTo(256 * 1024);
            // the command window is well above 1
            assertThat(ini.maxCmdSn - ini.cmdSn + 1).isEqualTo(128);
            assertThat(f.disk.attached).singleElement().satisfies(nx -> {
                assertThat(nx.initiatorName()).isEqualTo("iqn.2026-11.io.jzram.test:initiator");
                assertThat(nx.isid()).isEqualTo("801234560001");
            });
            assertThat(f.server.sessions()).singleElement().satisfies(s -> {
                assertThat(s.tsih()).isEqualTo(ini.tsih);
                assertThat(s.isid()).isEqualTo("801234560001");
                assertThat(s.discovery()).isFalse();
                assertThat(s.bytesIn()).isPositive();
            });
            Pdu r = ini.logout(0);
            assertThat(r.byteAt(2)).isZero();
            assertThat(r.uint16(40)).isEqualTo(2);
            assertThat(r.uint16(42)).isEqualTo(0);
            assertThat(ini.awaitClose(Duration.ofSeconds(5))).isTrue();
            waitFor(() -> f.disk.closed.get() == 1 && f.server.sessions().isEmpty());
        }
    }

    @Test
    void digestPreferenceFollowsTheInitiatorsOrder() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            try (TestInitiator ini = f.connect()) {
                TestInitiator.LoginOptions o = f.normal();
                o.headerDigest = "CRC32C,None";
                o.dataDigest = "None,CRC32C";
                Map<String, String> n = ini.login(o);
                assertThat(n).containsEntry("HeaderDigest", "CRC32C").containsEntry("DataDigest", "None");
                assertThat(ini.nopOut(new byte[] {1, 2, 3}, false).data()).containsExactly(1, 2, 3);
            }
            try (TestInitiator ini = f.connect()) {
                TestInitiator.LoginOptions o = f.normal();
                o.headerDigest = "CRC32C";
                o.dataDigest = "CRC32C";
                assertThat(ini.login(o)).containsEntry("HeaderDigest", "CRC32C").containsEntry("DataDigest", "CRC32C");
                assertThat(ini.nopOut(new byte[] {9, 8, 7, 6, 5}, false).data()).containsExactly(9, 8, 7, 6, 5);
            }
        }
    }

    @Test
    void unknownAndIrrelevantKeysAreAnswered() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            o.extraKeys.put("X-com.example.Frob", "1");
            o.extraKeys.put("IFMarker", "No");
            Map<String, String> n = ini.login(o);
            assertThat(n).containsEntry("X-com.example.Frob", "NotUnderstood").containsEntry("IFMarker", "No");
        }
    }

    @Test
    void loginWithoutSecurityStageWorks() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            o.securityStage = false;
            ini.login(o);
            assertThat(ini.tsih).isNotZero();
        }
    }

    private static void rejected(ServerFixture f, Map<String, String> keys, int csg, int nsg, boolean transit,
            int statusClass, int statusDetail) throws Exception {
        try (TestInitiator ini = f.connect()) {
            ini.send(TestInitiator.loginBhs(transit, csg, nsg, ini.isid, 0, 7, 1, 0), TestInitiator.encodeText(keys));
            Pdu r = ini.expect(Duration.ofSeconds(5));
            assertThat(r.opcode()).isEqualTo(0x23);
            assertThat(r.itt()).isEqualTo(7);
            assertThat(r.byteAt(36)).as("status class").isEqualTo(statusClass);
            assertThat(r.byteAt(37)).as("status detail").isEqualTo(statusDetail);
            assertThat(r.flags() & 0x80).as("T bit").isZero();
            assertThat(ini.awaitClose(Duration.ofSeconds(5))).as("socket closed").isTrue();
        }
    }

    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void loginRejectsCarryTheRightStatusAndCloseTheSocket() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            String me = "iqn.2026-11.io.jzram.test:initiator";
            rejected(f, keys("InitiatorName", me, "SessionType", "Normal", "TargetName", "iqn.2026-11.io.jzram:nope",
                    "AuthMethod", "None"), 0, 1, true, 0x02, 0x03);
            rejected(f, keys("SessionType", "Normal", "TargetName", ServerFixture.IQN, "AuthMethod", "None"), 0, 1,
                    true, 0x02, 0x07);
            rejected(f, keys("InitiatorName", me, "SessionType", "Normal", "AuthMethod", "None"), 0, 1, true, 0x02, 0x07);
            // bad CSG (3) and bad NSG (2, or backwards)
            rejected(f, keys("InitiatorName", me, "TargetName", ServerFixture.IQN), 3, 3, true, 0x02, 0x00);
            rejected(f, keys("InitiatorName", me, "TargetName", ServerFixture.IQN), 0, 2, true, 0x02, 0x00);
            rejected(f, keys("InitiatorName", me, "TargetName", ServerFixture.IQN), 1, 0, true, 0x02, 0x00);
            rejected(f, keys("InitiatorName", me, "TargetName", ServerFixture.IQN, "AuthMethod", "CHAP"), 0, 1, true,
                    0x02, 0x01);
            rejected(f, keys("InitiatorName", me, "SessionType", "Bogus"), 0, 1, true, 0x02, 0x09);
            // the server keeps working
            try (TestInitiator ini = f.login()) {
                assertThat(ini.tsih).isNotZero();
            }
            waitFor(() -> f.server.openConnections() == 0);
        }
    }

    @Test
    void nonLoginPduDuringLoginIsRejected() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            Map<String, String> first = keys("InitiatorName", "iqn.x:y", "SessionType", "Normal", "TargetName",
                    ServerFixture.IQN, "AuthMethod", "None");
            ini.send(TestInitiator.loginBhs(true, 0, 1, ini.isid, 0, 7, 1, 0), TestInitiator.encodeText(first));
            assertThat(ini.expect(Duration.ofSeconds(5)).byteAt(36)).isZero();
            ini.send(ini.scsiCommandBhs(9, 0, new byte[6], 0, false, false, true), null);
            Pdu r = ini.expect(Duration.ofSeconds(5));
            assertThat(r.opcode()).isEqualTo(0x23);
            assertThat(r.byteAt(36)).isEqualTo(0x02);
            assertThat(r.byteAt(37)).isEqualTo(0x0b);
            assertThat(ini.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void continuedLoginTextIsCollected() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            byte[] text = TestInitiator.encodeText(keys("InitiatorName", "iqn.x:y", "SessionType", "Normal",
                    "TargetName", ServerFixture.IQN, "AuthMethod", "None"));
            byte[] part1 = java.util.Arrays.copyOfRange(text, 0, 20);
            byte[] part2 = java.util.Arrays.copyOfRange(text, 20, text.length);
            byte[] bhs1 = TestInitiator.loginBhs(false, 0, 0, ini.isid, 0, 7, 1, 0);
            bhs1[1] |= 0x40; // C
            ini.send(bhs1, part1);
            Pdu r1 = ini.expect(Duration.ofSeconds(5));
            assertThat(r1.byteAt(36)).isZero();
            assertThat(r1.data()).isEmpty();
            ini.send(TestInitiator.loginBhs(true, 0, 1, ini.isid, 0, 7, 1, r1.int32(24) + 1), part2);
            Pdu r2 = ini.expect(Duration.ofSeconds(5));
            assertThat(r2.byteAt(36)).isZero();
            assertThat(r2.flags() & 0x83).isEqualTo(0x81);
            assertThat(r2.int32(24)).isEqualTo(r1.int32(24) + 1);
            assertThat(r2.text()).containsEntry("AuthMethod", "None");
        }
    }

    @Test
    void sessionReinstatementReplacesTheOldSession() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator a = f.login(); TestInitiator b = f.login()) {
            assertThat(a.awaitClose(Duration.ofSeconds(5))).isTrue();
            assertThat(b.nopOut(null, false).opcode()).isEqualTo(0x20);
            waitFor(() -> f.disk.closed.get() == 1);
            assertThat(f.server.sessions()).hasSize(1);
        }
    }

    @Test
    void loginTimeoutClosesSilentConnections() throws Exception {
        try (ServerFixture f = new ServerFixture(s -> s.withLoginTimeout(Duration.ofMillis(300)));
                TestInitiator ini = f.connect()) {
            assertThat(ini.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void textResponsesSplitAtTheInitiatorsLimit() throws Exception {
        List<InetSocketAddress> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            many.add(new InetSocketAddress(InetAddress.getByName("192.0.2." + (i % 250 + 1)), 3000 + i));
        }
        try (ServerFixture f = new ServerFixture(s -> s.withAdvertisedPortals(many)); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
            o.discovery = true;
            o.extraKeys.put("MaxRecvDataSegmentLength", "512");
            ini.login(o);
            List<String> items = ini.sendTargets("All");
            assertThat(items).hasSize(201);
            assertThat(items.get(200)).isEqualTo("TargetAddress=192.0.2.201:3200,1");
        }
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> IscsiServerSettings.defaults().withAdvertisedPortals(
                List.of(new InetSocketAddress("0.0.0.0", 3260)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(IscsiServerSettings.defaults().targetName()).startsWith("iqn.2026-11.io.jzram:");
        assertThat(IscsiServerSettings.defaults().listen().getAddress().isLoopbackAddress()).isTrue();
        assertThat(IscsiServerSettings.defaults().listen().getPort()).isEqualTo(3260);
        assertThat(ByteBuffer.allocate(1)).isNotNull();
    }
}
