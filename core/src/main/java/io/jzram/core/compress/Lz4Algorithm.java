package io.jzram.core.compress;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * {@code lz4}, zram's default: lz4-java's fast compressor and its <em>safe</em> decompressor
 * (stored data must never be able to crash the JVM), from the JNI binding of the reference C
 * library when it loads on this platform, else from the fastest pure-Java implementation.
 * {@link #isNative()} and {@link #implementation()} tell which; nothing is logged.
 *
 * <p>Streams own nothing but a scratch buffer; see {@link Lz4Stream} for how output that does not
 * fit is handled without exceptions.
 */
public final class Lz4Algorithm implements CompressionAlgorithm {

    public static final String NAME = "lz4";

    private final boolean isNative;
    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;

    /** The JNI implementation if available, else the fastest Java one. */
    public Lz4Algorithm() {
        this(Lz4Implementation.preferred());
    }

    /** A given implementation; for tests of the Java fallback. */
    Lz4Algorithm(Lz4Implementation implementation) {
        LZ4Factory factory = implementation.factory();
        this.isNative = implementation.isNative();
        this.compressor = factory.fastCompressor();
        this.decompressor = factory.safeDecompressor();
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

    /** Whether the JNI binding of the C library is in use (else a pure-Java fallback). */
    public boolean isNative() {
        return isNative;
    }

    /** The lz4-java classes in use, for diagnostics: {@code "LZ4JNICompressor + LZ4JNISafeDecompressor"}. */
    public String implementation() {
        return compressor + " + " + decompressor;
    }

    @Override
    public String toString() {
        return NAME + " (" + implementation() + ")";
    }
}
