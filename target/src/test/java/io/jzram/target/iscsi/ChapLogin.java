package io.jzram.target.iscsi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jzram.target.iscsi.testinit.TestInitiator;
import io.jzram.target.iscsi.testinit.TestInitiator.Pdu;

/**
 * The initiator's side of a CHAP login, for tests: drives a {@link TestInitiator} through
 * AuthMethod, CHAP_A, CHAP_N/CHAP_R (and CHAP_I/CHAP_C for mutual CHAP), then the operational stage.
 * Responses are computed here with {@link MessageDigest} from RFC 1994's definition, independently
 * of the target's code.
 */
final class ChapLogin {
    String initiatorName = "iqn.2026-11.io.jzram.test:initiator";
    boolean discovery;
    String authMethods = "CHAP,None";
    String algorithms = "5";
    String user;
    String secret;
    /** Mutual CHAP when set: what we expect the target to prove. */
    String targetUser;
    String targetSecret;
    /** Our mutual challenge (0x-hex); random when null. */
    String mutualChallenge;

    /** What the target answered to CHAP_A (CHAP_A, CHAP_I, CHAP_C). */
    Map<String, String> targetChallenge;
    /** The CHAP_R we sent, and the one the target sent for mutual CHAP. */
    String sentResponse;
    String receivedResponse;

    static ChapLogin oneWay(String user, String secret) {
        ChapLogin l = new ChapLogin();
        l.user = user;
        l.secret = secret;
        return l;
    }

    ChapLogin mutual(String tUser, String tSecret) {
        targetUser = tUser;
        targetSecret = tSecret;
        return this;
    }

    ChapLogin as(String name) {
        initiatorName = name;
        return this;
    }

    Map<String, String> identity() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("InitiatorName", initiatorName);
        k.put("SessionType", discovery ? "Discovery" : "Normal");
        if (!discovery) {
            k.put("TargetName", ServerFixture.IQN);
        }
        return k;
    }

    /** Logs in all the way to full feature phase. */
    void login(TestInitiator ini) throws IOException, InterruptedException {
        security(ini);
        operational(ini, new LinkedHashMap<>());
    }

    /** The security stage, asking to transit with every request as Linux does; fails on any reject. */
    void security(TestInitiator ini) throws IOException, InterruptedException {
        Map<String, String> first = identity();
        first.put("AuthMethod", authMethods);
        Pdu r = ini.loginRound(true, 0, 1, first);
        expectNoTransit(r, "AuthMethod");
        if (!"CHAP".equals(r.text().get("AuthMethod"))) {
            throw new IOException("target chose AuthMethod " + r.text().get("AuthMethod"));
        }
        r = ini.loginRound(false, 0, 1, Map.of("CHAP_A", algorithms));
        expectNoTransit(r, "CHAP_A");
        targetChallenge = r.text();
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("CHAP_N", user);
        sentResponse = "0x" + HexFormat.of().formatHex(response(secret, targetChallenge.get("CHAP_I"),
                targetChallenge.get("CHAP_C")));
        answer.put("CHAP_R", sentResponse);
        String myId = "77";
        String myChallenge = mutualChallenge;
        if (targetUser != null) {
            if (myChallenge == null) {
                byte[] c = new byte[24];
                new java.security.SecureRandom().nextBytes(c);
                myChallenge = "0x" + HexFormat.of().formatHex(c);
            }
            answer.put("CHAP_I", myId);
            answer.put("CHAP_C", myChallenge);
        }
        r = ini.loginRound(true, 0, 1, answer);
        if ((r.flags() & 0x80) == 0 || (r.flags() & 3) != 1) {
            throw new IOException("target did not move to the operational stage after CHAP");
        }
        if (targetUser != null) {
            receivedResponse = r.text().get("CHAP_R");
            if (!targetUser.equals(r.text().get("CHAP_N"))) {
                throw new IOException("target sent CHAP_N " + r.text().get("CHAP_N"));
            }
            byte[] expected = response(targetSecret, myId, myChallenge);
            if (receivedResponse == null || !("0x" + HexFormat.of().formatHex(expected)).equals(receivedResponse)) {
                throw new IOException("target failed mutual CHAP");
            }
        }
    }

    /** The operational stage (CSG=1) to full feature phase, with {@code extra} keys added. */
    static void operational(TestInitiator ini, boolean discovery, Map<String, String> extra)
            throws IOException, InterruptedException {
        Map<String, String> op = new LinkedHashMap<>(extra);
        op.put("HeaderDigest", "None");
        op.put("DataDigest", "None");
        if (discovery) {
            op.put("MaxRecvDataSegmentLength", "262144");
        } else {
            op.putAll(TestInitiator.LoginOptions.defaultOperationalKeys());
        }
        Pdu r = ini.loginRound(true, 1, 3, op);
        if ((r.flags() & 0x80) == 0 || (r.flags() & 3) != 3) {
            throw new IOException("target did not enter full feature phase");
        }
        ini.tsih = r.uint16(14);
        ini.expStatSn = r.int32(24) + 1;
        ini.cmdSn = r.int32(28);
        ini.maxCmdSn = r.int32(32);
        ini.targetMrdsl = 262144;
    }

    void operational(TestInitiator ini, Map<String, String> extra) throws IOException, InterruptedException {
        operational(ini, discovery, extra);
    }

    private static void expectNoTransit(Pdu r, String after) throws IOException {
        if ((r.flags() & 0x80) != 0) {
            throw new IOException("target transited right after " + after + " without authentication");
        }
    }

    /** H(id || secret || challenge) with the digest CHAP_A names; challenge in 0x-hex or 0b-base64. */
    byte[] response(String secretText, String id, String challenge) throws IOException {
        String digest = switch (targetChallenge.get("CHAP_A")) {
            case "5" -> "MD5";
            case "6" -> "SHA-1";
            case "7" -> "SHA-256";
            case "8" -> "SHA3-256";
            default -> throw new IOException("unexpected CHAP_A " + targetChallenge.get("CHAP_A"));
        };
        byte[] c = challenge.startsWith("0b") ? Base64.getDecoder().decode(challenge.substring(2))
                : HexFormat.of().parseHex(challenge.substring(2));
        try {
            MessageDigest md = MessageDigest.getInstance(digest);
            md.update((byte) Integer.parseInt(id));
            md.update(secretText.getBytes(StandardCharsets.UTF_8));
            md.update(c);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
