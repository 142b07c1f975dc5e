package io.jzram.target.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The CHAP hash functions an iSCSI login may choose with {@code CHAP_A} (RFC 7143 §12.1.3), by the
 * numbers Linux open-iscsi and LIO use: 5 MD5 (the one RFC 7143 requires every implementation to
 * support), 6 SHA-1, 7 SHA-256, 8 SHA3-256.
 *
 * <p>The response is RFC 1994's: {@code H(identifier || secret || challenge)}, the identifier as
 * one byte, the secret and challenge as their bytes; its length is the digest's.
 */
public enum ChapAlgorithm {
    MD5(5, "MD5", 16),
    SHA1(6, "SHA-1", 20),
    SHA256(7, "SHA-256", 32),
    SHA3_256(8, "SHA3-256", 32);

    private final int code;
    private final String digestName;
    private final int digestLength;

    ChapAlgorithm(int code, String digestName, int digestLength) {
        this.code = code;
        this.digestName = digestName;
        this.digestLength = digestLength;
    }

    /** The {@code CHAP_A} value. */
    public int code() {
        return code;
    }

    /** The {@link MessageDigest} algorithm name, also how sessions show it ("CHAP/SHA-256"). */
    public String digestName() {
        return digestName;
    }

    /** Bytes in a response ({@code CHAP_R}). */
    public int digestLength() {
        return digestLength;
    }

    /**
     * Bytes of challenge we send with this algorithm: the digest length, at least 16. Sixteen
     * random bytes (128 bits) make a repeated challenge, which would let a recorded response be
     * replayed, negligible (birthday bound near 2^64 logins); matching a longer digest gives the
     * challenge as many bits as the response can carry, and more would add nothing against an
     * offline guess of the secret. Every initiator we know accepts up to RFC 7143's 1024 bytes.
     */
    public int challengeLength() {
        return Math.max(digestLength, 16);
    }

    /** The algorithm with this {@code CHAP_A} number, if we know it. */
    public static Optional<ChapAlgorithm> ofCode(int code) {
        for (ChapAlgorithm a : values()) {
            if (a.code == code) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code H(identifier || secret || challenge)} (RFC 1994 §4.1).
     *
     * @param identifier 0..255
     */
    public byte[] response(int identifier, ChapSecret secret, byte[] challenge) {
        if (identifier < 0 || identifier > 255) {
            throw new IllegalArgumentException("CHAP identifier " + identifier + " not in 0..255");
        }
        MessageDigest md = newDigest();
        md.update((byte) identifier);
        secret.feed(md);
        md.update(challenge);
        return md.digest();
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(digestName);
        } catch (NoSuchAlgorithmException e) {
            // every Java SE runtime must provide MD5, SHA-1, SHA-256 and SHA3-256
            throw new IllegalStateException("the JDK has no " + digestName, e);
        }
    }
}
