package io.jzram.target.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jscsi.parser.login.LoginStatus;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SecurityNegotiationTest {
    static final String USER = "alice";
    static final String SECRET = "alice-secret-0123";
    static final String TARGET_USER = "jzram-target";
    static final String TARGET_SECRET = "target-secret-4567";
    static final Set<ChapAlgorithm> ALL = EnumSet.allOf(ChapAlgorithm.class);

    static List<Map.Entry<String, String>> kv(String... kv) {
        List<Map.Entry<String, String>> l = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            l.add(Map.entry(kv[i], kv[i + 1]));
        }
        return l;
    }

    static Map<String, String> map(List<Map.Entry<String, String>> l) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        l.forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    static SecurityNegotiation chap(boolean mutual, Set<ChapAlgorithm> algs) {
        ChapCredentials c = mutual ? ChapCredentials.mutual(USER, SECRET, TARGET_USER, TARGET_SECRET)
                : ChapCredentials.oneWay(USER, SECRET);
        return new SecurityNegotiation(new AccessDecision.Chap(c, algs), new SplittableRandom(42));
    }

    /** RFC 1994 response computed here with MessageDigest, not with the code under test. */
    static byte[] rfc1994(String digest, int id, byte[] secret, byte[] challenge) throws Exception {
        MessageDigest md = MessageDigest.getInstance(digest);
        md.update((byte) id);
        md.update(secret);
        md.update(challenge);
        return md.digest();
    }

    static String digestName(int code) {
        return switch (code) {
            case 5 -> "MD5";
            case 6 -> "SHA-1";
            case 7 -> "SHA-256";
            case 8 -> "SHA3-256";
            default -> throw new AssertionError(code);
        };
    }

    /** Drives AuthMethod and CHAP_A; returns the target's CHAP_A/CHAP_I/CHAP_C answer. */
    static Map<String, String> challenge(SecurityNegotiation n, String offer) throws Exception {
        assertThat(map(n.step(kv("AuthMethod", "CHAP,None")))).containsExactly(Map.entry("AuthMethod", "CHAP"));
        assertThat(n.complete()).isFalse();
        Map<String, String> a = map(n.step(kv("CHAP_A", offer)));
        assertThat(a.keySet()).containsExactly("CHAP_A", "CHAP_I", "CHAP_C");
        return a;
    }

    static String goodResponse(Map<String, String> a, String secret) throws Exception {
        int code = Integer.parseInt(a.get("CHAP_A"));
        int id = Integer.parseInt(a.get("CHAP_I"));
        byte[] c = HexFormat.of().parseHex(a.get("CHAP_C").substring(2));
        return "0x" + HexFormat.of().formatHex(rfc1994(digestName(code), id, secret.getBytes(StandardCharsets.UTF_8), c));
    }

    static void fails(ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AuthenticationFailure.class, e -> {
            assertThat(e.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
            assertThat(e.getMessage()).contains(reason).doesNotContain(SECRET).doesNotContain(TARGET_SECRET);
        });
    }

    // ------------------------------------------------------------------ successful exchanges

    @Test
    void oneWayChapWithEveryAlgorithm() throws Exception {
        for (ChapAlgorithm alg : ChapAlgorithm.values()) {
            SecurityNegotiation n = chap(false, ALL);
            Map<String, String> a = challenge(n, Integer.toString(alg.code()));
            assertThat(a.get("CHAP_A")).isEqualTo(Integer.toString(alg.code()));
            assertThat(Integer.parseInt(a.get("CHAP_I"))).isBetween(0, 255);
            assertThat(a.get("CHAP_C")).startsWith("0x").hasSize(2 + 2 * Math.max(16, alg.digestLength()));
            assertThat(n.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(a, SECRET)))).isEmpty();
            assertThat(n.complete()).isTrue();
            assertThat(n.state()).isEqualTo(SecurityNegotiation.State.DONE);
            assertThat(n.summary()).isEqualTo("CHAP/" + alg.digestName());
        }
    }

    @Test
    void mutualChapAnswersWithTheTargetSecret() throws Exception {
        SecurityNegotiation n = chap(true, ALL);
        Map<String, String> a = challenge(n, "7,5");
        byte[] mine = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0011");
        Map<String, String> r = map(n.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(a, SECRET), "CHAP_I", "0x11",
                "CHAP_C", "0b" + Base64.getEncoder().encodeToString(mine))));
        assertThat(r.keySet()).containsExactly("CHAP_N", "CHAP_R");
        assertThat(r.get("CHAP_N")).isEqualTo(TARGET_USER);
        byte[] expected = rfc1994("SHA-256", 0x11, TARGET_SECRET.getBytes(StandardCharsets.UTF_8), mine);
        assertThat(r.get("CHAP_R")).isEqualTo("0x" + HexFormat.of().formatHex(expected));
        assertThat(n.summary()).isEqualTo("CHAP/SHA-256 mutual");
    }

    @Test
    void mutualConfiguredButNotAskedIsOneWay() throws Exception {
        SecurityNegotiation n = chap(true, ALL);
        Map<String, String> a = challenge(n, "5");
        assertThat(n.step(kv("CHAP_R", goodResponse(a, SECRET), "CHAP_N", USER))).isEmpty();
        assertThat(n.summary()).isEqualTo("CHAP/MD5");
    }

    @Test
    void base64AndUpperCaseResponsesAreAccepted() throws Exception {
        SecurityNegotiation n = chap(false, ALL);
        Map<String, String> a = challenge(n, "5");
        byte[] r = HexFormat.of().parseHex(goodResponse(a, SECRET).substring(2));
        n.step(kv("CHAP_N", USER, "CHAP_R", "0B" + Base64.getEncoder().encodeToString(r)));
        assertThat(n.complete()).isTrue();
        SecurityNegotiation u = chap(false, ALL);
        Map<String, String> b = challenge(u, "5");
        u.step(kv("CHAP_N", USER, "CHAP_R", "0X" + goodResponse(b, SECRET).substring(2).toUpperCase(java.util.Locale.ROOT)));
        assertThat(u.complete()).isTrue();
    }

    // ------------------------------------------------------------------ choosing

    @Test
    void algorithmIsTheInitiatorsFirstThatWeAccept() throws Exception {
        assertThat(challenge(chap(false, ALL), "7,5").get("CHAP_A")).isEqualTo("7");
        assertThat(challenge(chap(false, ALL), "5,7").get("CHAP_A")).isEqualTo("5");
        assertThat(challenge(chap(false, EnumSet.of(ChapAlgorithm.MD5)), "8,7,6,5").get("CHAP_A")).isEqualTo("5");
        // unknown, malformed and hex items: skipped or understood, not fatal
        assertThat(challenge(chap(false, ALL), "128,x,,0x06,5").get("CHAP_A")).isEqualTo("6");
        SecurityNegotiation n = chap(false, EnumSet.of(ChapAlgorithm.SHA256));
        n.step(kv("AuthMethod", "CHAP"));
        fails(() -> n.step(kv("CHAP_A", "5")), "no CHAP algorithm in common");
        SecurityNegotiation m = chap(false, ALL);
        m.step(kv("AuthMethod", "CHAP"));
        fails(() -> m.step(kv("CHAP_A", "Reject")), "no CHAP algorithm in common");
    }

    @Test
    void authMethodFollowsTheDecisionInTheInitiatorsOrder() throws Exception {
        SecurityNegotiation open = new SecurityNegotiation(new AccessDecision.Open(), new SplittableRandom(1));
        assertThat(open.complete()).isTrue(); // nothing to prove: the stage may be skipped
        assertThat(map(open.step(kv("AuthMethod", "CHAP,None")))).containsEntry("AuthMethod", "None");
        assertThat(open.summary()).isEqualTo("None");
        SecurityNegotiation onlyChap = new SecurityNegotiation(new AccessDecision.Open(), new SplittableRandom(1));
        fails(() -> onlyChap.step(kv("AuthMethod", "CHAP")), "offers no None");
        assertThat(map(chap(false, ALL).step(kv("AuthMethod", "SRP,None,CHAP")))).containsEntry("AuthMethod", "CHAP");
        fails(() -> chap(false, ALL).step(kv("AuthMethod", "None")), "offers no CHAP");
        fails(() -> chap(false, ALL).step(kv("AuthMethod", "KRB5,SRP")), "offers no CHAP");
        fails(() -> chap(false, ALL).step(kv("AuthMethod", "chap")), "offers no CHAP"); // values are case-sensitive
        assertThatThrownBy(() -> new SecurityNegotiation(new AccessDecision.Denied("x"), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ order

    @Test
    void keysOutOfOrderFail() throws Exception {
        fails(() -> chap(false, ALL).step(kv("CHAP_A", "5")), "before AuthMethod");
        fails(() -> chap(false, ALL).step(kv("AuthMethod", "CHAP", "CHAP_A", "5")), "CHAP_A before AuthMethod");
        fails(() -> new SecurityNegotiation(new AccessDecision.Open(), new SplittableRandom(1))
                .step(kv("CHAP_N", USER)), "before AuthMethod");

        SecurityNegotiation alg = chap(false, ALL);
        alg.step(kv("AuthMethod", "CHAP"));
        fails(() -> alg.step(kv("AuthMethod", "CHAP")), "where CHAP_A alone was expected");
        assertThat(alg.state()).isEqualTo(SecurityNegotiation.State.FAILED);
        fails(() -> alg.step(kv("CHAP_A", "5")), "already failed");

        for (List<Map.Entry<String, String>> early : List.of(kv("CHAP_N", USER), kv("CHAP_R", "0x00"),
                kv("CHAP_A", "5", "CHAP_N", USER), kv("CHAP_I", "1", "CHAP_C", "0x00"))) {
            SecurityNegotiation n = chap(false, ALL);
            n.step(kv("AuthMethod", "CHAP"));
            fails(() -> n.step(early), "where CHAP_A alone was expected");
        }

        for (List<Map.Entry<String, String>> late : List.of(kv("CHAP_A", "5"), kv("AuthMethod", "CHAP"),
                kv("CHAP_N", USER, "CHAP_R", "0x00", "CHAP_A", "5"))) {
            SecurityNegotiation n = chap(false, ALL);
            challenge(n, "5");
            fails(() -> n.step(late), "after CHAP_A was answered");
        }

        SecurityNegotiation done = chap(false, ALL);
        Map<String, String> a = challenge(done, "5");
        done.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(a, SECRET)));
        fails(() -> done.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(a, SECRET))), "after the security negotiation finished");
        SecurityNegotiation none = new SecurityNegotiation(new AccessDecision.Open(), new SplittableRandom(1));
        none.step(kv("AuthMethod", "None"));
        fails(() -> none.step(kv("AuthMethod", "None")), "after the security negotiation finished");
    }

    @Test
    void incompleteOrRepeatedStepsFail() throws Exception {
        String[][] partial = {{"CHAP_N", USER}, {"CHAP_R", "0x00"}};
        for (String[] p : partial) {
            SecurityNegotiation n = chap(false, ALL);
            challenge(n, "5");
            fails(() -> n.step(kv(p)), "CHAP_N and CHAP_R must come together");
        }
        SecurityNegotiation i = chap(true, ALL);
        Map<String, String> a = challenge(i, "5");
        fails(() -> i.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(a, SECRET), "CHAP_I", "1")),
                "CHAP_I and CHAP_C must come together");
        SecurityNegotiation c = chap(true, ALL);
        Map<String, String> b = challenge(c, "5");
        fails(() -> c.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(b, SECRET), "CHAP_C", "0x0102")),
                "CHAP_I and CHAP_C must come together");
        fails(() -> chap(false, ALL).step(kv("AuthMethod", "CHAP", "AuthMethod", "CHAP")), "AuthMethod offered twice");
        SecurityNegotiation d = chap(false, ALL);
        Map<String, String> e = challenge(d, "5");
        fails(() -> d.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(e, SECRET), "CHAP_N", USER)), "CHAP_N offered twice");
        // no security keys at all: no progress, no failure
        SecurityNegotiation q = chap(false, ALL);
        assertThat(q.step(List.of())).isEmpty();
        assertThat(q.state()).isEqualTo(SecurityNegotiation.State.METHOD);
        assertThatThrownBy(() -> q.step(kv("HeaderDigest", "None"))).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ values

    @Test
    void wrongCredentialsFail() throws Exception {
        SecurityNegotiation n = chap(false, ALL);
        Map<String, String> a = challenge(n, "5");
        fails(() -> n.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(a, "alice-secret-0124"))), "wrong CHAP response");
        SecurityNegotiation u = chap(false, ALL);
        Map<String, String> b = challenge(u, "5");
        fails(() -> u.step(kv("CHAP_N", "mallory", "CHAP_R", goodResponse(b, SECRET))), "unknown CHAP user \"mallory\"");
        SecurityNegotiation cs = chap(false, ALL);
        Map<String, String> c = challenge(cs, "5");
        fails(() -> cs.step(kv("CHAP_N", "Alice", "CHAP_R", goodResponse(c, SECRET))), "unknown CHAP user"); // exact match
    }

    @Test
    void responseLengthMustBeTheDigestLength() throws Exception {
        for (ChapAlgorithm alg : ChapAlgorithm.values()) {
            for (int len : new int[] {1, alg.digestLength() - 1, alg.digestLength() + 1, 1024}) {
                SecurityNegotiation n = chap(false, ALL);
                challenge(n, Integer.toString(alg.code()));
                fails(() -> n.step(kv("CHAP_N", USER, "CHAP_R", "0x" + "ab".repeat(len))),
                        "CHAP_R of " + len + " bytes");
            }
            for (String bad : new String[] {"0x" + "ab".repeat(1025), "0x" + "ab".repeat(100_000), "0x", "",
                    "0x" + "a".repeat(2 * alg.digestLength() - 1), "0b" + "A".repeat(alg.digestLength()) + "=", "abcd",
                    "Reject"}) {
                SecurityNegotiation n = chap(false, ALL);
                challenge(n, Integer.toString(alg.code()));
                fails(() -> n.step(kv("CHAP_N", USER, "CHAP_R", bad)), "CHAP_R");
            }
        }
    }

    @Test
    void malformedNamesAndMutualValuesFail() throws Exception {
        SecurityNegotiation n = chap(false, ALL);
        Map<String, String> a = challenge(n, "5");
        fails(() -> n.step(kv("CHAP_N", "u".repeat(256), "CHAP_R", goodResponse(a, SECRET))), "malformed CHAP_N");
        SecurityNegotiation e = chap(false, ALL);
        Map<String, String> b = challenge(e, "5");
        fails(() -> e.step(kv("CHAP_N", "", "CHAP_R", goodResponse(b, SECRET))), "malformed CHAP_N");

        SecurityNegotiation noTarget = chap(false, ALL);
        Map<String, String> c = challenge(noTarget, "5");
        fails(() -> noTarget.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(c, SECRET), "CHAP_I", "1", "CHAP_C",
                "0x0102030405060708")), "no target credential");

        for (String[] bad : new String[][] {{"256", "0x0102"}, {"-1", "0x0102"}, {"0x100", "0x0102"}, {"x", "0x0102"},
                {"1", "0x"}, {"1", "0x010"}, {"1", "0x" + "00".repeat(1025)}, {"1", "0bAB=="}}) {
            SecurityNegotiation m = chap(true, ALL);
            Map<String, String> d = challenge(m, "5");
            fails(() -> m.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(d, SECRET), "CHAP_I", bad[0], "CHAP_C", bad[1])),
                    "malformed CHAP_");
        }
        // a mutual challenge of the RFC's full 1024 bytes is fine
        SecurityNegotiation big = chap(true, ALL);
        Map<String, String> f = challenge(big, "5");
        assertThat(map(big.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(f, SECRET), "CHAP_I", "255", "CHAP_C",
                "0x" + "5a".repeat(1024))))).containsKey("CHAP_R");
    }

    @Test
    void reflectedChallengeFails() throws Exception {
        for (boolean base64 : new boolean[] {false, true}) {
            SecurityNegotiation n = chap(true, ALL);
            Map<String, String> a = challenge(n, "5");
            byte[] ours = HexFormat.of().parseHex(a.get("CHAP_C").substring(2));
            String back = base64 ? "0b" + Base64.getEncoder().encodeToString(ours) : a.get("CHAP_C");
            fails(() -> n.step(kv("CHAP_N", USER, "CHAP_R", goodResponse(a, SECRET), "CHAP_I", a.get("CHAP_I"),
                    "CHAP_C", back)), "reflection");
        }
    }

    @Test
    void challengesAreFreshAndIdentifiersSpread() throws Exception {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.security.SecureRandom sr = new java.security.SecureRandom();
        for (int i = 0; i < 200; i++) {
            SecurityNegotiation n = new SecurityNegotiation(
                    new AccessDecision.Chap(ChapCredentials.oneWay(USER, SECRET), ALL), sr);
            Map<String, String> a = challenge(n, "5");
            assertThat(seen.add(a.get("CHAP_C"))).isTrue();
            ids.add(a.get("CHAP_I"));
        }
        assertThat(ids.size()).isGreaterThan(100); // 200 draws from 256 values: about 139 distinct expected
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 300)
    void rightSecretPassesAndAnyFlippedBitFails(@ForAll("algorithms") ChapAlgorithm alg,
            @ForAll @Size(min = 12, max = 64) byte[] secret, @ForAll @IntRange(min = 0, max = 4095) int bit)
            throws Exception {
        ChapCredentials creds = new ChapCredentials(new ChapCredential(USER, ChapSecret.of(secret)), null);
        SecurityNegotiation ok = new SecurityNegotiation(new AccessDecision.Chap(creds, ALL), new SplittableRandom(bit));
        Map<String, String> a = challenge(ok, Integer.toString(alg.code()));
        byte[] c = HexFormat.of().parseHex(a.get("CHAP_C").substring(2));
        byte[] r = rfc1994(alg.digestName(), Integer.parseInt(a.get("CHAP_I")), secret, c);
        ok.step(kv("CHAP_N", USER, "CHAP_R", "0x" + HexFormat.of().formatHex(r)));
        assertThat(ok.complete()).isTrue();

        SecurityNegotiation bad = new SecurityNegotiation(new AccessDecision.Chap(creds, ALL), new SplittableRandom(bit));
        challenge(bad, Integer.toString(alg.code()));
        byte[] flipped = r.clone();
        int b = bit % (8 * flipped.length);
        flipped[b / 8] ^= (byte) (1 << (b % 8));
        fails(() -> bad.step(kv("CHAP_N", USER, "CHAP_R", "0x" + HexFormat.of().formatHex(flipped))),
                "wrong CHAP response");
    }

    @Provide
    Arbitrary<ChapAlgorithm> algorithms() {
        return Arbitraries.of(ChapAlgorithm.class);
    }
}
