package io.jzram.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

/** Heap and direct buffers as callers hand them over: slices, so with a non-zero base offset. */
enum BufferKind {
    HEAP {
        @Override
        ByteBuffer allocate(int capacity) {
            return filled(ByteBuffer.allocate(capacity + BASE).slice(BASE, capacity));
        }
    },
    DIRECT {
        @Override
        ByteBuffer allocate(int capacity) {
            return filled(ByteBuffer.allocateDirect(capacity + BASE).slice(BASE, capacity));
        }
    };

    /** What every byte of a new buffer holds, so writes outside a range show. */
    static final byte GUARD = (byte) 0xA5;
    private static final int BASE = 11;

    /** A buffer of {@code capacity} bytes, all {@link #GUARD}. */
    abstract ByteBuffer allocate(int capacity);

    /** A buffer holding {@code content} at {@code offset}, {@link #GUARD} around it. */
    ByteBuffer holding(byte[] content, int offset, int slack) {
        ByteBuffer buf = allocate(offset + content.length + slack);
        buf.put(offset, content);
        return buf;
    }

    static byte[] bytes(ByteBuffer buf, int offset, int length) {
        byte[] bytes = new byte[length];
        buf.get(offset, bytes, 0, length);
        return bytes;
    }

    /** Asserts that {@code buf} holds {@link #GUARD} everywhere outside {@code [offset, offset + length)}. */
    static void assertGuardedOutside(ByteBuffer buf, int offset, int length) {
        ByteBuffer all = buf.duplicate().clear();
        for (int i = 0; i < all.capacity(); i++) {
            if (i >= offset && i < offset + length) {
                continue;
            }
            if (all.get(i) != GUARD) {
                throw new AssertionError("byte " + i + " outside [" + offset + ", " + (offset + length)
                        + ") of a " + all.capacity() + "-byte buffer was written: " + all.get(i));
            }
        }
    }

    /** Sets a recognisable position and limit, to check later that nothing moved them. */
    static void markPositionAndLimit(ByteBuffer buf) {
        buf.limit(buf.capacity() - 1).position(1);
    }

    static void assertPositionAndLimitUnchanged(ByteBuffer buf) {
        assertThat(buf.position()).as("position").isEqualTo(1);
        assertThat(buf.limit()).as("limit").isEqualTo(buf.capacity() - 1);
    }

    private static ByteBuffer filled(ByteBuffer buf) {
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, GUARD);
        }
        return buf;
    }
}
