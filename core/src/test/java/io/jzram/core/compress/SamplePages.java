package io.jzram.core.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** The kinds of 4 KiB page zram sees, generated deterministically. */
enum SamplePages {
    ZERO {
        @Override
        byte[] bytes() {
            return new byte[SIZE];
        }
    },
    /** One repeated 8-byte word: what zram's same-page detection would catch. */
    SAME_FILLED {
        @Override
        byte[] bytes() {
            ByteBuffer page = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
            while (page.hasRemaining()) {
                page.putLong(0xDEADBEEF_CAFEBABEL);
            }
            return page.array();
        }
    },
    TEXT {
        @Override
        byte[] bytes() {
            String[] words = {"the", "swap", "page", "of", "a", "compressed", "block", "device", "is",
                "kept", "in", "memory", "zram", "and", "written", "back", "when", "idle", "to", "disk"};
            Random random = new Random(42);
            StringBuilder text = new StringBuilder(SIZE + 16);
            while (text.length() < SIZE) {
                text.append(words[random.nextInt(words.length)]).append(random.nextInt(12) == 0 ? ".\n" : " ");
            }
            return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), SIZE);
        }
    },
    RANDOM {
        @Override
        byte[] bytes() {
            return random(SIZE, 7);
        }
    };

    static final int SIZE = 4096;

    abstract byte[] bytes();

    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
