package io.jzram.target.iscsi;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of direct buffers for SCSI data (write data collected from immediate data and Data-Out
 * PDUs, read data handed to the command set and sent as Data-In).
 *
 * <p>Size classes are powers of two from 4 KiB to 16 MiB. {@link #acquire} returns a buffer whose
 * capacity is the class size, position 0 and limit the requested size; {@link #release} takes back
 * exactly that object (never a slice or duplicate). Larger requests get an unpooled heap buffer
 * (direct memory that large would outlive its use until a GC ran the cleaner).
 *
 * <p>Thread-safe and lock-free: each class is a {@link ConcurrentLinkedQueue}; the total retained
 * capacity is bounded by {@link #retainedBytes} (a CAS-updated counter), so an idle server keeps at
 * most {@code maxRetainedBytes} of direct memory.
 */
final class BufferPool {
    static final int MIN_SHIFT = 12; // 4 KiB
    static final int MAX_SHIFT = 24; // 16 MiB

    private final ConcurrentLinkedQueue<ByteBuffer>[] classes;
    private final long maxRetainedBytes;
    /** Sum of the capacities of the buffers sitting in {@link #classes}; updated by CAS only. */
    private final AtomicLong retainedBytes = new AtomicLong();

    @SuppressWarnings("unchecked")
    BufferPool(long maxRetainedBytes) {
        this.maxRetainedBytes = maxRetainedBytes;
        classes = new ConcurrentLinkedQueue[MAX_SHIFT - MIN_SHIFT + 1];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = new ConcurrentLinkedQueue<>();
        }
    }

    private static int classIndex(int size) {
        if (size <= 1 << MIN_SHIFT) {
            return 0;
        }
        int shift = 32 - Integer.numberOfLeadingZeros(size - 1);
        return shift - MIN_SHIFT;
    }

    ByteBuffer acquire(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
        if (size > 1 << MAX_SHIFT) {
            return ByteBuffer.allocate(size);
        }
        int index = classIndex(size);
        ByteBuffer b = classes[index].poll();
        if (b != null) {
            retainedBytes.addAndGet(-b.capacity());
            b.clear().limit(size);
            return b;
        }
        return ByteBuffer.allocateDirect(1 << (index + MIN_SHIFT)).limit(size);
    }

    void release(ByteBuffer b) {
        if (b == null || !b.isDirect()) {
            return;
        }
        int cap = b.capacity();
        if (Integer.bitCount(cap) != 1 || cap < 1 << MIN_SHIFT || cap > 1 << MAX_SHIFT) {
            return;
        }
        long now;
        do {
            now = retainedBytes.get();
            if (now + cap > maxRetainedBytes) {
                return; // drop it; the cleaner frees it
            }
        } while (!retainedBytes.compareAndSet(now, now + cap));
        classes[classIndex(cap)].offer(b);
    }

    long retainedBytes() {
        return retainedBytes.get();
    }
}
