package io.jzram.core.compress;

/**
 * {@code lz4hc}: lz4-java's high-compression compressor at level {@value #DEFAULT_LEVEL} (the
 * kernel's {@code LZ4HC_DEFAULT_CLEVEL}), from the same implementation as {@link Lz4Algorithm}
 * (JNI if available, else Java). Its output is plain lz4 and decompresses with the same safe
 * decompressor.
 */
public final class Lz4HcAlgorithm extends Lz4FamilyAlgorithm {

    public static final String NAME = "lz4hc";
    /** The kernel's {@code LZ4HC_DEFAULT_CLEVEL}, also lz4-java's default. */
    public static final int DEFAULT_LEVEL = 9;
    public static final int MIN_LEVEL = 1;
    /** lz4's {@code LZ4HC_CLEVEL_MAX}; lz4-java would silently clamp higher levels to it. */
    public static final int MAX_LEVEL = 17;

    private final int level;

    /** Level {@value #DEFAULT_LEVEL}, JNI implementation if available. */
    public Lz4HcAlgorithm() {
        this(DEFAULT_LEVEL);
    }

    /** A level from {@value #MIN_LEVEL} to {@value #MAX_LEVEL}, JNI implementation if available. */
    public Lz4HcAlgorithm(int level) {
        this(Lz4Implementation.preferred(), level);
    }

    Lz4HcAlgorithm(Lz4Implementation implementation, int level) {
        super(NAME, implementation, implementation.factory().highCompressor(checkLevel(level)));
        this.level = level;
    }

    private static int checkLevel(int level) {
        if (level < MIN_LEVEL || level > MAX_LEVEL) {
            throw new IllegalArgumentException(
                    "lz4hc level must be from " + MIN_LEVEL + " to " + MAX_LEVEL + ", not " + level);
        }
        return level;
    }

    public int level() {
        return level;
    }

    @Override
    public String toString() {
        return NAME + " level " + level + " (" + implementation() + ")";
    }
}
