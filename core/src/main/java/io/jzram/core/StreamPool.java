package io.jzram.core;

import io.jzram.core.mem.Page;
import io.jzram.core.compress.CompressionAlgorithm;
import io.jzram.core.compress.CompressionStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The compression streams of one generation, zram's {@code zcomp} streams: each
 * {@link Stream} couples a codec stream with its scratch buffers, and an I/O borrows one for
 * the duration of a page operation.
 *
 * <p>Lock-free: {@code slots} holds idle streams; {@link #acquire()} takes one with a CAS,
 * probing from a per-thread start index so threads rarely collide; {@link #release} puts it
 * back in a free slot. When every stream is busy (more I/Os in flight than
 * {@code capacity}) a temporary stream is made and closed on release, so an I/O never
 * waits for a stream. Nothing is allocated per I/O in the steady state.
 */
final class StreamPool implements AutoCloseable {

    /** A codec stream and the buffers a page operation needs; used by one thread at a time. */
    static final class Stream {
        final CompressionStream codec;
        /** Compression output; large enough for any page. Direct, so JNI codecs read it in place. */
        final ByteBuffer compressed;
        /**
         * A whole page, for read-modify-write of partial pages, partial reads and the backing
         * device; 4 KiB-aligned, as direct I/O needs.
         */
        final ByteBuffer page;

        Stream(CompressionAlgorithm algorithm) {
            this.codec = algorithm.newStream();
            this.compressed = ByteBuffer.allocateDirect(algorithm.maxCompressedLength(Page.SIZE));
            this.page = ByteBuffer.allocateDirect(2 * Page.SIZE).alignedSlice(Page.SIZE);
        }
    }

    /**
     * Places are {@code SPREAD} array elements apart (64+ bytes even with compressed references),
     * so two cores taking and returning streams do not bounce one cache line between them.
     */
    private static final int SPREAD = 16;

    private final CompressionAlgorithm algorithm;
    private final int capacity;
    /** Idle streams at indices {@code i * SPREAD}; a null entry is a free place. Entries move only by CAS. */
    private final AtomicReferenceArray<Stream> slots;

    StreamPool(CompressionAlgorithm algorithm, int capacity) {
        this.algorithm = algorithm;
        this.capacity = Math.max(1, capacity);
        this.slots = new AtomicReferenceArray<>(this.capacity * SPREAD);
        for (int i = 0; i < this.capacity; i++) {
            slots.set(i * SPREAD, new Stream(algorithm));
        }
    }

    Stream acquire() {
        int start = (int) (Thread.currentThread().threadId() % capacity);
        for (int k = 0; k < capacity; k++) {
            int i = ((start + k) % capacity) * SPREAD;
            Stream s = slots.get(i);
            if (s != null && slots.compareAndSet(i, s, null)) {
                return s;
            }
        }
        return new Stream(algorithm);
    }

    void release(Stream stream) {
        int start = (int) (Thread.currentThread().threadId() % capacity);
        for (int k = 0; k < capacity; k++) {
            int i = ((start + k) % capacity) * SPREAD;
            if (slots.get(i) == null && slots.compareAndSet(i, null, stream)) {
                return;
            }
        }
        stream.codec.close(); // a temporary stream: the pool is full
    }

    /** Closes the idle streams. Only after the generation drained, when all streams are idle. */
    @Override
    public void close() {
        for (int i = 0; i < slots.length(); i += SPREAD) {
            Stream s = slots.getAndSet(i, null);
            if (s != null) {
                s.codec.close();
            }
        }
    }
}
