package io.jzram.target.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The text forms of CHAP values (RFC 7143 §6.1 and §12.1.3), decoded strictly: every decoder
 * answers "malformed" (an empty Optional) rather than throwing, whatever the input, and checks
 * lengths before it decodes anything, so a value can never grow past its limit (LIO's
 * CVE-2018-14633 was an oversized CHAP_R decoded into a fixed buffer).
 *
 * <ul>
 * <li>binary-value ({@code CHAP_C}, {@code CHAP_R}): {@code 0x}/{@code 0X} and hex digits of
 * either case, or {@code 0b}/{@code 0B} and base64 (RFC 4648, padded). At most 1024 bytes once
 * decoded (RFC 7143 §12.1.3), never empty. Refused: an odd number of hex digits (RFC 7143 §6.1
 * would read it as having an implicit leading zero nibble; no initiator sends one, and a response
 * or challenge is whole bytes, so we take it as damage), base64 whose length is not a multiple of
 * 4, misplaced or missing padding, and non-canonical base64 (pad bits not zero).
 * <li>numerical-value ({@code CHAP_I}, the items of {@code CHAP_A}): a decimal-constant (no leading
 * zero, except "0" itself) or a hex-constant, ASCII digits only, within the caller's maximum.
 * <li>text ({@code CHAP_N}): at most 255 bytes of UTF-8 (RFC 7143 §6.1's limit for a value whose
 * key says nothing else), not empty.
 * </ul>
 * We send binary values as lower-case hex with {@code 0x} and numbers in decimal.
 */
public final class ChapValues {
    /** Longest binary value, decoded (RFC 7143 §12.1.3). */
    public static final int MAX_BINARY_BYTES = 1024;
    /** Longest text value in bytes (RFC 7143 §6.1). */
    public static final int MAX_TEXT_BYTES = 255;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ChapValues() {}

    /**
     * Decodes a binary-value of 1..{@code maxBytes} bytes.
     *
     * @return the bytes, or empty when malformed or out of bounds
     */
    public static Optional<byte[]> decodeBinary(String value, int maxBytes) {
        if (value == null || value.length() < 3 || value.charAt(0) != '0') {
            return Optional.empty();
        }
        char kind = value.charAt(1);
        if (kind == 'x' || kind == 'X') {
            return decodeHex(value, maxBytes);
        }
        if (kind == 'b' || kind == 'B') {
            return decodeBase64(value, maxBytes);
        }
        return Optional.empty();
    }

    private static Optional<byte[]> decodeHex(String value, int maxBytes) {
        int digits = value.length() - 2;
        if (digits % 2 != 0 || digits / 2 > maxBytes) {
            return Optional.empty();
        }
        byte[] out = new byte[digits / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = nibble(value.charAt(2 + 2 * i));
            int lo = nibble(value.charAt(3 + 2 * i));
            if (hi < 0 || lo < 0) {
                return Optional.empty();
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return Optional.of(out);
    }

    private static Optional<byte[]> decodeBase64(String value, int maxBytes) {
        String b64 = value.substring(2);
        // 4 characters carry 3 bytes; refuse before decoding anything that could exceed the limit
        if (b64.length() % 4 != 0 || b64.length() / 4 * 3 > maxBytes + 2) {
            return Optional.empty();
        }
        byte[] out;
        try {
            out = Base64.getDecoder().decode(b64.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a character outside the alphabet or misplaced padding: malformed
        }
        // canonical form only: padding exactly as RFC 4648 writes it, pad bits zero, nothing else
        if (out.length == 0 || out.length > maxBytes || !Base64.getEncoder().encodeToString(out).equals(b64)) {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    /** 0..15 for an ASCII hex digit, else -1 (Character.digit would also take non-ASCII digits). */
    private static int nibble(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** {@code 0x} and lower-case hex digits, two per byte. */
    public static String encodeHex(byte[] bytes) {
        char[] out = new char[2 + 2 * bytes.length];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < bytes.length; i++) {
            out[2 + 2 * i] = HEX[(bytes[i] >>> 4) & 0xf];
            out[3 + 2 * i] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Decodes a numerical-value (decimal-constant or hex-constant) in 0..{@code max}.
     *
     * @return the number, or empty when malformed or above max
     */
    public static OptionalInt decodeNumber(String value, int max) {
        if (value == null || value.isEmpty()) {
            return OptionalInt.empty();
        }
        long n = 0;
        if (value.length() > 2 && value.charAt(0) == '0' && (value.charAt(1) == 'x' || value.charAt(1) == 'X')) {
            for (int i = 2; i < value.length(); i++) {
                int d = nibble(value.charAt(i));
                if (d < 0) {
                    return OptionalInt.empty();
                }
                n = n * 16 + d;
                if (n > max) {
                    return OptionalInt.empty();
                }
            }
            return OptionalInt.of((int) n);
        }
        if (value.length() > 1 && value.charAt(0) == '0') {
            return OptionalInt.empty(); // a decimal-constant has no leading zero
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.of((int) n);
    }

    /** A text value: 1..255 bytes of UTF-8 without NUL. */
    public static boolean validText(String value) {
        if (value == null || value.isEmpty() || value.indexOf('\0') >= 0) {
            return false;
        }
        return value.getBytes(StandardCharsets.UTF_8).length <= MAX_TEXT_BYTES;
    }

    /**
     * A value received from the wire, fit for a log line: quoted, at most 64 characters, control
     * characters as '?' (no forged lines). Only for values that prove nothing (names, offers).
     */
    public static String printable(String v) {
        if (v == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(v.length(), 64);
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (v.length() > n) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
