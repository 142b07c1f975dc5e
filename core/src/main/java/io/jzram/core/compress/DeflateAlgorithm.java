package io.jzram.core.compress;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * {@code deflate}: raw deflate (no zlib header or checksum, {@code nowrap}) through the JDK's
 * zlib, at level {@value #DEFAULT_LEVEL}, the kernel's {@code Z_DEFAULT_COMPRESSION}.
 *
 * <p>Unlike the kernel, which uses an 11-bit window and {@code memLevel} 9, the JDK fixes a
 * 15-bit window and {@code memLevel} 8. Both read the same format, and for a 4 KiB page the larger
 * window only allows matches further back; a stream costs about 300 KiB of native memory (the
 * {@link Deflater}'s state; the {@link Inflater}'s is small).
 *
 * <p><b>Streams</b> keep one {@link Deflater} and one {@link Inflater}, {@code reset()} before each
 * call and {@code end()}ed by {@link CompressionStream#close()}. Those classes read position and
 * limit of {@code ByteBuffer}s, so the stream hands them arrays instead: a heap buffer's own
 * backing array, or, for a direct (or read-only) buffer, a per-stream scratch array the data is
 * copied through (a few microseconds of copying against tens of microseconds of deflate). The
 * scratch arrays grow to the largest size seen, so steady-state calls allocate nothing.
 */
public final class DeflateAlgorithm implements CompressionAlgorithm {

    public static final String NAME = "deflate";
    /** zlib's {@code Z_DEFAULT_COMPRESSION}, which the kernel uses. */
    public static final int DEFAULT_LEVEL = 6;

    private final int level;

    /** Level {@value #DEFAULT_LEVEL}. */
    public DeflateAlgorithm() {
        this(DEFAULT_LEVEL);
    }

    /** A zlib level from {@link Deflater#NO_COMPRESSION} (0) to {@link Deflater#BEST_COMPRESSION} (9). */
    public DeflateAlgorithm(int level) {
        if (level < Deflater.NO_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("deflate level must be from 0 to 9, not " + level);
        }
        this.level = level;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * zlib's {@code compressBound()}: raw deflate of incompressible data falls back to stored blocks,
     * a few bytes per block; this bound has some bytes to spare for raw output, which has no
     * zlib header or trailer.
     */
    @Override
    public int maxCompressedLength(int srcLen) {
        if (srcLen < 0) {
            throw new IllegalArgumentException("srcLen must not be negative: " + srcLen);
        }
        long bound = (long) srcLen + (srcLen >>> 12) + (srcLen >>> 14) + (srcLen >>> 25) + 13;
        if (bound > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("srcLen is too large: " + srcLen);
        }
        return (int) bound;
    }

    @Override
    public CompressionStream newStream() {
        return new Stream(this);
    }

    public int level() {
        return level;
    }

    @Override
    public String toString() {
        return NAME + " level " + level;
    }

    private static final class Stream extends AbstractCompressionStream {

        private final DeflateAlgorithm algorithm;
        private final Deflater deflater;
        private final Inflater inflater;
        private byte[] input = NO_BYTES;
        private byte[] output = NO_BYTES;
        private final byte[] probe = new byte[1];

        Stream(DeflateAlgorithm algorithm) {
            super(NAME);
            this.algorithm = algorithm;
            this.deflater = new Deflater(algorithm.level, true);
            this.inflater = new Inflater(true);
        }

        @Override
        int doCompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int maxDstLen) {
            deflater.reset();
            if (src.hasArray()) {
                deflater.setInput(src.array(), src.arrayOffset() + srcOff, srcLen);
            } else {
                deflater.setInput(copyOfInput(src, srcOff, srcLen), 0, srcLen);
            }
            deflater.finish();

            byte[] out;
            int outOff;
            int room;
            if (dst.hasArray()) {
                out = dst.array();
                outOff = dst.arrayOffset() + dstOff;
                room = maxDstLen;
            } else {
                // Output never exceeds the bound, so a larger maxDstLen needs no larger scratch.
                room = Math.min(maxDstLen, algorithm.maxCompressedLength(srcLen));
                out = output = atLeast(output, room);
                outOff = 0;
            }

            int len = deflate(out, outOff, room);
            if (len >= 0 && out == output) {
                dst.put(dstOff, out, 0, len);
            }
            return len;
        }

        /** Deflates the input set into {@code out[outOff, outOff + room)}: the length, or -1 if it does not fit. */
        private int deflate(byte[] out, int outOff, int room) {
            int len = 0;
            while (!deflater.finished()) {
                if (len == room) {
                    // zlib reports the end of the stream only from a call with room left, even
                    // when nothing more is to be written: probe with a byte of scratch room.
                    return deflater.deflate(probe, 0, 1) == 0 && deflater.finished() ? len : -1;
                }
                int n = deflater.deflate(out, outOff + len, room - len);
                if (n == 0 && !deflater.finished()) {
                    // All input is set and finish() called: deflate stops short only for lack of
                    // room (a stored block, for one, needs room for its header).
                    return -1;
                }
                len += n;
            }
            return len;
        }

        @Override
        void doDecompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int dstLen) {
            inflater.reset();
            if (src.hasArray()) {
                inflater.setInput(src.array(), src.arrayOffset() + srcOff, srcLen);
            } else {
                inflater.setInput(copyOfInput(src, srcOff, srcLen), 0, srcLen);
            }

            byte[] out;
            int outOff;
            if (dst.hasArray()) {
                out = dst.array();
                outOff = dst.arrayOffset() + dstOff;
            } else {
                out = output = atLeast(output, dstLen);
                outOff = 0;
            }

            int len = 0;
            try {
                while (!inflater.finished()) {
                    if (len == dstLen && len > 0) {
                        throw corrupt("inflates to more than " + dstLen + " bytes");
                    }
                    int n = inflater.inflate(out, outOff + len, dstLen - len);
                    if (n == 0 && !inflater.finished()) {
                        throw corrupt(inflater.needsInput() || len < dstLen
                                ? "truncated after " + len + " bytes of output"
                                : "inflates to more than " + dstLen + " bytes");
                    }
                    len += n;
                }
            } catch (DataFormatException malformed) {
                throw corrupt("malformed input", malformed);
            }
            if (len != dstLen) {
                throw wrongLength(len, dstLen);
            }
            if (inflater.getRemaining() != 0) {
                throw corrupt(inflater.getRemaining() + " bytes after the end of the deflate stream");
            }
            if (out == output) {
                dst.put(dstOff, out, 0, len);
            }
        }

        /** {@code src}'s range, copied to the start of the input scratch array. */
        private byte[] copyOfInput(ByteBuffer src, int srcOff, int srcLen) {
            input = atLeast(input, srcLen);
            src.get(srcOff, input, 0, srcLen);
            return input;
        }

        @Override
        void release() {
            deflater.end();
            inflater.end();
            input = NO_BYTES;
            output = NO_BYTES;
        }
    }
}
