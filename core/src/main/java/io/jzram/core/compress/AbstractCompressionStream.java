package io.jzram.core.compress;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * The argument checks and the closed state shared by every {@link CompressionStream}.
 *
 * <p>Ranges are checked against the buffers' capacities, since positions and limits are not
 * part of the contract. The codecs underneath (lz4-java's Java fallback, zstd-jni, the JDK's
 * absolute bulk {@code get}/{@code put}) do check offsets against {@code limit()}, so when a
 * range reaches past a buffer's limit the implementation is handed a {@link #reach widened view}
 * of it: an allocation of one {@code ByteBuffer} object, in that unusual case only.
 *
 * <p>Misuse by the caller (a range outside the buffer, a read-only destination, a closed stream)
 * is reported with the usual runtime exceptions, never with {@link CorruptDataException}, which
 * is reserved for stored data that does not decode.
 */
abstract class AbstractCompressionStream implements CompressionStream {

    static final byte[] NO_BYTES = new byte[0];

    private final String algorithm;
    private boolean closed;

    AbstractCompressionStream(String algorithm) {
        this.algorithm = algorithm;
    }

    @Override
    public final int compress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int maxDstLen) {
        ensureOpen();
        Objects.checkFromIndexSize(srcOff, srcLen, src.capacity());
        Objects.checkFromIndexSize(dstOff, maxDstLen, dst.capacity());
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        return doCompress(reach(src, srcOff + srcLen), srcOff, srcLen, reach(dst, dstOff + maxDstLen), dstOff, maxDstLen);
    }

    @Override
    public final void decompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int dstLen) {
        ensureOpen();
        Objects.checkFromIndexSize(srcOff, srcLen, src.capacity());
        Objects.checkFromIndexSize(dstOff, dstLen, dst.capacity());
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        doDecompress(reach(src, srcOff + srcLen), srcOff, srcLen, reach(dst, dstOff + dstLen), dstOff, dstLen);
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /**
     * Compresses; the ranges are valid, {@code dst} is writable and both buffers' limits reach the
     * ends of their ranges. Same contract as {@link CompressionStream#compress}.
     */
    abstract int doCompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int maxDstLen);

    /** Decompresses, with the same preconditions as {@link #doCompress}. */
    abstract void doDecompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int dstLen);

    /** Frees native resources; called once, by the first {@link #close()}. */
    abstract void release();

    final CorruptDataException corrupt(String what) {
        return new CorruptDataException(algorithm + ": " + what);
    }

    final CorruptDataException corrupt(String what, Throwable cause) {
        return new CorruptDataException(algorithm + ": " + what + " (" + cause.getMessage() + ")", cause);
    }

    final CorruptDataException wrongLength(int actual, int expected) {
        return corrupt("decompressed to " + actual + " bytes, expected " + expected);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(algorithm + " compression stream is closed");
        }
    }

    /** {@code buf} itself if its limit reaches {@code end}, else a view of its whole capacity. */
    static ByteBuffer reach(ByteBuffer buf, int end) {
        return end <= buf.limit() ? buf : buf.duplicate().clear();
    }

    /** {@code scratch} if it holds at least {@code size} bytes, else a new, larger array. */
    static byte[] atLeast(byte[] scratch, int size) {
        return scratch.length >= size ? scratch : new byte[size];
    }

    @Override
    public String toString() {
        return algorithm + " stream" + (closed ? " (closed)" : "");
    }
}
