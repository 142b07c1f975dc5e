package io.jzram.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in configuration files: zramctl's syntax ({@link SizeParser}: {@code "4G"}, {@code "512M"},
 * {@code "1.5G"}, {@code "1GiB"}, {@code "1GB"} = 10^9) or a TOML integer of bytes, with messages
 * that say what is wrong rather than only "Invalid argument"; and the exact form
 * {@link #format} that {@code save-config} writes and reads back to the same number.
 */
public final class Sizes {
    /** How the unit help reads in messages. */
    static final String UNITS = "use K, M, G, T, or KiB…";

    private static final Pattern SHAPE = Pattern.compile("\\s*\\+?(0[xX][0-9a-fA-F]+|[0-9]+)(\\.[0-9]*)?(.*)");
    private static final String LETTERS = "KMGTPE";

    private Sizes() {}

    /** A size that cannot be read: the reason, to follow {@code size "TEXT": }. */
    public static final class SizeException extends Exception {
        private static final long serialVersionUID = 1L;

        SizeException(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Reads a size written as a string.
     *
     * @return bytes, at most {@link Long#MAX_VALUE} (no size in a file needs more)
     */
    public static long parse(String text) throws SizeException {
        try {
            long v = SizeParser.parse(text);
            if (v < 0) {
                throw new SizeException("out of range (at most 8E)");
            }
            return v;
        } catch (SizeParser.SizeFormatException e) {
            throw new SizeException(explain(text, e));
        }
    }

    /** Why {@link SizeParser} refused {@code text}, in words. */
    static String explain(String text, SizeParser.SizeFormatException e) {
        if (e.error() == SizeParser.Error.RANGE) {
            return "out of range (at most 8E)";
        }
        if (text.isBlank()) {
            return "empty (use a number of bytes or a number with a unit: 4G, 512M, 1.5G)";
        }
        if (text.strip().startsWith("-")) {
            return "must not be negative";
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return "not a size (use a number of bytes or a number with a unit: 4G, 512M, 1.5G)";
        }
        String rest = m.group(3);
        if (!text.equals(text.strip())) {
            return "no blanks allowed around a size";
        }
        if (rest.isEmpty()) {
            return m.group(2) != null ? "a fraction needs a unit (1.5G, not 1.5)" : "not a size";
        }
        if (rest.startsWith(".")) {
            return "not a size (use a number of bytes or a number with a unit: 4G, 512M, 1.5G)";
        }
        if (rest.contains(" ") || rest.contains("\t")) {
            return "no blanks allowed inside a size (4G, not 4 G)";
        }
        if (rest.equalsIgnoreCase("B")) {
            return "unknown unit (" + UNITS + "; a plain number is bytes)";
        }
        return "unknown unit (" + UNITS + ")";
    }

    /**
     * The exact short form: the largest unit of 1024 that divides {@code bytes} ({@code 4G},
     * {@code 1536M}, {@code 4K}), else the number; {@code 0} for 0. {@link #parse} reads it back.
     */
    public static String format(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        for (int power = LETTERS.length(); power >= 1; power--) {
            long unit = 1L << (10 * power);
            if (unit > 0 && bytes % unit == 0) {
                return (bytes / unit) + String.valueOf(LETTERS.charAt(power - 1));
            }
        }
        return Long.toString(bytes);
    }

    /** {@code bytes} rounded up to a multiple of {@code page}, without overflowing. */
    static long roundUp(long bytes, long page) {
        long r = bytes % page;
        return r == 0 ? bytes : bytes > Long.MAX_VALUE - page ? bytes - r : bytes - r + page;
    }
}
