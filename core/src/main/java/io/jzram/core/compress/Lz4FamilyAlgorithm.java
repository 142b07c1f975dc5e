package io.jzram.core.compress;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * What {@link Lz4Algorithm} and {@link Lz4HcAlgorithm} share: both produce plain lz4 blocks with
 * one of lz4-java's compressors and decompress them with its <em>safe</em> decompressor (stored
 * data must never be able to crash the JVM), through {@link Lz4Stream}; they differ only in the
 * compressor.
 */
abstract sealed class Lz4FamilyAlgorithm implements CompressionAlgorithm permits Lz4Algorithm, Lz4HcAlgorithm {

    private final String name;
    private final boolean isNative;
    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;

    Lz4FamilyAlgorithm(String name, Lz4Implementation implementation, LZ4Compressor compressor) {
        this.name = name;
        this.isNative = implementation.isNative();
        this.compressor = compressor;
        this.decompressor = implementation.factory().safeDecompressor();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int maxCompressedLength(int srcLen) {
        return compressor.maxCompressedLength(srcLen);
    }

    @Override
    public final CompressionStream newStream() {
        return new Lz4Stream(name, compressor, decompressor);
    }

    /** Whether the JNI binding of the C library is in use (else a pure-Java fallback). */
    public final boolean isNative() {
        return isNative;
    }

    /** The lz4-java classes in use, for diagnostics: {@code "LZ4JNICompressor + LZ4JNISafeDecompressor"}. */
    public final String implementation() {
        return compressor + " + " + decompressor;
    }
}
