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

    /** A new stream; the caller closes it. */
    CompressionStream newStream();
}
