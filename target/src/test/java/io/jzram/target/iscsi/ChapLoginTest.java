package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jzram.target.auth.AccessControl;
import io.jzram.target.auth.AccessRules;
import io.jzram.target.auth.ChapAlgorithm;
import io.jzram.target.auth.ChapCredentials;
import io.jzram.target.auth.InitiatorAccess;
import io.jzram.target.iscsi.testinit.TestInitiator;
import io.jzram.target.iscsi.testinit.TestInitiator.LoginFailed;
import io.jzram.target.iscsi.testinit.TestInitiator.Pdu;

/** CHAP and the access list over the wire, with the test initiator (its CHAP in {@link ChapLogin}). */
@Timeout(60)
class ChapLoginTest {
    static final String ALICE = "iqn.2026-11.io.jzram.test:alice";
    static final String BOB = "iqn.2026-11.io.jzram.test:bob";
    static final String EVE = "iqn.2026-11.io.jzram.test:eve";
    static final String ALICE_SECRET = "alice-secret-0123";
    static final String TARGET_SECRET = "target-secret-4567";

    static AccessRules rules() {
        return AccessRules.restrictedTo(List.of(
                InitiatorAccess.chap(ALICE, ChapCredentials.mutual("alice", ALICE_SECRET, "jzram", TARGET_SECRET)),
                InitiatorAccess.open(BOB)));
    }

    private static void rejected(ThrowingLogin login, int detail) {
        assertThatThrownBy(login::run).isInstanceOfSatisfying(LoginFailed.class, e -> {
            assertThat(e.statusClass).isEqualTo(2);
            assertThat(e.statusDetail).isEqualTo(detail);
        });
    }

    interface ThrowingLogin {
        void run() throws Exception;
    }

    private static void closedAfterReject(TestInitiator ini) throws InterruptedException {
        assertThat(ini.awaitClose(Duration.ofSeconds(5))).as("socket closed after the reject").isTrue();
    }

    @Test
    void oneWayChapLogsInAndShowsInTheSession() throws Exception {
        try (ServerFixture f = new ServerFixture(rules()); TestInitiator ini = f.connect()) {
            ChapLogin l = ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE);
            l.algorithms = "7,5";
            l.login(ini);
            assertThat(l.targetChallenge.get("CHAP_A")).isEqualTo("7");
            assertThat(ini.nopOut(null, false).opcode()).isEqualTo(0x20);
            assertThat(f.server.sessions()).singleElement().satisfies(s -> {
                assertThat(s.initiatorName()).isEqualTo(ALICE);
                assertThat(s.auth()).isEqualTo("CHAP/SHA-256");
            });
        }
    }

    @Test
    void mutualChapProvesTheTarget() throws Exception {
        try (ServerFixture f = new ServerFixture(rules()); TestInitiator ini = f.connect()) {
            ChapLogin l = ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE).mutual("jzram", TARGET_SECRET);
            l.login(ini); // checks the target's CHAP_N and CHAP_R against TARGET_SECRET
            assertThat(f.server.sessions()).singleElement().extracting(SessionInfo::auth).isEqualTo("CHAP/MD5 mutual");
        }
        // the initiator holding a different target secret refuses our proof
        try (ServerFixture f = new ServerFixture(rules()); TestInitiator ini = f.connect()) {
            ChapLogin l = ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE).mutual("jzram", "some-other-secret");
            assertThatThrownBy(() -> l.login(ini)).hasMessageContaining("target failed mutual CHAP");
        }
    }

    @Test
    void wrongSecretOrUserFails0201AndCloses() throws Exception {
        try (ServerFixture f = new ServerFixture(rules())) {
            for (ChapLogin bad : List.of(ChapLogin.oneWay("alice", "alice-secret-0124").as(ALICE),
                    ChapLogin.oneWay("mallory", ALICE_SECRET).as(ALICE))) {
                try (TestInitiator ini = f.connect()) {
                    rejected(() -> bad.login(ini), 0x01);
                    closedAfterReject(ini);
                }
            }
            // and the server goes on
            try (TestInitiator ini = f.connect()) {
                ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE).login(ini);
            }
        }
    }

    @Test
    void initiatorNotOnTheListFails0202AtIdentification() throws Exception {
        try (ServerFixture f = new ServerFixture(rules()); TestInitiator ini = f.connect()) {
            ChapLogin eve = ChapLogin.oneWay("alice", ALICE_SECRET).as(EVE);
            // refused on the first request, before any CHAP
            rejected(() -> ini.loginRound(true, 0, 1, withAuth(eve.identity(), "CHAP,None")), 0x02);
            closedAfterReject(ini);
        }
    }

    @Test
    void initiatorThatMustAuthenticateCannotSkipOrLeaveTheSecurityStage() throws Exception {
        try (ServerFixture f = new ServerFixture(rules())) {
            ChapLogin l = ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE);
            // starting at the operational stage
            try (TestInitiator ini = f.connect()) {
                Map<String, String> keys = l.identity();
                keys.putAll(TestInitiator.LoginOptions.defaultOperationalKeys());
                rejected(() -> ini.loginRound(true, 1, 3, keys), 0x01);
                closedAfterReject(ini);
            }
            // transit requested with AuthMethod=None: no None for alice
            try (TestInitiator ini = f.connect()) {
                rejected(() -> ini.loginRound(true, 0, 1, withAuth(l.identity(), "None")), 0x01);
            }
            // transit requested with no security key at all
            try (TestInitiator ini = f.connect()) {
                rejected(() -> ini.loginRound(true, 0, 3, l.identity()), 0x01);
            }
            // AuthMethod=CHAP with T=1 is answered T=0; an empty T=1 request next is a try to leave
            try (TestInitiator ini = f.connect()) {
                Pdu r = ini.loginRound(true, 0, 1, withAuth(l.identity(), "CHAP"));
                assertThat(r.flags() & 0x80).isZero();
                assertThat(r.text()).containsEntry("AuthMethod", "CHAP").containsEntry("TargetPortalGroupTag", "1");
                rejected(() -> ini.loginRound(true, 0, 1, Map.of()), 0x01);
                closedAfterReject(ini);
            }
            // CHAP_A answered, then a move to the operational stage (CSG=1) without the response
            try (TestInitiator ini = f.connect()) {
                ini.loginRound(false, 0, 1, withAuth(l.identity(), "CHAP"));
                ini.loginRound(false, 0, 1, Map.of("CHAP_A", "5"));
                rejected(() -> ini.loginRound(true, 1, 3, TestInitiator.LoginOptions.defaultOperationalKeys()), 0x00);
            }
        }
    }

    @Test
    void outOfOrderAndOversizedValuesFail0201() throws Exception {
        try (ServerFixture f = new ServerFixture(rules())) {
            ChapLogin l = ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE);
            try (TestInitiator ini = f.connect()) {
                Map<String, String> k = withAuth(l.identity(), "CHAP");
                k.put("CHAP_A", "5");
                rejected(() -> ini.loginRound(false, 0, 1, k), 0x01);
            }
            // CVE-2018-14633's shape: a CHAP_R far longer than any digest
            try (TestInitiator ini = f.connect()) {
                ini.loginRound(false, 0, 1, withAuth(l.identity(), "CHAP"));
                ini.loginRound(false, 0, 1, Map.of("CHAP_A", "5"));
                rejected(() -> ini.loginRound(true, 0, 1, Map.of("CHAP_N", "alice", "CHAP_R", "0x" + "41".repeat(8000))),
                        0x01);
                closedAfterReject(ini);
            }
        }
    }

    @Test
    void openEntriesAndDefaultTargetsNeedNoSecurityStage() throws Exception {
        try (ServerFixture f = new ServerFixture(rules()); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            o.initiatorName = BOB;
            o.securityStage = false;
            ini.login(o);
            assertThat(f.server.sessions()).singleElement().extracting(SessionInfo::auth).isEqualTo("None");
        }
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            ini.login(f.normal());
            assertThat(f.server.sessions()).singleElement().extracting(SessionInfo::auth).isEqualTo("None");
        }
    }

    @Test
    void discoveryIsOpenUnlessItHasItsOwnChap() throws Exception {
        try (ServerFixture f = new ServerFixture(rules()); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
            o.discovery = true;
            o.initiatorName = EVE; // not on the list: the list is for normal sessions
            ini.login(o);
            assertThat(ini.sendTargets("All")).contains("TargetName=" + ServerFixture.IQN);
        }
        AccessRules withDiscovery = rules().withDiscovery(ChapCredentials.oneWay("disco", "discovery-secret-1"));
        try (ServerFixture f = new ServerFixture(withDiscovery)) {
            try (TestInitiator ini = f.connect()) {
                TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
                o.discovery = true;
                o.initiatorName = EVE;
                rejected(() -> ini.login(o), 0x01);
            }
            try (TestInitiator ini = f.connect()) {
                ChapLogin d = ChapLogin.oneWay("disco", "discovery-secret-1").as(EVE);
                d.discovery = true;
                d.login(ini);
                assertThat(ini.sendTargets("All")).contains("TargetName=" + ServerFixture.IQN);
                assertThat(f.server.sessions()).singleElement().satisfies(s -> {
                    assertThat(s.discovery()).isTrue();
                    assertThat(s.auth()).isEqualTo("CHAP/MD5");
                });
            }
            try (TestInitiator ini = f.connect()) {
                ChapLogin d = ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE); // alice's secret is not discovery's
                d.discovery = true;
                rejected(() -> d.login(ini), 0x01);
            }
        }
    }

    @Test
    void rulesSwapLiveAndLoggedInSessionsStay() throws Exception {
        AccessControl ac = new AccessControl(AccessRules.open());
        try (ServerFixture f = new ServerFixture(ac); TestInitiator first = f.login()) {
            ac.replace(rules().withAlgorithms(EnumSet.of(ChapAlgorithm.SHA1)));
            try (TestInitiator ini = f.connect()) {
                TestInitiator.LoginOptions o = f.normal(); // the test initiator's default name: not on the list
                rejected(() -> ini.login(o), 0x02);
            }
            try (TestInitiator ini = f.connect()) {
                ChapLogin l = ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE);
                l.algorithms = "5";
                rejected(() -> l.login(ini), 0x01); // MD5 no longer accepted
            }
            try (TestInitiator ini = f.connect()) {
                ChapLogin l = ChapLogin.oneWay("alice", ALICE_SECRET).as(ALICE);
                l.algorithms = "5,6";
                l.login(ini);
            }
            assertThat(first.nopOut(null, false).opcode()).isEqualTo(0x20); // logged in before: still there
            ac.replace(AccessRules.open());
            try (TestInitiator ini = f.login()) {
                assertThat(ini.tsih).isNotZero();
            }
        }
    }

    static Map<String, String> withAuth(Map<String, String> identity, String methods) {
        Map<String, String> k = new LinkedHashMap<>(identity);
        k.put("AuthMethod", methods);
        return k;
    }
}
