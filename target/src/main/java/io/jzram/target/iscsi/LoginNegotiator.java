package io.jzram.target.iscsi;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.jscsi.parser.datasegment.OperationalTextKey;
import org.jscsi.parser.login.LoginStatus;

import io.jzram.target.auth.AccessDecision;
import io.jzram.target.auth.AccessPolicy;
import io.jzram.target.auth.AuthenticationFailure;
import io.jzram.target.auth.SecurityNegotiation;

/**
 * The key negotiation of one login (RFC 7143 §6 and §13), without any I/O: the login driver feeds
 * it each complete request text and sends back the text it returns.
 *
 * <p>States: nothing known → identified (after the first request text: InitiatorName, SessionType,
 * TargetName checked, then the {@link AccessPolicy} asked once: a denied initiator fails 02/02) →
 * keys negotiated stage by stage → {@link #result()}. Each key may be offered
 * once per login; a repeat is an initiator error, except that the identity keys (InitiatorName,
 * InitiatorAlias, TargetName, SessionType) may come again with the value they first had, as
 * libiscsi 1.19 sends them after being answered AuthMethod=None. We never start a negotiation ourselves (so the
 * initiator can always finish in the round it wants); we only answer, and declare our own
 * MaxRecvDataSegmentLength once in the operational stage and TargetPortalGroupTag once in the first
 * answer of a normal session.
 *
 * <p>Answers follow each key's result function: min for MaxBurstLength, FirstBurstLength,
 * MaxOutstandingR2T, MaxConnections, DefaultTime2Retain, ErrorRecoveryLevel; max for
 * DefaultTime2Wait; OR for InitialR2T, DataPDUInOrder, DataSequenceInOrder; AND for ImmediateData,
 * IFMarker, OFMarker; lists (the initiator's preference order) for HeaderDigest and DataDigest.
 * Keys that do not apply to a discovery session are answered Irrelevant, unknown keys
 * NotUnderstood, malformed values Reject.
 *
 * <p>Security keys (AuthMethod, CHAP_*) go to a {@link SecurityNegotiation}, which answers them,
 * checks their order and repeats itself, and fails the login 02/01 on any error. An initiator that
 * must authenticate cannot leave the security stage before it has: a request in the operational
 * stage fails 02/01 (the initiator skipped security negotiation), and a request that asks to transit
 * is answered T=0 while its keys move the exchange on, and fails 02/01 when they do not
 * ({@link #mayTransit}).
 *
 * <p>Key names come from jSCSI's {@link OperationalTextKey}; everything else is ours.
 */
final class LoginNegotiator {
    static final String NONE = "None";
    static final String CRC32C = "CRC32C";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final IscsiServerSettings settings;
    private final AccessPolicy policy;
    private final RandomGenerator random;
    private final Set<String> offered = new HashSet<>();
    /** Set by {@link #identify}. */
    private SecurityNegotiation security;
    /** Whether the last request text carried security keys (and so moved the exchange on). */
    private boolean securityProgress;

    private boolean identified;
    private boolean discovery;
    private String initiatorName;
    private String initiatorAlias;
    private String targetName;
    private String sessionType;
    private boolean declaredMrdsl;
    private boolean sentTpgt;

    // Results, starting at the RFC defaults
    private boolean headerDigest;
    private boolean dataDigest;
    private int initiatorMrdsl = 8192;
    private int maxBurstLength = 262144;
    private int firstBurstLength = 65536;
    private boolean immediateData = true;
    private boolean initialR2t = true;
    private int maxOutstandingR2t = 1;
    private int maxConnections = 1;
    private int time2Wait = 2;
    private int time2Retain = 20;
    private int errorRecoveryLevel = 0;

    LoginNegotiator(IscsiServerSettings settings) {
        this(settings, AccessPolicy.OPEN, RANDOM);
    }

    /** @param random source of CHAP challenges: a SecureRandom outside tests */
    LoginNegotiator(IscsiServerSettings settings, AccessPolicy policy, RandomGenerator random) {
        this.settings = settings;
        this.policy = policy;
        this.random = random;
    }

    LoginNegotiator(IscsiServerSettings settings, AccessPolicy policy) {
        this(settings, policy, RANDOM);
    }

    boolean identified() {
        return identified;
    }

    boolean discovery() {
        return discovery;
    }

    String initiatorName() {
        return initiatorName;
    }

    /**
     * Checks the identity keys of the first request text.
     *
     * @throws LoginRejectException 02/07 without InitiatorName (or TargetName in a normal session),
     *     02/03 for a target we do not have, 02/09 for an unknown SessionType, 02/02 for an
     *     initiator the access policy does not allow, 03/00 when the policy itself fails
     */
    void identify(TextParameters keys) throws LoginRejectException {
        initiatorName = keys.get(OperationalTextKey.INITIATOR_NAME.value());
        if (initiatorName == null || initiatorName.isEmpty()) {
            throw new LoginRejectException(LoginStatus.MISSING_PARAMETER, "no InitiatorName");
        }
        initiatorAlias = keys.get(OperationalTextKey.INITIATOR_ALIAS.value());
        String type = keys.get(OperationalTextKey.SESSION_TYPE.value());
        sessionType = type;
        if (type == null || type.equals("Normal")) {
            discovery = false;
        } else if (type.equals("Discovery")) {
            discovery = true;
        } else {
            throw new LoginRejectException(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType " + type);
        }
        targetName = keys.get(OperationalTextKey.TARGET_NAME.value());
        if (!discovery) {
            if (targetName == null || targetName.isEmpty()) {
                throw new LoginRejectException(LoginStatus.MISSING_PARAMETER, "no TargetName in a normal session");
            }
            if (!targetName.equals(settings.targetName())) {
                throw new LoginRejectException(LoginStatus.NOT_FOUND, "no target " + targetName);
            }
        }
        AccessDecision decision;
        try {
            decision = discovery ? policy.discoverySession(initiatorName) : policy.normalSession(initiatorName, targetName);
        } catch (RuntimeException e) {
            // a broken policy ends this login only: 03/00
            throw new LoginRejectException(LoginStatus.TARGET_ERROR, "access policy failed: " + e);
        }
        if (decision instanceof AccessDecision.Denied d) {
            throw new LoginRejectException(LoginStatus.AUTHORIZATION_FAILURE, d.reason()); // ends the login: 02/02
        }
        if (decision == null) {
            throw new LoginRejectException(LoginStatus.TARGET_ERROR, "access policy gave no decision"); // 03/00
        }
        security = new SecurityNegotiation(decision, random);
        identified = true;
    }

    /**
     * Answers one complete request text received in {@code stage} (0 security, 1 operational).
     *
     * @throws LoginRejectException 02/00 for a key offered twice, 02/01 for any failure of the
     *     security negotiation and for an operational-stage request before authentication finished
     */
    TextParameters negotiate(TextParameters keys, int stage) throws LoginRejectException {
        if (security == null) {
            throw new IllegalStateException("negotiate before identify");
        }
        if (stage != 0 && !security.complete()) {
            // the initiator skipped (or left) the security stage without authenticating: 02/01
            throw new LoginRejectException(LoginStatus.AUTHENTICATION_FAILURE,
                    "security negotiation skipped by an initiator that must authenticate");
        }
        TextParameters answer = new TextParameters();
        if (!discovery && !sentTpgt) {
            answer.add(OperationalTextKey.TARGET_PORTAL_GROUP_TAG.value(), Integer.toString(settings.portalGroupTag()));
            sentTpgt = true;
        }
        List<Map.Entry<String, String>> securityKeys = new ArrayList<>();
        for (TextParameters.Pair p : keys.pairs()) {
            if (SecurityNegotiation.isSecurityKey(p.key())) {
                securityKeys.add(Map.entry(p.key(), p.value()));
            }
        }
        securityProgress = !securityKeys.isEmpty();
        try {
            for (Map.Entry<String, String> a : security.step(securityKeys)) {
                answer.add(a.getKey(), a.getValue());
            }
        } catch (AuthenticationFailure f) {
            throw new LoginRejectException(f.status(), f.getMessage()); // ends the login: 02/01
        }
        // MaxBurstLength first, so the FirstBurstLength answer never exceeds it
        String mbl = keys.get(OperationalTextKey.MAX_BURST_LENGTH.value());
        for (TextParameters.Pair p : keys.pairs()) {
            String k = p.key();
            String v = p.value();
            if (SecurityNegotiation.isSecurityKey(k)) {
                continue; // answered above; the security negotiation checks their repeats itself
            }
            if (!offered.add(k)) {
                if (v.equals(identity(k))) {
                    // libiscsi 1.19, having offered AuthMethod=CHAP,None and been answered None,
                    // sends InitiatorName, SessionType and TargetName again in its next request:
                    // the same declaration again is harmless, and tolerated
                    continue;
                }
                throw new LoginRejectException(LoginStatus.INITIATOR_ERROR, "key offered twice: " + k);
            }
            switch (k) {
                case "InitiatorName", "InitiatorAlias", "SessionType" -> { } // declarative
                case "TargetName" -> {
                    if (identified && !discovery && !v.equals(settings.targetName())) {
                        throw new LoginRejectException(LoginStatus.NOT_FOUND, "no target " + v);
                    }
                }
                case "HeaderDigest" -> {
                    String pick = pickDigest(v);
                    answer.add(k, pick == null ? "Reject" : pick);
                    headerDigest = CRC32C.equals(pick);
                }
                case "DataDigest" -> {
                    String pick = pickDigest(v);
                    answer.add(k, pick == null ? "Reject" : pick);
                    dataDigest = CRC32C.equals(pick);
                }
                case "MaxRecvDataSegmentLength" -> {
                    // declarative: an unusable value leaves the default (8192); our own declaration
                    // below is the only answer with this key
                    Integer n = number(v, 512, IscsiServerSettings.MAX_24BIT);
                    if (n != null) {
                        initiatorMrdsl = n;
                    }
                }
                case "MaxConnections" -> numeric(answer, k, v, 1, 65535, 1, n -> maxConnections = n);
                case "ErrorRecoveryLevel" -> numeric(answer, k, v, 0, 2, 0, n -> errorRecoveryLevel = n);
                case "DefaultTime2Wait" -> {
                    Integer n = number(v, 0, 3600);
                    if (n == null) {
                        answer.add(k, "Reject");
                    } else {
                        time2Wait = Math.max(n, 2);
                        answer.add(k, Integer.toString(time2Wait));
                    }
                }
                case "DefaultTime2Retain" -> numeric(answer, k, v, 0, 3600, 0, n -> time2Retain = n);
                case "MaxBurstLength" -> numeric(answer, k, v, 512, IscsiServerSettings.MAX_24BIT,
                        settings.maxBurstLength(), n -> maxBurstLength = n);
                case "FirstBurstLength" -> {
                    int cap = settings.firstBurstLength();
                    Integer offeredMbl = mbl == null ? null : number(mbl, 512, IscsiServerSettings.MAX_24BIT);
                    cap = Math.min(cap, Math.min(settings.maxBurstLength(), offeredMbl == null ? maxBurstLength : offeredMbl));
                    numeric(answer, k, v, 512, IscsiServerSettings.MAX_24BIT, cap, n -> firstBurstLength = n);
                }
                case "MaxOutstandingR2T" -> numeric(answer, k, v, 1, 65535, settings.maxOutstandingR2t(),
                        n -> maxOutstandingR2t = n);
                case "InitialR2T" -> bool(answer, k, v, settings.initialR2t(), true, b -> initialR2t = b);
                case "ImmediateData" -> bool(answer, k, v, settings.immediateData(), false, b -> immediateData = b);
                case "DataPDUInOrder", "DataSequenceInOrder" -> bool(answer, k, v, true, true, b -> { });
                case "IFMarker", "OFMarker" -> bool(answer, k, v, false, false, b -> { });
                case "IFMarkInt", "OFMarkInt" -> answer.add(k, "Irrelevant");
                case "iSCSIProtocolLevel" -> numeric(answer, k, v, 0, 31, 1, n -> { });
                case "TaskReporting" -> answer.add(k, "RFC3720");
                case "SendTargets", "TargetAlias", "TargetAddress", "TargetPortalGroupTag" -> answer.add(k, "Irrelevant");
                default -> answer.add(k, "NotUnderstood");
            }
        }
        if (stage == 1 && !declaredMrdsl) {
            answer.add(OperationalTextKey.MAX_RECV_DATA_SEGMENT_LENGTH.value(),
                    Integer.toString(settings.maxRecvDataSegmentLength()));
            declaredMrdsl = true;
        }
        return answer;
    }

    /** The value the first request declared for an identity key, or null for any other key. */
    private String identity(String key) {
        return switch (key) {
            case "InitiatorName" -> initiatorName;
            case "InitiatorAlias" -> initiatorAlias;
            case "TargetName" -> targetName;
            case "SessionType" -> sessionType;
            default -> null;
        };
    }

    private boolean irrelevantForDiscovery(String key) {
        return switch (key) {
            case "MaxConnections", "InitialR2T", "ImmediateData", "MaxBurstLength", "FirstBurstLength",
                    "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder" -> true;
            default -> false;
        };
    }

    private void numeric(TextParameters answer, String k, String v, int min, int max, int ours,
            java.util.function.IntConsumer result) {
        if (discovery && irrelevantForDiscovery(k)) {
            answer.add(k, "Irrelevant");
            return;
        }
        Integer n = number(v, min, max);
        if (n == null) {
            answer.add(k, "Reject");
            return;
        }
        int r = Math.min(n, ours); // every numeric key here uses min; DefaultTime2Wait (max) is handled inline
        result.accept(r);
        answer.add(k, Integer.toString(r));
    }

    private void bool(TextParameters answer, String k, String v, boolean ours, boolean or,
            java.util.function.Consumer<Boolean> result) {
        if (discovery && irrelevantForDiscovery(k)) {
            answer.add(k, "Irrelevant");
            return;
        }
        boolean theirs;
        if (v.equals("Yes")) {
            theirs = true;
        } else if (v.equals("No")) {
            theirs = false;
        } else {
            answer.add(k, "Reject");
            return;
        }
        boolean r = or ? (theirs || ours) : (theirs && ours);
        result.accept(r);
        answer.add(k, r ? "Yes" : "No");
    }

    private String pickDigest(String list) {
        for (String s : list.split(",")) {
            String d = s.trim();
            if (d.equals(NONE)) {
                return NONE;
            }
            if (d.equals(CRC32C) && settings.crc32c()) {
                return CRC32C;
            }
        }
        return null;
    }

    static Integer number(String v, int min, int max) {
        try {
            long n;
            if (v.startsWith("0x") || v.startsWith("0X")) {
                n = Long.parseLong(v.substring(2), 16);
            } else {
                n = Long.parseLong(v);
            }
            if (n < min || n > max) {
                return null;
            }
            return (int) n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Whether the answer to a request that asked to transit ({@code requested}) may carry T=1:
     * always once authentication is complete (or not required); while it is not, T=0 if the
     * request moved the exchange on (the initiator will go on with it), else the initiator wants to
     * leave with nothing more to prove.
     *
     * @throws LoginRejectException 02/01 for a transit request that neither completes nor continues
     *     authentication
     */
    boolean mayTransit(boolean requested) throws LoginRejectException {
        if (!requested || security.complete()) {
            return requested;
        }
        if (securityProgress) {
            return false;
        }
        // ends the login: 02/01
        throw new LoginRejectException(LoginStatus.AUTHENTICATION_FAILURE, "transit asked before authentication finished");
    }

    /** Where the security negotiation stands (tests), null before {@link #identify}. */
    SecurityNegotiation.State securityState() {
        return security == null ? null : security.state();
    }

    /** "None", "CHAP/MD5", "CHAP/SHA-256 mutual", once the login is complete. */
    String auth() {
        return security == null ? SecurityNegotiation.NONE : security.summary();
    }

    NegotiatedParameters result() {
        int fbl = Math.min(firstBurstLength, maxBurstLength);
        return new NegotiatedParameters(discovery, initiatorName, initiatorAlias, targetName, headerDigest, dataDigest,
                initiatorMrdsl, settings.maxRecvDataSegmentLength(), maxBurstLength, fbl, immediateData, initialR2t,
                maxOutstandingR2t, maxConnections, time2Wait, time2Retain, errorRecoveryLevel, auth());
    }
}
