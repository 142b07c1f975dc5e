package io.jzram.core.compress;

import java.nio.ByteBuffer;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * A stream of {@link Lz4Algorithm} or {@link Lz4HcAlgorithm}. lz4-java's compressors and
 * decompressors are stateless and shared; the stream only owns a scratch buffer.
 *
 * <p><b>Output that does not fit.</b> lz4-java signals "does not fit in maxDestLen" with an
 * {@link LZ4Exception}, whose stack trace costs more than compressing a page. Incompressible
 * pages hit exactly that case, so it must stay cheap: when {@code maxDstLen} is at least the
 * worst-case bound the output goes straight into {@code dst} (it cannot fail); otherwise it goes
 * into a per-stream scratch buffer of the bound's size and is copied to {@code dst} if it fits,
 * else {@code -1} is returned. That costs one copy of the compressed bytes (at most
 * {@code maxDstLen}) instead of an exception per incompressible page.
 *
 * <p><b>Decompression</b> uses the safe decompressor, which never reads or writes outside the
 * given ranges whatever the input, bounded by {@code dstLen}; any result other than exactly
 * {@code dstLen} bytes is a {@link CorruptDataException}.
 */
final class Lz4Stream extends AbstractCompressionStream {

    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;
    private ByteBuffer scratch = ByteBuffer.wrap(NO_BYTES);

    Lz4Stream(String algorithm, LZ4Compressor compressor, LZ4SafeDecompressor decompressor) {
        super(algorithm);
        this.compressor = compressor;
        this.decompressor = decompressor;
    }

    @Override
    int doCompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int maxDstLen) {
        int bound = compressor.maxCompressedLength(srcLen);
        if (maxDstLen >= bound) {
            return compressor.compress(src, srcOff, srcLen, dst, dstOff, maxDstLen);
        }
        if (scratch.capacity() < bound) {
            scratch = ByteBuffer.allocate(bound);
        }
        int len = compressor.compress(src, srcOff, srcLen, scratch, 0, bound);
        if (len > maxDstLen) {
            return -1;
        }
        dst.put(dstOff, scratch, 0, len);
        return len;
    }

    @Override
    void doDecompress(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int dstLen) {
        int len;
        try {
            len = decompressor.decompress(src, srcOff, srcLen, dst, dstOff, dstLen);
        } catch (LZ4Exception | IndexOutOfBoundsException malformed) {
            // The pure-Java fallback may report running off the end of src as an index error;
            // the ranges themselves were checked before, so it can only come from the data.
            throw corrupt("malformed input", malformed);
        }
        if (len != dstLen) {
            throw wrongLength(len, dstLen);
        }
    }

    @Override
    void release() {
        scratch = ByteBuffer.wrap(NO_BYTES);
    }
}
