package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.jscsi.parser.login.LoginStatus;
import org.junit.jupiter.api.Test;

import io.jzram.target.auth.AccessDecision;
import io.jzram.target.auth.AccessPolicy;
import io.jzram.target.auth.AccessRules;
import io.jzram.target.auth.ChapCredentials;
import io.jzram.target.auth.InitiatorAccess;

/** The login negotiator with an access policy: identification, stage rules, transit, results. */
class LoginAuthTest {
    static final IscsiServerSettings SETTINGS = IscsiServerSettings.defaults().withTargetName(ServerFixture.IQN);
    static final String ALICE = "iqn.2026-11.io.jzram.test:alice";
    static final String SECRET = "alice-secret-0123";

    static final AccessRules RULES = AccessRules.restrictedTo(List.of(
            InitiatorAccess.chap(ALICE, ChapCredentials.oneWay("alice", SECRET)),
            InitiatorAccess.open("iqn.2026-11.io.jzram.test:bob")));

    static TextParameters keys(String... kv) {
        TextParameters p = new TextParameters();
        for (int i = 0; i < kv.length; i += 2) {
            p.add(kv[i], kv[i + 1]);
        }
        return p;
    }

    static LoginNegotiator identified(AccessPolicy policy, String initiator) throws LoginRejectException {
        LoginNegotiator n = new LoginNegotiator(SETTINGS, policy, new SplittableRandom(3));
        n.identify(keys("InitiatorName", initiator, "TargetName", ServerFixture.IQN));
        return n;
    }

    static void rejects(ThrowingCall call, LoginStatus status, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LoginRejectException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(reason).doesNotContain(SECRET);
        });
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void identificationAsksThePolicy() throws Exception {
        rejects(() -> identified(RULES, "iqn.2026-11.io.jzram.test:eve"), LoginStatus.AUTHORIZATION_FAILURE,
                "not on the access list");
        // discovery: the list does not apply
        LoginNegotiator d = new LoginNegotiator(SETTINGS, RULES);
        d.identify(keys("InitiatorName", "iqn.2026-11.io.jzram.test:eve", "SessionType", "Discovery"));
        assertThat(d.negotiate(keys("AuthMethod", "None"), 0).get("AuthMethod")).isEqualTo("None");
        // a broken policy is a target error, not an escaping exception
        AccessPolicy broken = new AccessPolicy() {
            @Override
            public AccessDecision normalSession(String i, String t) {
                throw new IllegalStateException("boom");
            }

            @Override
            public AccessDecision discoverySession(String i) {
                return null;
            }
        };
        rejects(() -> identified(broken, ALICE), LoginStatus.TARGET_ERROR, "access policy failed");
        LoginNegotiator nullDecision = new LoginNegotiator(SETTINGS, broken);
        rejects(() -> nullDecision.identify(keys("InitiatorName", ALICE, "SessionType", "Discovery")),
                LoginStatus.TARGET_ERROR, "no decision");
        // the target check comes first: an unknown target is 02/03 even for an unlisted initiator
        rejects(() -> new LoginNegotiator(SETTINGS, RULES).identify(keys("InitiatorName", "iqn.x:eve", "TargetName",
                "iqn.2026-11.io.jzram:other")), LoginStatus.NOT_FOUND, "no target");
    }

    @Test
    void authenticationGatesTheStagesAndTransit() throws Exception {
        rejects(() -> identified(RULES, ALICE).negotiate(keys("MaxBurstLength", "65536"), 1),
                LoginStatus.AUTHENTICATION_FAILURE, "security negotiation skipped");
        LoginNegotiator n = identified(RULES, ALICE);
        assertThat(n.mayTransit(false)).isFalse();
        TextParameters a = n.negotiate(keys("AuthMethod", "CHAP,None", "HeaderDigest", "None"), 0);
        assertThat(a.get("AuthMethod")).isEqualTo("CHAP");
        assertThat(a.get("HeaderDigest")).isEqualTo("None"); // other keys are answered as usual
        assertThat(n.mayTransit(true)).as("T=0 while CHAP goes on").isFalse();
        TextParameters c = n.negotiate(keys("CHAP_A", "7"), 0);
        assertThat(n.mayTransit(true)).isFalse();
        n.negotiate(keys("X-vendor", "1"), 0); // no security key: no progress
        rejects(() -> n.mayTransit(true), LoginStatus.AUTHENTICATION_FAILURE, "transit asked before authentication");

        LoginNegotiator ok = identified(RULES, ALICE);
        ok.negotiate(keys("AuthMethod", "CHAP"), 0);
        TextParameters ch = ok.negotiate(keys("CHAP_A", "7"), 0);
        assertThat(ch.toString()).contains("CHAP_C=(hidden)").doesNotContain(ch.get("CHAP_C"));
        String r = response("SHA-256", ch.get("CHAP_I"), ch.get("CHAP_C"));
        TextParameters last = ok.negotiate(keys("CHAP_N", "alice", "CHAP_R", r), 0);
        assertThat(last.isEmpty()).isTrue();
        assertThat(ok.mayTransit(true)).isTrue();
        assertThat(ok.negotiate(keys("MaxBurstLength", "65536"), 1).get("MaxBurstLength")).isEqualTo("65536");
        assertThat(ok.result().auth()).isEqualTo("CHAP/SHA-256");
        // CHAP keys after authentication, even in the operational stage
        rejects(() -> ok.negotiate(keys("CHAP_A", "5"), 1), LoginStatus.AUTHENTICATION_FAILURE, "after the security");
        assertThat(c.get("CHAP_A")).isEqualTo("7");
    }

    @Test
    void openInitiatorsMaySkipTheSecurityStage() throws Exception {
        LoginNegotiator bob = identified(RULES, "iqn.2026-11.io.jzram.test:bob");
        assertThat(bob.mayTransit(true)).isTrue();
        bob.negotiate(keys("MaxBurstLength", "65536"), 1);
        assertThat(bob.result().auth()).isEqualTo("None");
        LoginNegotiator open = identified(AccessPolicy.OPEN, ALICE);
        assertThat(open.negotiate(keys("AuthMethod", "CHAP,None"), 0).get("AuthMethod")).isEqualTo("None");
        rejects(() -> open.negotiate(keys("AuthMethod", "None"), 0), LoginStatus.AUTHENTICATION_FAILURE,
                "after the security negotiation finished");
    }

    @Test
    void identityKeysRepeatedUnchangedAreTolerated() throws Exception {
        // what libiscsi 1.19 does after offering CHAP,None and being answered None
        LoginNegotiator n = new LoginNegotiator(SETTINGS, AccessPolicy.OPEN);
        TextParameters first = keys("InitiatorName", ALICE, "TargetName", ServerFixture.IQN, "SessionType", "Normal",
                "AuthMethod", "CHAP,None");
        n.identify(first);
        n.negotiate(first, 0);
        n.negotiate(keys("InitiatorName", ALICE, "TargetName", ServerFixture.IQN, "SessionType", "Normal",
                "MaxBurstLength", "65536"), 1);
        // a changed value is still a renegotiation: 02/00
        rejects(() -> n.negotiate(keys("InitiatorName", "iqn.2026-11.io.jzram.test:other"), 1),
                LoginStatus.INITIATOR_ERROR, "offered twice");
        rejects(() -> n.negotiate(keys("MaxBurstLength", "65536"), 1), LoginStatus.INITIATOR_ERROR, "offered twice");
    }

    @Test
    void chapValuesAreHiddenInTextDumps() throws Exception {
        TextParameters t = keys("CHAP_N", "alice", "CHAP_R", "0x0123456789abcdef", "CHAP_C", "0xfedcba", "CHAP_I", "9");
        assertThat(t.toString()).contains("CHAP_N=alice", "CHAP_I=9", "CHAP_R=(hidden)", "CHAP_C=(hidden)")
                .doesNotContain("0123456789abcdef").doesNotContain("fedcba");
        assertThat(new String(t.encode(), StandardCharsets.UTF_8)).contains("CHAP_R=0x0123456789abcdef");
    }

    static String response(String digest, String id, String challenge) throws Exception {
        MessageDigest md = MessageDigest.getInstance(digest);
        md.update((byte) Integer.parseInt(id));
        md.update(SECRET.getBytes(StandardCharsets.UTF_8));
        md.update(HexFormat.of().parseHex(challenge.substring(2)));
        return "0x" + HexFormat.of().formatHex(md.digest());
    }
}
