package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.jscsi.parser.login.LoginStatus;

import io.jzram.target.auth.AccessDecision;
import io.jzram.target.auth.AccessPolicy;
import io.jzram.target.auth.AuthenticationFailure;
import io.jzram.target.auth.ChapAlgorithm;
import io.jzram.target.auth.ChapCredentials;
import io.jzram.target.auth.SecurityNegotiation;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the login's text handling: arbitrary request texts (keys from the RFC's vocabulary and
 * beyond, values well-formed, malformed, huge, empty, non-ASCII) and arbitrary bytes go through
 * {@link TextParameters}, {@link LoginNegotiator} and the CHAP state machine, in every stage, with
 * every kind of policy. Nothing may come out but a {@link LoginRejectException} (or, from the
 * parser, a {@link MalformedPduException}, which the login turns into a reject), and no reject may
 * let an initiator through without the authentication its policy asks for.
 */
class LoginFuzzTest {
    static final String SECRET = "fuzz-initiator-secret";
    static final String TARGET_SECRET = "fuzz-target-secret!!";
    static final IscsiServerSettings SETTINGS = IscsiServerSettings.defaults().withTargetName(ServerFixture.IQN);

    record Request(List<TextParameters.Pair> keys, int stage, boolean transit) {}

    record Login(int policy, Set<ChapAlgorithm> algorithms, boolean discovery, List<Request> requests, long seed) {}

    static AccessPolicy policy(int kind, Set<ChapAlgorithm> algs) {
        AccessDecision d = switch (kind) {
            case 0 -> new AccessDecision.Open();
            case 1 -> new AccessDecision.Chap(ChapCredentials.oneWay("fuzz", SECRET), algs);
            case 2 -> new AccessDecision.Chap(ChapCredentials.mutual("fuzz", SECRET, "tgt", TARGET_SECRET), algs);
            default -> new AccessDecision.Denied("fuzz says no");
        };
        return new AccessPolicy() {
            @Override
            public AccessDecision normalSession(String initiatorName, String targetName) {
                return d;
            }

            @Override
            public AccessDecision discoverySession(String initiatorName) {
                return d;
            }
        };
    }

    @Property(tries = 4000)
    void arbitraryKeysNeverThrowAnythingButAReject(@ForAll("logins") Login login) {
        LoginNegotiator n = new LoginNegotiator(SETTINGS, policy(login.policy(), login.algorithms()),
                new SplittableRandom(login.seed()));
        boolean chapRequired = login.policy() == 1 || login.policy() == 2;
        SecurityNegotiation.State deepest = SecurityNegotiation.State.METHOD;
        try {
            TextParameters first = new TextParameters().add("InitiatorName", "iqn.2026-11.io.jzram.test:fuzz");
            if (login.discovery()) {
                first.add("SessionType", "Discovery");
            } else {
                first.add("TargetName", ServerFixture.IQN);
            }
            n.identify(first);
            for (Request r : login.requests()) {
                TextParameters keys = new TextParameters();
                r.keys().forEach(p -> keys.add(p.key(), p.value()));
                deepest = deeper(deepest, n.securityState());
                n.negotiate(keys, r.stage());
                deepest = deeper(deepest, n.securityState());
                n.mayTransit(r.transit());
                if (r.stage() == 1 && chapRequired) {
                    // an operational-stage request got through: only after real authentication,
                    // which random values cannot produce
                    throw new AssertionError("operational stage reached without CHAP: " + n.auth());
                }
            }
            NegotiatedParameters p = n.result();
            assertThat(p.auth()).isNotNull();
        } catch (LoginRejectException e) {
            assertThat(e.status()).isNotNull();
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(TARGET_SECRET);
            if (login.policy() == 3) {
                assertThat(e.status()).isEqualTo(LoginStatus.AUTHORIZATION_FAILURE);
            }
        } finally {
            if (chapRequired) {
                Statistics.label("deepest CHAP state").collect(deepest);
            }
        }
        // the generator must reach every step of the exchange, or this fuzzes nothing deep
        Statistics.label("deepest CHAP state").coverage(c -> {
            c.check(SecurityNegotiation.State.ALGORITHM).percentage(p -> p > 5);
            c.check(SecurityNegotiation.State.RESPONSE).percentage(p -> p > 5);
        });
    }

    /** METHOD < ALGORITHM < RESPONSE; DONE and FAILED are ends, not depth. */
    static SecurityNegotiation.State deeper(SecurityNegotiation.State a, SecurityNegotiation.State b) {
        if (b == null || b == SecurityNegotiation.State.FAILED || b == SecurityNegotiation.State.DONE) {
            return a;
        }
        return b.ordinal() > a.ordinal() ? b : a;
    }

    @Property(tries = 3000)
    void arbitraryBytesNeverThrowAnythingButAReject(@ForAll("texts") byte[] text, @ForAll("kinds") int kind) {
        LoginNegotiator n = new LoginNegotiator(SETTINGS, policy(kind, EnumSet.allOf(ChapAlgorithm.class)),
                new SplittableRandom(7));
        try {
            TextParameters keys = TextParameters.parse(text);
            if (!n.identified()) {
                n.identify(keys);
            }
            n.negotiate(keys, 0);
            n.mayTransit(true);
            n.negotiate(TextParameters.parse(text), 0);
        } catch (LoginRejectException | MalformedPduException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
        }
    }

    @Property(tries = 3000)
    void theChapMachineAloneOnlyFailsWithAuthenticationFailure(@ForAll("steps") List<List<TextParameters.Pair>> steps,
            @ForAll("kinds") int kind) {
        AccessDecision d = kind == 0 ? new AccessDecision.Open()
                : new AccessDecision.Chap(kind == 1 ? ChapCredentials.oneWay("fuzz", SECRET)
                        : ChapCredentials.mutual("fuzz", SECRET, "tgt", TARGET_SECRET), EnumSet.allOf(ChapAlgorithm.class));
        SecurityNegotiation m = new SecurityNegotiation(d, new SplittableRandom(kind));
        SecurityNegotiation.State deepest = SecurityNegotiation.State.METHOD;
        try {
            for (List<TextParameters.Pair> step : steps) {
                deepest = deeper(deepest, m.state());
                List<Map.Entry<String, String>> keys = new ArrayList<>();
                step.stream().filter(p -> SecurityNegotiation.isSecurityKey(p.key()))
                        .forEach(p -> keys.add(Map.entry(p.key(), p.value())));
                for (Map.Entry<String, String> a : m.step(keys)) {
                    assertThat(a.getValue()).doesNotContain(SECRET).doesNotContain(TARGET_SECRET);
                }
            }
            if (kind != 0 && m.complete()) {
                throw new AssertionError("random input authenticated");
            }
            deepest = deeper(deepest, m.state());
        } catch (AuthenticationFailure e) {
            assertThat(e.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
            assertThat(m.state()).isEqualTo(SecurityNegotiation.State.FAILED);
        }
        if (kind != 0) {
            Statistics.label("deepest state").collect(deepest);
        }
        Statistics.label("deepest state").coverage(c -> {
            c.check(SecurityNegotiation.State.ALGORITHM).percentage(p -> p > 5);
            c.check(SecurityNegotiation.State.RESPONSE).percentage(p -> p > 5);
        });
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Integer> kinds() {
        return Arbitraries.integers().between(0, 3);
    }

    static Arbitrary<String> values() {
        Arbitrary<String> known = Arbitraries.of("None", "CHAP", "CHAP,None", "None,CHAP", "SRP,KRB5", "5", "7,5",
                "8,7,6,5", "0x05", "128", "Reject", "NotUnderstood", "", ",", "5,", "Yes", "No", "CRC32C",
                "None,CRC32C", "fuzz", "tgt", "0", "255", "256", "-1", "0x", "0b", "0x00", "0bAA==", "0bAA=", "0xabc",
                "0x" + "00".repeat(16), "0x" + "ab".repeat(20), "0x" + "cd".repeat(32), "0x" + "ef".repeat(1024),
                "0x" + "ef".repeat(1025), "0b" + "A".repeat(24), "0b" + "QUFB".repeat(342), "65536", "16777215",
                "4294967296", "0x" + "f".repeat(30));
        Arbitrary<String> huge = Arbitraries.of("0x" + "41".repeat(9000), "a".repeat(7000));
        return Arbitraries.frequencyOf(Tuple.of(6, known), Tuple.of(1, huge),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(40)),
                Tuple.of(2, Arbitraries.strings().withChars("0123456789abcdefxXbB+/=,").ofMaxLength(80)));
    }

    static Arbitrary<String> keyNames() {
        return Arbitraries.oneOf(
                Arbitraries.of("AuthMethod", "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R", "CHAP_X",
                        "HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength",
                        "ImmediateData", "InitialR2T", "MaxOutstandingR2T", "MaxConnections", "DefaultTime2Wait",
                        "DefaultTime2Retain", "ErrorRecoveryLevel", "DataPDUInOrder", "DataSequenceInOrder",
                        "IFMarker", "OFMarker", "IFMarkInt", "OFMarkInt", "TargetName", "InitiatorName",
                        "InitiatorAlias", "SessionType", "SendTargets", "TargetAlias", "TargetAddress",
                        "TargetPortalGroupTag", "iSCSIProtocolLevel", "TaskReporting", "X-com.example.k"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(12).filter(s -> s.indexOf('=') < 0 && s.indexOf('\0') < 0));
    }

    static TextParameters.Pair pair(String k, String v) {
        return new TextParameters.Pair(k, v);
    }

    /** Any keys at all. */
    static Arbitrary<List<TextParameters.Pair>> randomKeys() {
        return Combinators.combine(keyNames(), values()).as(TextParameters.Pair::new).list().ofMaxSize(6);
    }

    static Arbitrary<List<TextParameters.Pair>> methodStep() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("CHAP,None", "CHAP", "None,CHAP", "SRP,CHAP,None")),
                Tuple.of(2, values())).map(v -> List.of(pair("AuthMethod", v)));
    }

    static Arbitrary<List<TextParameters.Pair>> algorithmStep() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("5", "7,5", "6", "8", "9,5", "0x07")),
                Tuple.of(2, values())).map(v -> List.of(pair("CHAP_A", v)));
    }

    /** CHAP_N and CHAP_R, maybe CHAP_I and CHAP_C, values mostly plausible, sometimes anything. */
    static Arbitrary<List<TextParameters.Pair>> responseStep() {
        Arbitrary<String> r = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("0x" + "00".repeat(16),
                "0x" + "11".repeat(20), "0x" + "22".repeat(32), "0b" + "A".repeat(22) + "==")), Tuple.of(2, values()));
        Arbitrary<String> i = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("0", "1", "255", "0x2a")),
                Tuple.of(1, values()));
        Arbitrary<String> c = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("0x" + "33".repeat(16), "0x01")),
                Tuple.of(1, values()));
        return Combinators.combine(r, i, c, Arbitraries.integers().between(0, 4)).as((rv, iv, cv, shape) -> {
            List<TextParameters.Pair> l = new ArrayList<>();
            l.add(pair("CHAP_N", shape == 4 ? rv : "fuzz"));
            l.add(pair("CHAP_R", rv));
            if (shape == 1 || shape == 3) {
                l.add(pair("CHAP_I", iv));
            }
            if (shape >= 2) {
                l.add(pair("CHAP_C", cv));
            }
            java.util.Collections.rotate(l, shape);
            return l;
        });
    }

    /** One request's keys: a CHAP step or anything. */
    static Arbitrary<List<TextParameters.Pair>> requestKeys() {
        return Arbitraries.oneOf(randomKeys(), methodStep(), algorithmStep(), responseStep());
    }

    /** Request keys in the order of a real exchange, with random requests slipped in. */
    static Arbitrary<List<List<TextParameters.Pair>>> scriptedKeys() {
        return Combinators.combine(methodStep(), algorithmStep(), responseStep(), randomKeys().list().ofMaxSize(2),
                Arbitraries.integers().between(0, 3)).as((m, a, r, extra, at) -> {
                    List<List<TextParameters.Pair>> l = new ArrayList<>(List.of(m, a, r));
                    l.addAll(Math.min(at, l.size()), extra);
                    return l;
                });
    }

    @Provide
    Arbitrary<List<List<TextParameters.Pair>>> steps() {
        return Arbitraries.frequencyOf(Tuple.of(3, scriptedKeys()), Tuple.of(1, requestKeys().list().ofMaxSize(6)));
    }

    @Provide
    Arbitrary<Login> logins() {
        Arbitrary<List<Request>> requests = steps().flatMap(keys -> Combinators.combine(
                Arbitraries.integers().between(0, 9).list().ofSize(keys.size()),
                Arbitraries.of(true, false).list().ofSize(keys.size())).as((stages, transits) -> {
                    List<Request> l = new ArrayList<>();
                    for (int i = 0; i < keys.size(); i++) {
                        l.add(new Request(keys.get(i), stages.get(i) == 0 ? 1 : 0, transits.get(i))); // 1 in 10 at CSG=1
                    }
                    return l;
                }));
        Arbitrary<Set<ChapAlgorithm>> algs = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(EnumSet.allOf(ChapAlgorithm.class))),
                Tuple.of(1, Arbitraries.of(ChapAlgorithm.class).set().ofMinSize(1)));
        return Combinators.combine(kinds(), algs, Arbitraries.of(true, false), requests, Arbitraries.longs())
                .as(Login::new);
    }

    @Provide
    Arbitrary<byte[]> texts() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> structured = requestKeys().list().ofMaxSize(3).map(reqs -> {
            TextParameters t = new TextParameters().add("InitiatorName", "iqn.x:fuzz").add("TargetName", ServerFixture.IQN);
            reqs.forEach(r -> r.forEach(p -> t.add(p.key(), p.value())));
            return t.encode();
        });
        Arbitrary<byte[]> junk = Arbitraries.strings().withChars("=\0abcCHAP_RN0x,").ofMaxLength(100)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(raw, structured, junk);
    }
}
