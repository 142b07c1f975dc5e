package io.jzram.cli.format;

/**
 * Sizes for people, exactly as util-linux's {@code size_to_human_string(SIZE_SUFFIX_1LETTER, n)}
 * prints them in zramctl's table: powers of 1024, one letter ({@code B K M G T P E}), no space,
 * at most one decimal, rounded half up, a trailing {@code .0} dropped: {@code 0B}, {@code 123B},
 * {@code 1K}, {@code 63.8K}, {@code 976.6K}, {@code 1G}, {@code 16E}.
 */
public final class HumanSize {
    private static final String LETTERS = "BKMGTPE";

    private HumanSize() {}

    /** Formats {@code bytes}, read as an unsigned 64-bit value. */
    public static String format(long bytes) {
        int exp = exponent(bytes);
        char letter = LETTERS.charAt(exp / 10);
        long dec = exp == 0 ? bytes : bytes >>> exp;
        long frac = exp == 0 ? 0 : bytes & ((1L << exp) - 1);
        if (frac != 0) {
            // three digits after the decimal point
            if (Long.compareUnsigned(frac, Long.divideUnsigned(-1L, 1000)) >= 0) {
                frac = ((frac / 1024) * 1000) / (1L << (exp - 10));
            } else {
                frac = Long.divideUnsigned(frac * 1000, 1L << exp); // unsigned, as in C
            }
            // round and keep one digit
            frac = ((frac + 50) / 100) * 10;
            if (frac == 100) {
                dec++;
                frac = 0;
            }
        }
        if (frac != 0) {
            return dec + "." + (frac / 10) + letter;
        }
        return dec + String.valueOf(letter);
    }

    /** The exponent of the largest power of 1024 not above {@code n}: 0, 10, …, 60. */
    private static int exponent(long n) {
        int shift;
        for (shift = 10; shift <= 60; shift += 10) {
            if (Long.compareUnsigned(n, 1L << shift) < 0) {
                break;
            }
        }
        return shift - 10;
    }
}
