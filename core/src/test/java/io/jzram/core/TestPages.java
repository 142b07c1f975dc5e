package io.jzram.core;

import io.jzram.core.mem.Page;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Page contents of every kind the engine treats differently. */
final class TestPages {
    static final int PAGE = Page.SIZE;

    private TestPages() {}

    static byte[] zeros(int len) {
        return new byte[len];
    }

    /** One 8-byte word repeated. */
    static byte[] sameFilled(int len, long word) {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.remaining() >= 8) {
            b.putLong(word);
        }
        return b.array();
    }

    /** Text-like data that LZ4 compresses to well under the huge-class size. */
    static byte[] compressible(int len, long seed) {
        Random r = new Random(seed);
        String[] words = {"zram ", "page ", "slot ", "chunk ", "compress ", "iscsi ", "lun ", "sector ", "gate ", "reset "};
        StringBuilder sb = new StringBuilder(len + 16);
        while (sb.length() < len) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(100));
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), len);
    }

    /** Incompressible bytes: stored raw as huge pages. */
    static byte[] random(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ByteBuffer direct(byte[] data) {
        ByteBuffer b = ByteBuffer.allocateDirect(data.length);
        b.put(data).flip();
        return b;
    }
}
