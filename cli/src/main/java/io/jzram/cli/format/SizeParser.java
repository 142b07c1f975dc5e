package io.jzram.cli.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Parses sizes as util-linux's {@code strtosize()} (lib/strutils.c, {@code ul_parse_size}) does
 * for zramctl's {@code --size}: it accepts and refuses the same strings.
 *
 * <ul>
 *   <li>a number as C's {@code strtoumax(str, &end, 0)} reads it: leading white space, an optional
 *       {@code +}, then decimal, {@code 0x…} hexadecimal or {@code 0…} octal ({@code 010} is 8 and
 *       {@code 08} is refused); a leading {@code -} is refused;</li>
 *   <li>nothing after it: bytes ({@code 512});</li>
 *   <li>or a suffix letter {@code K M G T P E Z Y} (or lower case) for powers of 1024, optionally
 *       followed by {@code iB} ({@code 1GiB}), or followed by {@code B} for powers of 1000
 *       ({@code 1GB} = 10^9); {@code b} may stand for {@code B};</li>
 *   <li>a fraction before the suffix: {@code 1.5G}, {@code 0.25MiB}; a fraction without a suffix
 *       ({@code 1.5}) is refused, as is anything else after the number ({@code 1.2.3},
 *       {@code 4Q}, {@code 1 }, {@code 512B}, {@code G}).</li>
 * </ul>
 *
 * <p>The result is an unsigned 64-bit value (at most 2^64 − 1 = "16E"); larger values fail with
 * ERANGE ("Numerical result out of range"), every other refusal with EINVAL ("Invalid argument").
 *
 * <p>One deliberate departure: util-linux adds the fraction digit by digit with integer division
 * ({@code 0.3K} is 341 bytes there, {@code 1.10G} is 2 GiB); we compute it exactly and round
 * down ({@code 0.3K} = 307, {@code 1.10G} = 1.1 GiB). Which strings are accepted is unchanged.
 */
public final class SizeParser {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final String SUFFIXES = "KMGTPEZY";
    private static final String SUFFIXES_LOWER = "kmgtpezy";

    private SizeParser() {}

    /** Why a size was refused, with the errno text zramctl prints. */
    public enum Error {
        INVALID("Invalid argument"),
        RANGE("Numerical result out of range");

        private final String strerror;

        Error(String strerror) {
            this.strerror = strerror;
        }

        public String strerror() {
            return strerror;
        }
    }

    /** A refused size. */
    public static final class SizeFormatException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Error error;
        private final String input;

        public SizeFormatException(Error error, String input) {
            super("'" + input + "': " + error.strerror());
            this.error = error;
            this.input = input;
        }

        public Error error() {
            return error;
        }

        public String input() {
            return input;
        }
    }

    /**
     * Parses {@code text}.
     *
     * @return the size in bytes as an unsigned 64-bit value (compare with
     *     {@link Long#compareUnsigned}; negative longs are values of 2^63 and more)
     */
    public static long parse(String text) throws SizeFormatException {
        if (text == null || text.isEmpty()) {
            throw new SizeFormatException(Error.INVALID, text == null ? "" : text);
        }
        String s = text;
        int i = skipSpace(s, 0);
        if (i < s.length() && s.charAt(i) == '-') {
            throw invalid(text);
        }
        // strtoumax(str, &end, 0)
        Number whole = strtoumax(s, i);
        if (whole == null) {
            throw invalid(text);
        }
        if (whole.overflow) {
            throw new SizeFormatException(Error.RANGE, text);
        }
        int p = whole.end;
        if (p == s.length()) {
            return whole.value.longValue();
        }

        int base = 1024;
        BigInteger frac = BigInteger.ZERO;
        int fracDigits = 0; // digits of the fraction, leading zeros included
        String fracText = "";
        while (true) {
            char c1 = at(s, p + 1);
            char c2 = at(s, p + 2);
            if (c1 == 'i' && (c2 == 'B' || c2 == 'b') && p + 3 == s.length()) {
                base = 1024;
            } else if ((c1 == 'B' || c1 == 'b') && p + 2 == s.length()) {
                base = 1000;
            } else if (p + 1 < s.length()) {
                if (frac.signum() == 0 && s.charAt(p) == '.') {
                    int q = p + 1;
                    int zeros = 0;
                    while (q < s.length() && s.charAt(q) == '0') {
                        q++;
                        zeros++;
                    }
                    int end = q;
                    String digits = "";
                    if (q < s.length() && isDigit(s.charAt(q))) {
                        // strtoumax on a string that starts with 1-9: decimal digits
                        end = q;
                        while (end < s.length() && isDigit(s.charAt(end))) {
                            end++;
                        }
                        digits = s.substring(q, end);
                        if (new BigInteger(digits).compareTo(UINT64_MAX) > 0) {
                            throw new SizeFormatException(Error.RANGE, text);
                        }
                        frac = new BigInteger(digits);
                    }
                    fracText = fracText + "0".repeat(zeros) + digits;
                    fracDigits = fracText.length();
                    if (end == s.length()) {
                        throw invalid(text); // a fraction without a suffix
                    }
                    p = end;
                    continue;
                }
                throw invalid(text); // unexpected suffix
            }
            break;
        }
        char letter = s.charAt(p);
        int power = SUFFIXES.indexOf(letter);
        if (power < 0) {
            power = SUFFIXES_LOWER.indexOf(letter);
        }
        if (power < 0) {
            throw invalid(text);
        }
        power++;
        BigInteger unit = BigInteger.valueOf(base).pow(power);
        BigInteger value = whole.value.multiply(unit);
        if (value.compareTo(UINT64_MAX) > 0) {
            throw new SizeFormatException(Error.RANGE, text);
        }
        if (frac.signum() != 0) {
            BigDecimal fraction = new BigDecimal(new BigInteger(fracText), fracDigits);
            value = value.add(fraction.multiply(new BigDecimal(unit)).setScale(0, RoundingMode.DOWN).toBigIntegerExact());
            if (value.compareTo(UINT64_MAX) > 0) {
                throw new SizeFormatException(Error.RANGE, text);
            }
        }
        return value.longValue();
    }

    private static SizeFormatException invalid(String text) {
        return new SizeFormatException(Error.INVALID, text);
    }

    private record Number(BigInteger value, int end, boolean overflow) {}

    /** C's strtoumax with base 0 from {@code start}; null when no digits were read. */
    private static Number strtoumax(String s, int start) {
        int i = skipSpace(s, start);
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int radix = 10;
        if (at(s, i) == '0' && (at(s, i + 1) == 'x' || at(s, i + 1) == 'X') && Character.digit(at(s, i + 2), 16) >= 0) {
            radix = 16;
            i += 2;
        } else if (at(s, i) == '0') {
            radix = 8;
        }
        int digitsStart = i;
        while (i < s.length() && Character.digit(s.charAt(i), radix) >= 0 && s.charAt(i) < 128) {
            i++;
        }
        if (i == digitsStart) {
            return null;
        }
        BigInteger v = new BigInteger(s.substring(digitsStart, i), radix);
        return new Number(v, i, v.compareTo(UINT64_MAX) > 0);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }
}
