package io.jzram.core.alloc;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Native chunk memory that counts what is live, and can be told to fail. For tests. */
final class CountingChunkMemory implements ChunkMemory {

    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicInteger liveChunks = new AtomicInteger();
    private final AtomicInteger trims = new AtomicInteger();
    private volatile boolean failing;

    @Override
    public MemorySegment allocate(long bytes) {
        if (failing) {
            throw new NativeMemoryException("injected failure");
        }
        MemorySegment segment = NativeMemory.malloc(bytes);
        liveBytes.addAndGet(bytes);
        liveChunks.incrementAndGet();
        return segment;
    }

    @Override
    public void free(MemorySegment memory) {
        liveBytes.addAndGet(-memory.byteSize());
        liveChunks.decrementAndGet();
        NativeMemory.free(memory);
    }

    @Override
    public void trim() {
        trims.incrementAndGet();
        NativeMemory.trim();
    }

    long liveBytes() {
        return liveBytes.get();
    }

    int liveChunks() {
        return liveChunks.get();
    }

    int trims() {
        return trims.get();
    }

    void failFromNowOn(boolean fail) {
        this.failing = fail;
    }
}
