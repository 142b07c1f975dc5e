package io.jzram.core.compress;

/**
 * A named compression algorithm, as written to the kernel's {@code comp_algorithm} attribute.
 * Thread-safe and stateless; all per-call state lives in the {@link CompressionStream}s it makes.
 */
public interface CompressionAlgorithm {

    /** The name used by zram and zramctl: {@code lz4}, {@code lz4hc}, {@code deflate}, {@code zstd}. */
    String name();

    /** The largest output {@link CompressionStream#compress} can produce for {@code srcLen} bytes. */
    int maxCompressedLength(int srcLen);

    /**
     * A new stream; the caller closes it.
     *
     * @throws IllegalStateException when the algorithm is not {@linkplain #isAvailable() available}
     */
    CompressionStream newStream();

    /**
     * Whether the algorithm works on this machine. Algorithms backed by a bundled native library
     * (zstd) are unavailable when it cannot be loaded for this platform; they then say so here
     * instead of failing at class loading, and {@link #newStream()} throws.
     */
    default boolean isAvailable() {
        return true;
    }
}
