package io.jzram.core.compress;

/**
 * {@code lz4}, zram's default: lz4-java's fast compressor and its <em>safe</em> decompressor
 * (stored data must never be able to crash the JVM), from the JNI binding of the reference C
 * library when it loads on this platform, else from the fastest pure-Java implementation.
 * {@link #isNative()} and {@link #implementation()} tell which; nothing is logged.
 *
 * <p>Streams own nothing but a scratch buffer; see {@link Lz4Stream} for how output that does not
 * fit is handled without exceptions.
 */
public final class Lz4Algorithm extends Lz4FamilyAlgorithm {

    public static final String NAME = "lz4";

    /** The JNI implementation if available, else the fastest Java one. */
    public Lz4Algorithm() {
        this(Lz4Implementation.preferred());
    }

    /** A given implementation; for tests of the Java fallback. */
    Lz4Algorithm(Lz4Implementation implementation) {
        super(NAME, implementation, implementation.factory().fastCompressor());
    }

    @Override
    public String toString() {
        return NAME + " (" + implementation() + ")";
    }
}
