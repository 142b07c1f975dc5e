package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jzram.target.auth.AccessRules;
import io.jzram.target.auth.ChapAlgorithm;
import io.jzram.target.auth.ChapCredentials;
import io.jzram.target.auth.InitiatorAccess;

/**
 * CHAP against an initiator nobody here wrote: libiscsi's tools (1.19), secrets in their
 * environment (LIBISCSI_CHAP_USERNAME / _PASSWORD, and _TARGET_USERNAME / _TARGET_PASSWORD for
 * mutual CHAP). libiscsi 1.19 offers AuthMethod=CHAP,None when it has a user name (without one it
 * skips the security stage: its first request is CSG=1), asks for transit in that first request,
 * and sends CHAP_A=5: MD5 and nothing else, which {@link #libiscsiOffersOnlyMd5} pins down. For
 * mutual CHAP it sends CHAP_I and a CHAP_C of its own (32 bytes, upper-case hex) with its response,
 * and checks our CHAP_N and CHAP_R. Answered AuthMethod=None, it repeats InitiatorName, TargetName
 * and SessionType in its next request (tolerated: the same values again).
 */
@Timeout(120)
class LibiscsiChapTest {
    static final String INITIATOR = "iqn.2026-11.io.jzram.test:libiscsi";
    static final String USER = "libiscsi-user";
    static final String SECRET = "libiscsi-secret-0123";
    static final String TARGET_USER = "jzram-target";
    static final String TARGET_SECRET = "jzram-target-secret-99";

    static AccessRules oneWay() {
        return AccessRules.restrictedTo(List.of(InitiatorAccess.chap(INITIATOR, ChapCredentials.oneWay(USER, SECRET))));
    }

    static AccessRules mutual(String targetSecret) {
        return AccessRules.restrictedTo(List.of(InitiatorAccess.chap(INITIATOR,
                ChapCredentials.mutual(USER, SECRET, TARGET_USER, targetSecret))));
    }

    static Map<String, String> env(String user, String secret) {
        return Map.of("LIBISCSI_CHAP_USERNAME", user, "LIBISCSI_CHAP_PASSWORD", secret);
    }

    static Map<String, String> env(String user, String secret, String targetUser, String targetSecret) {
        return Map.of("LIBISCSI_CHAP_USERNAME", user, "LIBISCSI_CHAP_PASSWORD", secret,
                "LIBISCSI_CHAP_TARGET_USERNAME", targetUser, "LIBISCSI_CHAP_TARGET_PASSWORD", targetSecret);
    }

    static ExternalTools.Result inq(ServerFixture f, String initiator, Map<String, String> env) throws Exception {
        String tool = ExternalTools.require("iscsi-inq", "libiscsi-bin").toString();
        String url = "iscsi://127.0.0.1:" + f.address().getPort() + "/" + ServerFixture.IQN + "/0";
        return ExternalTools.run(Duration.ofSeconds(20), List.of(tool, "-i", initiator, url), env);
    }

    static void works(ExternalTools.Result r) {
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("JZRAM");
    }

    static void refused(ExternalTools.Result r, String why) {
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains(why).doesNotContain("JZRAM");
    }

    @Test
    void oneWayChapRightSecretWorksWrongSecretFails() throws Exception {
        try (ServerFixture f = new ServerFixture(oneWay())) {
            works(inq(f, INITIATOR, env(USER, SECRET)));
            refused(inq(f, INITIATOR, env(USER, "libiscsi-secret-0124")), "Authentication failure");
            refused(inq(f, INITIATOR, env("someone-else", SECRET)), "Authentication failure");
            refused(inq(f, INITIATOR, Map.of()), "Authentication failure"); // no user: libiscsi skips security
            assertThat(f.server.sessions()).isEmpty();
        }
    }

    @Test
    void initiatorNotOnTheListIsRefused() throws Exception {
        try (ServerFixture f = new ServerFixture(oneWay())) {
            refused(inq(f, "iqn.2026-11.io.jzram.test:stranger", env(USER, SECRET)), "Authorization failure");
        }
    }

    @Test
    void iscsiLsDiscoversOpenlyThenLogsInWithChap() throws Exception {
        String tool = ExternalTools.require("iscsi-ls", "libiscsi-bin").toString();
        try (ServerFixture f = new ServerFixture(oneWay())) {
            String url = "iscsi://127.0.0.1:" + f.address().getPort() + "/";
            ExternalTools.Result r = ExternalTools.run(Duration.ofSeconds(20), List.of(tool, "-i", INITIATOR, "-s", url),
                    env(USER, SECRET));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("Target:" + ServerFixture.IQN).contains("Lun:0");
        }
        // with discovery CHAP too, the same credentials: one secret per role is about initiator vs
        // target, so discovery may share the initiator's
        AccessRules withDiscovery = oneWay().withDiscovery(ChapCredentials.oneWay(USER, SECRET));
        try (ServerFixture f = new ServerFixture(withDiscovery)) {
            String url = "iscsi://127.0.0.1:" + f.address().getPort() + "/";
            ExternalTools.Result ok = ExternalTools.run(Duration.ofSeconds(20), List.of(tool, "-i", INITIATOR, "-s", url),
                    env(USER, SECRET));
            assertThat(ok.exit()).as(ok.output()).isZero();
            assertThat(ok.output()).contains("Target:" + ServerFixture.IQN);
            ExternalTools.Result bad = ExternalTools.run(Duration.ofSeconds(20), List.of(tool, "-i", INITIATOR, url),
                    Map.of());
            assertThat(bad.exit()).as(bad.output()).isNotZero();
            assertThat(bad.output()).doesNotContain("Target:");
        }
    }

    @Test
    void mutualChapWorksAndAWrongTargetSecretIsRefusedByTheInitiator() throws Exception {
        try (ServerFixture f = new ServerFixture(mutual(TARGET_SECRET))) {
            works(inq(f, INITIATOR, env(USER, SECRET, TARGET_USER, TARGET_SECRET)));
        }
        // the target holds another mutual secret than the initiator expects: libiscsi refuses it
        try (ServerFixture f = new ServerFixture(mutual("an-impostor-secret-77"))) {
            refused(inq(f, INITIATOR, env(USER, SECRET, TARGET_USER, TARGET_SECRET)), "Invalid CHAP_R response from the target");
        }
        // mutual CHAP asked of a target without a mutual credential: we refuse
        try (ServerFixture f = new ServerFixture(oneWay())) {
            refused(inq(f, INITIATOR, env(USER, SECRET, TARGET_USER, TARGET_SECRET)), "Authentication failure");
        }
    }

    @Test
    void libiscsiOffersOnlyMd5() throws Exception {
        try (ServerFixture f = new ServerFixture(oneWay().withAlgorithms(EnumSet.of(ChapAlgorithm.MD5)))) {
            works(inq(f, INITIATOR, env(USER, SECRET)));
        }
        try (ServerFixture f = new ServerFixture(oneWay().withAlgorithms(
                EnumSet.of(ChapAlgorithm.SHA1, ChapAlgorithm.SHA256, ChapAlgorithm.SHA3_256)))) {
            refused(inq(f, INITIATOR, env(USER, SECRET)), "Authentication failure");
        }
    }
}
