package io.jzram.target.auth;

import java.nio.charset.StandardCharsets;

/**
 * One side's CHAP identity: the name it sends as {@code CHAP_N} and the secret it proves with.
 * {@link #toString()} shows the user, never the secret.
 *
 * @param user 1..255 bytes of UTF-8, no NUL (RFC 7143 §6.1: a text value)
 * @param secret see {@link ChapSecret}
 */
public record ChapCredential(String user, ChapSecret secret) {
    public ChapCredential {
        if (!ChapValues.validText(user)) {
            // ends building this entry; the user name is not secret, but may be long: not echoed
            throw new IllegalArgumentException("a CHAP user name must be 1 to 255 bytes of UTF-8 without NUL");
        }
        if (secret == null) {
            throw new IllegalArgumentException("CHAP user " + user + " has no secret");
        }
    }

    public static ChapCredential of(String user, String secret) {
        return new ChapCredential(user, ChapSecret.of(secret));
    }

    boolean userIs(String name) {
        // names are not secret, but compare them the same way as secrets: one rule for both
        return java.security.MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8),
                name.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ChapCredential[user=" + user + ", secret=hidden]";
    }
}
