package io.jzram.core.compress;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * {@code lz4hc}: lz4-java's high-compression compressor at level {@value #DEFAULT_LEVEL} (the
 * kernel's {@code LZ4HC_DEFAULT_CLEVEL}), from the same implementation as {@link Lz4Algorithm}
 * (JNI if available, else Java). Its output is plain lz4 and decompresses with the same safe
 * decompressor.
 */
public final class Lz4HcAlgorithm implements CompressionAlgorithm {

    public static final String NAME = "lz4hc";
    /** The kernel's {@code LZ4HC_DEFAULT_CLEVEL}, also lz4-java's default. */
    public static final int DEFAULT_LEVEL = 9;
    public static final int MIN_LEVEL = 1;
    /** lz4's {@code LZ4HC_CLEVEL_MAX}; lz4-java would silently clamp higher levels to it. */
    public static final int MAX_LEVEL = 17;

    private final int level;
    private final boolean isNative;
    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;

    /** Level {@value #DEFAULT_LEVEL}, JNI implementation if available. */
    public Lz4HcAlgorithm() {
        this(DEFAULT_LEVEL);
    }

    /** A level from {@value #MIN_LEVEL} to {@value #MAX_LEVEL}, JNI implementation if available. */
    public Lz4HcAlgorithm(int level) {
        this(Lz4Implementation.preferred(), level);
    }

    Lz4HcAlgorithm(Lz4Implementation implementation, int level) {
        if (level < MIN_LEVEL || level > MAX_LEVEL) {
            throw new IllegalArgumentException(
                    "lz4hc level must be from " + MIN_LEVEL + " to " + MAX_LEVEL + ", not " + level);
        }
        this.level = level;
        this.isNative = implementation.isNative();
        this.compressor = implementation.factory().highCompressor(level);
        this.decompressor = implementation.factory().safeDecompressor();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxCompressedLength(int srcLen) {
        return compressor.maxCompressedLength(srcLen);
    }

    @Override
    public CompressionStream newStream() {
        return new Lz4Stream(NAME, compressor, decompressor);
    }

    public int level() {
        return level;
    }

    /** Whether the JNI binding of the C library is in use (else a pure-Java fallback). */
    public boolean isNative() {
        return isNative;
    }

    /** The lz4-java classes in use, for diagnostics: {@code "LZ4HCJNICompressor + LZ4JNISafeDecompressor"}. */
    public String implementation() {
        return compressor + " + " + decompressor;
    }

    @Override
    public String toString() {
        return NAME + " level " + level + " (" + implementation() + ")";
    }
}
