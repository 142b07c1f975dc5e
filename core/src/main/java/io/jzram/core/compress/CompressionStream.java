package io.jzram.core.compress;

import java.nio.ByteBuffer;

/**
 * One compression stream of an algorithm: the per-stream state (dictionaries, hash tables,
 * a {@link java.util.zip.Deflater}) that the kernel's zcomp keeps per CPU.
 *
 * <p>Not thread-safe: a stream is used by one thread at a time; the device keeps a pool of
 * them (zramctl's STREAMS column). Both buffers may be heap or direct. All offsets are
 * absolute; positions and limits of the buffers are never read or changed. Implementations
 * allocate nothing per call.
 */
public interface CompressionStream extends AutoCloseable {

    /**
     * Compresses {@code src[srcOff, srcOff + srcLen)} into {@code dst[dstOff, dstOff + maxDstLen)}.
     * The whole of that range may serve as workspace: past the returned length (or anywhere in it
     * when {@code -1} is returned) its contents are unspecified afterwards. Nothing outside it is
     * written.
     *
     * @return the compressed length, or {@code -1} when the output would not fit in
     *     {@code maxDstLen} bytes (the page is then stored raw by the caller)
     */
    int compress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int maxDstLen);

    /**
     * Decompresses {@code src[srcOff, srcOff + srcLen)} into exactly {@code dstLen} bytes at
     * {@code dst[dstOff]}.
     *
     * @throws CorruptDataException when the input is malformed or does not decompress to
     *     exactly {@code dstLen} bytes; the destination's contents are then unspecified
     */
    void decompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int dstLen);

    /** Releases native resources held by the stream (zstd contexts, deflaters). Idempotent. */
    @Override
    void close();
}
