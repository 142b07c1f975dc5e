package io.jzram.core.compress;

import static io.jzram.core.compress.BufferKind.assertGuardedOutside;
import static io.jzram.core.compress.BufferKind.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

/** Compress and decompress byte arrays through buffers of given kinds, at non-zero offsets. */
final class StreamCalls {

    static final int SRC_OFF = 17;
    static final int DST_OFF = 31;
    /** Guarded bytes after each range. */
    static final int SLACK = 13;

    static byte[] compress(CompressionStream stream, byte[] data, BufferKind srcKind, BufferKind dstKind) {
        int bound = data.length + data.length / 2 + 1024;
        ByteBuffer src = srcKind.holding(data, SRC_OFF, SLACK);
        ByteBuffer dst = dstKind.allocate(DST_OFF + bound);
        int len = stream.compress(src, SRC_OFF, data.length, dst, DST_OFF, bound);
        assertThat(len).isPositive();
        return bytes(dst, DST_OFF, len);
    }

    static byte[] decompress(CompressionStream stream, byte[] compressed, BufferKind srcKind, BufferKind dstKind,
            int dstLen) {
        ByteBuffer src = srcKind.holding(compressed, SRC_OFF, SLACK);
        ByteBuffer dst = dstKind.allocate(DST_OFF + dstLen + SLACK);
        stream.decompress(src, SRC_OFF, compressed.length, dst, DST_OFF, dstLen);
        assertGuardedOutside(dst, DST_OFF, dstLen);
        return bytes(dst, DST_OFF, dstLen);
    }

    private StreamCalls() {
    }
}
