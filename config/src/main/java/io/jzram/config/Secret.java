package io.jzram.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A CHAP secret from a configuration file: its bytes, and the file they were read from when the
 * file said {@code chap_secret_file} (so that save-config writes the reference back, not the
 * secret). Never shown: {@link #toString()} says {@code (secret)}, and nothing in config puts the
 * bytes into a message. Equality compares the bytes in constant time (and the file reference), so
 * a plan can tell a changed secret without ever printing one.
 */
public final class Secret {
    /** RFC 7143 §12.1.3 asks for at least 96 bits; open-iscsi and LIO take at most 255 bytes. */
    public static final int MIN_BYTES = 12;
    public static final int MAX_BYTES = 255;

    private final byte[] bytes;
    private final Path file;

    private Secret(byte[] bytes, Path file) {
        this.bytes = bytes.clone();
        this.file = file;
    }

    /** A secret written in the file itself. */
    public static Secret of(String text) {
        return new Secret(text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** A secret read from {@code file}. */
    public static Secret fromFile(byte[] bytes, Path file) {
        return new Secret(bytes, Objects.requireNonNull(file, "file"));
    }

    /** A copy of the secret's bytes, for the target's credentials; callers keep it out of messages. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The secret as UTF-8 text, for writing it back into a file with save-config. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The file it came from, or null when the configuration holds it. */
    public Path file() {
        return file;
    }

    public int length() {
        return bytes.length;
    }

    /** Constant-time comparison of the bytes alone (where they came from does not matter). */
    public boolean sameBytes(Secret other) {
        return other != null && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && sameBytes(s) && Objects.equals(file, s.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bytes.length, file); // not of the bytes: a hash is a hint about them
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return file == null ? "(secret)" : "(secret from " + file + ")";
    }
}
