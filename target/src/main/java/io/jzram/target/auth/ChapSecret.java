package io.jzram.target.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A CHAP secret: 12 to 255 bytes, held privately and never shown.
 *
 * <p>Bounds. RFC 7143 §9.2.1 (CHAP Considerations) says an implementation SHOULD NOT send a CHAP
 * response unless it can verify that the secret is at least 96 bits (12 bytes) or that IPsec
 * protects the connection, and that with less than 96 random bits the administrator MUST enforce
 * IPsec; we have no IPsec, so 12 bytes is the floor. 255 is the ceiling: open-iscsi and LIO keep
 * secrets in buffers of 256 bytes with the terminating NUL, so a longer one could not be configured
 * on the other side anyway. A secret given as text is its UTF-8 bytes, as those initiators hash it.
 *
 * <p>Secrecy. {@link #toString()} says only that a secret is there, {@link #hashCode()} is the
 * same for every secret (no function of the bytes ever leaves the object) and {@link #equals} and
 * {@link #sameAs} compare in constant time ({@link MessageDigest#isEqual}). Messages of the
 * exceptions thrown here never contain the value, nor its length.
 */
public final class ChapSecret {
    public static final int MIN_BYTES = 12;
    public static final int MAX_BYTES = 255;

    private final byte[] bytes;

    private ChapSecret(byte[] bytes) {
        if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
            // ends the configuration step that built this secret; the value stays out of the message
            throw new IllegalArgumentException("a CHAP secret must be " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes long (RFC 7143 §9.2.1 asks for at least 96 bits)");
        }
        this.bytes = bytes;
    }

    /** The secret's UTF-8 bytes. */
    public static ChapSecret of(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("no CHAP secret");
        }
        return new ChapSecret(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A binary secret (copied). */
    public static ChapSecret of(byte[] secret) {
        if (secret == null) {
            throw new IllegalArgumentException("no CHAP secret");
        }
        return new ChapSecret(secret.clone());
    }

    /** Adds the secret's bytes to a digest (the only way they leave this object). */
    void feed(MessageDigest md) {
        md.update(bytes);
    }

    /** Constant-time comparison (for secrets of the same length). */
    public boolean sameAs(ChapSecret other) {
        return other != null && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChapSecret s && sameAs(s);
    }

    /** The same for every secret: a hash of the bytes would be a function of the secret. */
    @Override
    public int hashCode() {
        return 0x43484150; // "CHAP"
    }

    @Override
    public String toString() {
        return "ChapSecret[hidden]";
    }
}
