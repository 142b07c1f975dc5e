package io.jzram.target.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

import org.jscsi.parser.login.LoginStatus;

/**
 * The target's side of a login's security negotiation (RFC 7143 §6.3 and §12): AuthMethod, then
 * CHAP (§12.1.3 and RFC 1994) when it is chosen, as a state machine without I/O. The login code
 * hands it the security keys ({@link #isSecurityKey}) of each complete request text and sends what
 * it answers; it knows nothing about PDUs, stages or sockets. Why without I/O: every path through
 * it, the hostile ones above all, can then be driven key by key by unit, property and fuzz tests,
 * and the login code keeps one job (framing, stages, rejects).
 *
 * <pre>
 *             AuthMethod: None chosen
 *   METHOD ────────────────────────────────────────────────┐
 *     │ AuthMethod: CHAP chosen (answer AuthMethod=CHAP)   │
 *     ▼                                                     ▼
 *   ALGORITHM ── CHAP_A ──► RESPONSE ── CHAP_N, CHAP_R ──► DONE
 *                (answer      (verify; for mutual CHAP, CHAP_I and CHAP_C too,
 *                 CHAP_A,      answered with our CHAP_N and CHAP_R)
 *                 CHAP_I,
 *                 CHAP_C)
 *   any state ── anything out of place ──► FAILED (every later call fails again)
 * </pre>
 *
 * <p><b>What we accept.</b> The {@link AccessDecision} says it: {@code Open} accepts only None,
 * {@code Chap} only CHAP, so a login that must authenticate can never negotiate its way out of it.
 * Among the values the initiator lists we take the first we accept, in the initiator's order (its
 * preference, RFC 7143 §6.2), for AuthMethod as for CHAP_A; none acceptable fails the login (RFC
 * 7143 §12.1.3 lets the target answer "Authentication Failure" there).
 *
 * <p><b>The challenge.</b> CHAP_I is a uniformly random byte; CHAP_C is
 * {@link ChapAlgorithm#challengeLength()} random bytes (at least 16), both from the generator given
 * to the constructor, which in a server is a {@link java.security.SecureRandom}: a predictable
 * challenge would let a response recorded once be replayed.
 *
 * <p><b>The response.</b> CHAP_R must decode (hex or base64) to exactly the digest length, checked
 * before anything is compared; the user name (CHAP_N) and the response are compared in constant
 * time, both always, so that timing says nothing about which of the two was wrong. Only after the
 * initiator has proven itself do we answer a mutual challenge: an unauthenticated peer can never
 * use us to compute responses to challenges of its choosing. A mutual challenge equal to ours is a
 * reflection attempt (send our challenge back to get us to compute the response it owes us) and
 * fails (RFC 7143 §9.2.1), as does a mutual challenge when we have no credential to answer it with.
 * Mutual CHAP is the initiator's choice: when we have a target credential but the initiator does
 * not ask, the login goes on one-way (the initiator is the party mutual CHAP protects; a target
 * cannot enforce it).
 *
 * <p><b>Order.</b> Each key comes once, in its step: a key of a later or earlier step, a key
 * repeated (in one request or across requests), CHAP_N without CHAP_R (or the reverse), CHAP_I
 * without CHAP_C (or the reverse), any security key after DONE: all fail. A request with no security
 * key changes nothing (the login code decides whether the initiator may leave the stage: only once
 * {@link #complete()}).
 *
 * <p><b>Invariants.</b> With a {@code Chap} decision, DONE is reached only through a response that
 * verified against the initiator's secret, for the identifier and challenge we drew. The identifier,
 * challenge and algorithm are set once, when CHAP_A is answered, and never change. FAILED is
 * terminal. A secret never leaves {@link ChapSecret} except into a {@link java.security.MessageDigest}.
 *
 * <p><b>Failures</b> are {@link AuthenticationFailure}s with 02/01 AUTHENTICATION FAILURE; their
 * message is the reason for the log ("wrong CHAP response", "unknown CHAP user ...") and never holds a
 * secret, a response or a challenge; values the initiator sent are echoed only for keys that carry
 * no proof (AuthMethod, CHAP_A, CHAP_N, CHAP_I), shortened and with control characters replaced.
 * Whatever the initiator sends, nothing else is thrown (the fuzz tests feed it arbitrary text); the
 * one IllegalArgumentException is for a caller that passes a key that is not a security key.
 *
 * <p>Not thread-safe: one instance per login, used by that connection's reader thread.
 */
public final class SecurityNegotiation {
    public static final String AUTH_METHOD = "AuthMethod";
    public static final String CHAP_A = "CHAP_A";
    public static final String CHAP_I = "CHAP_I";
    public static final String CHAP_C = "CHAP_C";
    public static final String CHAP_N = "CHAP_N";
    public static final String CHAP_R = "CHAP_R";
    public static final String NONE = "None";
    public static final String CHAP = "CHAP";

    /** Where the exchange stands. */
    public enum State { METHOD, ALGORITHM, RESPONSE, DONE, FAILED }

    private final AccessDecision decision;
    private final RandomGenerator random;
    private State state = State.METHOD;
    private ChapAlgorithm algorithm;
    private int identifier;
    private byte[] challenge;
    private boolean mutual;

    /**
     * @param decision {@link AccessDecision.Open} or {@link AccessDecision.Chap} (a denied login
     *     never gets this far)
     * @param random source of CHAP_I and CHAP_C: a SecureRandom outside tests
     */
    public SecurityNegotiation(AccessDecision decision, RandomGenerator random) {
        if (!(decision instanceof AccessDecision.Open) && !(decision instanceof AccessDecision.Chap)) {
            throw new IllegalArgumentException("no negotiation for " + decision);
        }
        this.decision = decision;
        this.random = random;
    }

    /** The keys this class answers; every other key is the login code's. */
    public static boolean isSecurityKey(String key) {
        return switch (key) {
            case AUTH_METHOD, CHAP_A, CHAP_I, CHAP_C, CHAP_N, CHAP_R -> true;
            default -> false;
        };
    }

    public State state() {
        return state;
    }

    /** Whether the login may leave the security stage: authenticated, or no authentication required. */
    public boolean complete() {
        return state == State.DONE || (state == State.METHOD && decision instanceof AccessDecision.Open);
    }

    /** For session listings: "None", "CHAP/MD5", "CHAP/SHA-256 mutual". Meaningful once {@link #complete()}. */
    public String summary() {
        if (algorithm == null || state != State.DONE) {
            return NONE;
        }
        return CHAP + "/" + algorithm.digestName() + (mutual ? " mutual" : "");
    }

    /** The algorithm chosen, once CHAP_A has been answered. */
    public Optional<ChapAlgorithm> algorithm() {
        return Optional.ofNullable(algorithm);
    }

    /**
     * Takes the security keys of one complete request text, in order, and returns the answer.
     *
     * @param keys (key, value) pairs, all {@link #isSecurityKey security keys}
     * @return the keys to answer, in order (empty when {@code keys} is)
     * @throws AuthenticationFailure 02/01 for anything out of order, malformed or wrong
     */
    public List<Map.Entry<String, String>> step(List<Map.Entry<String, String>> keys) throws AuthenticationFailure {
        if (state == State.FAILED) {
            throw fail("security negotiation already failed"); // ends the login like the first failure
        }
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, String> byName = new HashMap<>();
        for (Map.Entry<String, String> k : keys) {
            if (!isSecurityKey(k.getKey())) {
                throw new IllegalArgumentException("not a security key: " + k.getKey()); // caller's bug
            }
            if (byName.putIfAbsent(k.getKey(), k.getValue()) != null) {
                throw fail(k.getKey() + " offered twice"); // ends the login: 02/01
            }
        }
        return switch (state) {
            case METHOD -> method(byName);
            case ALGORITHM -> algorithm(byName);
            case RESPONSE -> response(byName);
            // DONE: the exchange is over; any security key now is a repeat or out of place: 02/01
            default -> throw fail(String.join(", ", byName.keySet()) + " after the security negotiation finished");
        };
    }

    private List<Map.Entry<String, String>> method(Map<String, String> keys) throws AuthenticationFailure {
        String offer = keys.get(AUTH_METHOD);
        if (offer == null || keys.size() > 1) {
            throw fail(chapKeys(keys) + " before AuthMethod chose CHAP"); // ends the login: 02/01
        }
        String accepted = decision instanceof AccessDecision.Chap ? CHAP : NONE;
        for (String m : offer.split(",", -1)) {
            if (m.equals(accepted)) {
                state = accepted.equals(CHAP) ? State.ALGORITHM : State.DONE;
                return List.of(Map.entry(AUTH_METHOD, accepted));
            }
        }
        // nothing we accept: the initiator offered no CHAP when it must authenticate, or only CHAP
        // when we hold no secret for it; ends the login: 02/01
        throw fail("AuthMethod " + shown(offer) + " offers no " + accepted);
    }

    private List<Map.Entry<String, String>> algorithm(Map<String, String> keys) throws AuthenticationFailure {
        String offer = keys.get(CHAP_A);
        if (offer == null || keys.size() > 1) {
            throw fail(otherKeys(keys, CHAP_A) + " where CHAP_A alone was expected"); // ends the login: 02/01
        }
        AccessDecision.Chap chap = (AccessDecision.Chap) decision;
        for (String a : offer.split(",", -1)) {
            OptionalInt code = ChapValues.decodeNumber(a, 255);
            if (code.isEmpty()) {
                continue; // not a number we could know: skip it, as a list negotiation skips unknown values
            }
            Optional<ChapAlgorithm> alg = ChapAlgorithm.ofCode(code.getAsInt());
            if (alg.isPresent() && chap.algorithms().contains(alg.get())) {
                algorithm = alg.get();
                identifier = random.nextInt(256);
                challenge = new byte[algorithm.challengeLength()];
                random.nextBytes(challenge);
                state = State.RESPONSE;
                return List.of(Map.entry(CHAP_A, Integer.toString(algorithm.code())),
                        Map.entry(CHAP_I, Integer.toString(identifier)),
                        Map.entry(CHAP_C, ChapValues.encodeHex(challenge)));
            }
        }
        throw fail("no CHAP algorithm in common: initiator offers CHAP_A=" + shown(offer)); // ends the login: 02/01
    }

    private List<Map.Entry<String, String>> response(Map<String, String> keys) throws AuthenticationFailure {
        for (String k : keys.keySet()) {
            if (k.equals(AUTH_METHOD) || k.equals(CHAP_A)) {
                throw fail(k + " after CHAP_A was answered"); // ends the login: 02/01
            }
        }
        String name = keys.get(CHAP_N);
        String r = keys.get(CHAP_R);
        if (name == null || r == null) {
            throw fail("CHAP_N and CHAP_R must come together"); // ends the login: 02/01
        }
        String i2 = keys.get(CHAP_I);
        String c2 = keys.get(CHAP_C);
        if ((i2 == null) != (c2 == null)) {
            throw fail("CHAP_I and CHAP_C must come together"); // ends the login: 02/01
        }
        if (!ChapValues.validText(name)) {
            throw fail("malformed CHAP_N (empty, NUL or over 255 bytes)"); // ends the login: 02/01
        }
        Optional<byte[]> received = ChapValues.decodeBinary(r, ChapValues.MAX_BINARY_BYTES);
        if (received.isEmpty()) {
            // ends the login: 02/01 (its value is never shown)
            throw fail("malformed CHAP_R (not hex or base64 of 1 to " + ChapValues.MAX_BINARY_BYTES + " bytes)");
        }
        if (received.get().length != algorithm.digestLength()) {
            throw fail("CHAP_R of " + received.get().length + " bytes where " + algorithm.digestName() + " has "
                    + algorithm.digestLength()); // ends the login: 02/01
        }
        ChapCredentials creds = ((AccessDecision.Chap) decision).credentials();
        boolean userOk = creds.initiator().userIs(name);
        byte[] expected = algorithm.response(identifier, creds.initiator().secret(), challenge);
        boolean responseOk = java.security.MessageDigest.isEqual(expected, received.get());
        if (!userOk) {
            throw fail("unknown CHAP user " + shown(name)); // ends the login: 02/01
        }
        if (!responseOk) {
            throw fail("wrong CHAP response for user " + shown(name)); // ends the login: 02/01
        }
        if (i2 == null) {
            state = State.DONE;
            return List.of();
        }
        // the initiator asks us to prove ourselves (mutual CHAP); it has proven itself above
        if (creds.target() == null) {
            throw fail("mutual CHAP asked, but no target credential is configured for it"); // ends the login: 02/01
        }
        OptionalInt id2 = ChapValues.decodeNumber(i2, 255);
        if (id2.isEmpty()) {
            throw fail("malformed CHAP_I " + shown(i2)); // ends the login: 02/01
        }
        Optional<byte[]> theirChallenge = ChapValues.decodeBinary(c2, ChapValues.MAX_BINARY_BYTES);
        if (theirChallenge.isEmpty()) {
            // ends the login: 02/01
            throw fail("malformed CHAP_C (not hex or base64 of 1 to " + ChapValues.MAX_BINARY_BYTES + " bytes)");
        }
        if (Arrays.equals(theirChallenge.get(), challenge)) {
            throw fail("the initiator's CHAP_C repeats ours (reflection)"); // ends the login: 02/01
        }
        byte[] ours = algorithm.response(id2.getAsInt(), creds.target().secret(), theirChallenge.get());
        mutual = true;
        state = State.DONE;
        return List.of(Map.entry(CHAP_N, creds.target().user()), Map.entry(CHAP_R, ChapValues.encodeHex(ours)));
    }

    private AuthenticationFailure fail(String reason) {
        state = State.FAILED;
        return new AuthenticationFailure(LoginStatus.AUTHENTICATION_FAILURE, reason);
    }

    private static String chapKeys(Map<String, String> keys) {
        return otherKeys(keys, AUTH_METHOD);
    }

    private static String otherKeys(Map<String, String> keys, String expected) {
        List<String> others = new ArrayList<>();
        for (String k : keys.keySet()) {
            if (!k.equals(expected)) {
                others.add(k);
            }
        }
        others.sort(null);
        return others.isEmpty() ? "no " + expected : String.join(", ", others);
    }

    private static String shown(String v) {
        return ChapValues.printable(v);
    }
}
