package io.jzram.core.compress;

import java.nio.ByteBuffer;
import java.util.Optional;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.util.Native;

/**
 * {@code zstd}: zstd-jni at level {@value #DEFAULT_LEVEL}, the kernel's (and zstd's) default.
 * Each page is one standard zstd frame (magic number, content size, no checksum); with the source
 * size known up front zstd sizes its tables for a 4 KiB input, as the kernel does.
 *
 * <p><b>Availability.</b> zstd-jni bundles its native library for common platforms only. Whether
 * it loads is found out once, on first use of {@link #isAvailable()} or {@link #newStream()}, by
 * loading it and round-tripping a few bytes; if that fails the algorithm reports itself
 * unavailable ({@link #unavailabilityCause()} says why) and {@code newStream()} throws
 * {@link IllegalStateException}, rather than the JVM failing with a linkage error somewhere else.
 *
 * <p><b>Streams</b> keep one {@link ZstdCompressCtx} and one {@link ZstdDecompressCtx}, the
 * per-CPU workspace of the kernel's zstd backend, freed by {@link CompressionStream#close()}.
 * zstd-jni has single-shot calls for array/array and direct/direct, and for decompression also the
 * two mixed cases; compressing between a heap and a direct buffer, like output that might not fit
 * {@code maxDstLen} (zstd-jni throws a {@link ZstdException} then, too costly once per
 * incompressible page), goes through a per-stream scratch buffer of the worst-case size, of the
 * source's kind, and is copied if it fits. Read-only heap sources are copied to a scratch array.
 * Scratch buffers grow to the largest size seen, so steady-state calls allocate nothing.
 */
public final class ZstdAlgorithm implements CompressionAlgorithm {

    public static final String NAME = "zstd";
    /** {@code ZSTD_CLEVEL_DEFAULT}, the kernel's default. */
    public static final int DEFAULT_LEVEL = 3;
    public static final int MIN_LEVEL = 1;
    public static final int MAX_LEVEL = 22;

    private final int level;
    /** A zstd dictionary both directions load, or null; never changed after construction. */
    private final byte[] dictionary;
    /** Null for "find out by loading the library"; tests inject a failure. */
    private final Throwable injectedFailure;

    /** Level {@value #DEFAULT_LEVEL}. */
    public ZstdAlgorithm() {
        this(DEFAULT_LEVEL);
    }

    /** A level from {@value #MIN_LEVEL} to {@value #MAX_LEVEL}. */
    public ZstdAlgorithm(int level) {
        this(level, null, null);
    }

    /**
     * A level from {@value #MIN_LEVEL} to {@value #MAX_LEVEL} and a dictionary (raw content or one
     * made by {@code zstd --train}), which every stream loads for both directions: pages
     * compressed with it can only be read with it (the kernel's {@code algorithm_params dict=}).
     */
    public ZstdAlgorithm(int level, byte[] dictionary) {
        this(level, dictionary, null);
    }

    /** An algorithm whose native library failed to load with {@code failure}; for tests. */
    ZstdAlgorithm(int level, Throwable failure) {
        this(level, null, failure);
    }

    private ZstdAlgorithm(int level, byte[] dictionary, Throwable failure) {
        if (level < MIN_LEVEL || level > MAX_LEVEL) {
            throw new IllegalArgumentException(
                    "zstd level must be from " + MIN_LEVEL + " to " + MAX_LEVEL + ", not " + level);
        }
        this.level = level;
        this.dictionary = dictionary == null ? null : dictionary.clone();
        this.injectedFailure = failure;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** zstd's {@code ZSTD_COMPRESSBOUND}. */
    @Override
    public int maxCompressedLength(int srcLen) {
        if (srcLen < 0) {
            throw new IllegalArgumentException("srcLen must not be negative: " + srcLen);
        }
        long bound = (long) srcLen + (srcLen >>> 8) + (srcLen < (128 << 10) ? ((128 << 10) - srcLen) >>> 11 : 0);
        if (bound > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("srcLen is too large: " + srcLen);
        }
        return (int) bound;
    }

    @Override
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Why zstd-jni's native library could not be used here, if it could not. */
    public Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(injectedFailure != null ? injectedFailure : NativeLibrary.FAILURE);
    }

    @Override
    public CompressionStream newStream() {
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IllegalStateException("zstd is not available on this machine: " + cause.get(), cause.get());
        }
        return new Stream(this);
    }

    public int level() {
        return level;
    }

    /** Whether streams load a dictionary. */
    public boolean hasDictionary() {
        return dictionary != null;
    }

    @Override
    public String toString() {
        return NAME + " level " + level + (dictionary != null ? " with a " + dictionary.length + "-byte dictionary" : "") + (isAvailable() ? "" : " (unavailable)");
    }

    /** Loads zstd-jni's native library once and checks that it works. */
    private static final class NativeLibrary {
        static final Throwable FAILURE = probe();

        private static Throwable probe() {
            try {
                Native.load();
                byte[] data = {'j', 'z', 'r', 'a', 'm', 'j', 'z', 'r', 'a', 'm'};
                byte[] compressed = new byte[64];
                byte[] restored = new byte[data.length];
                try (ZstdCompressCtx cctx = new ZstdCompressCtx(); ZstdDecompressCtx dctx = new ZstdDecompressCtx()) {
                    int len = cctx.compressByteArray(compressed, 0, compressed.length, data, 0, data.length);
                    int restoredLen = dctx.decompressByteArray(restored, 0, restored.length, compressed, 0, len);
                    if (restoredLen != data.length || !java.util.Arrays.equals(data, restored)) {
                        return new IllegalStateException("zstd-jni failed its round-trip self-test");
                    }
                }
                return null;
            } catch (LinkageError | RuntimeException failure) {
                // UnsatisfiedLinkError: no library for this platform; ExceptionInInitializerError,
                // or zstd-jni's own exceptions, when it is there but unusable.
                return failure;
            }
        }
    }

    private static final class Stream extends AbstractCompressionStream {

        private final ZstdAlgorithm algorithm;
        private final ZstdCompressCtx cctx;
        private final ZstdDecompressCtx dctx;
        private byte[] heapInput = NO_BYTES;
        private byte[] heapOutput = NO_BYTES;
        private ByteBuffer directOutput;

        Stream(ZstdAlgorithm algorithm) {
            super(NAME);
            this.algorithm = algorithm;
            ZstdCompressCtx c = new ZstdCompressCtx();
            try {
                c.setLevel(algorithm.level);
                ZstdDecompressCtx d = new ZstdDecompressCtx();
                if (algorithm.dictionary != null) {
                    try {
                        c.loadDict(algorithm.dictionary);
                        d.loadDict(algorithm.dictionary);
                    } catch (RuntimeException | Error e) {
                        d.close();
                        throw e;
                    }
                }
                this.dctx = d;
            } catch (RuntimeException | Error e) {
                c.close();
                throw e;
            }
            this.cctx = c;
        }

        @Override
        int doCompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int maxDstLen) {
            int bound = algorithm.maxCompressedLength(srcLen);
            if (src.isDirect()) {
                if (dst.isDirect() && maxDstLen >= bound) {
                    return cctx.compressDirectByteBuffer(dst, dstOff, maxDstLen, src, srcOff, srcLen);
                }
                if (directOutput == null || directOutput.capacity() < bound) {
                    directOutput = ByteBuffer.allocateDirect(bound);
                }
                int len = cctx.compressDirectByteBuffer(directOutput, 0, bound, src, srcOff, srcLen);
                if (len > maxDstLen) {
                    return -1;
                }
                dst.put(dstOff, directOutput, 0, len);
                return len;
            }

            byte[] in;
            int inOff;
            if (src.hasArray()) {
                in = src.array();
                inOff = src.arrayOffset() + srcOff;
            } else {
                in = copyOfInput(src, srcOff, srcLen);
                inOff = 0;
            }
            if (dst.hasArray() && maxDstLen >= bound) {
                return cctx.compressByteArray(dst.array(), dst.arrayOffset() + dstOff, maxDstLen, in, inOff, srcLen);
            }
            heapOutput = atLeast(heapOutput, bound);
            int len = cctx.compressByteArray(heapOutput, 0, bound, in, inOff, srcLen);
            if (len > maxDstLen) {
                return -1;
            }
            dst.put(dstOff, heapOutput, 0, len);
            return len;
        }

        @Override
        void doDecompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int dstLen) {
            int len;
            try {
                if (src.isDirect()) {
                    len = dst.hasArray()
                            ? dctx.decompressDirectByteBufferToByteArray(
                                    dst.array(), dst.arrayOffset() + dstOff, dstLen, src, srcOff, srcLen)
                            : dctx.decompressDirectByteBuffer(dst, dstOff, dstLen, src, srcOff, srcLen);
                } else {
                    byte[] in;
                    int inOff;
                    if (src.hasArray()) {
                        in = src.array();
                        inOff = src.arrayOffset() + srcOff;
                    } else {
                        in = copyOfInput(src, srcOff, srcLen);
                        inOff = 0;
                    }
                    len = dst.hasArray()
                            ? dctx.decompressByteArray(dst.array(), dst.arrayOffset() + dstOff, dstLen, in, inOff, srcLen)
                            : dctx.decompressByteArrayToDirectByteBuffer(dst, dstOff, dstLen, in, inOff, srcLen);
                }
            } catch (ZstdException malformed) {
                throw corrupt("malformed input", malformed);
            }
            if (len != dstLen) {
                throw wrongLength(len, dstLen);
            }
        }

        /** {@code src}'s range, copied to the start of the input scratch array. */
        private byte[] copyOfInput(ByteBuffer src, int srcOff, int srcLen) {
            heapInput = atLeast(heapInput, srcLen);
            src.get(srcOff, heapInput, 0, srcLen);
            return heapInput;
        }

        @Override
        void release() {
            cctx.close();
            dctx.close();
            heapInput = NO_BYTES;
            heapOutput = NO_BYTES;
            directOutput = null;
        }
    }
}
