package io.jzram.core.alloc;

import io.jzram.core.concurrent.GuardedBy;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Chunk id to chunk, read without a lock. Ids are recycled; a per-registration generation (in the
 * handle) tells a recycled id's new chunk from its old one.
 *
 * <p>The table owns the chunks' memory in one sense: whoever removes a chunk from it (by
 * {@link #unregister} or {@link #clear}) is the one who frees the chunk's memory, so it is freed once.
 *
 * <p>Lock order: a class lock may be held when {@link #lock} is taken, never the other way round.
 */
final class ChunkTable {

    private static final int INITIAL_CAPACITY = 256;

    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Slots by chunk id. The array reference is volatile and replaced (grown) under {@link #lock}; its
     * elements are written only under {@link #lock}, read by anyone. A reader holding a handle obtained
     * from {@code malloc} in another thread sees the element, because the hand-off of the handle orders it
     * after the write; a grown array is filled before it is published.
     */
    @GuardedBy("lock (writes)")
    private volatile Chunk[] slots = new Chunk[INITIAL_CAPACITY];
    /** Recycled ids, used as a stack. */
    @GuardedBy("lock")
    private int[] freeIds = new int[INITIAL_CAPACITY];
    @GuardedBy("lock")
    private int freeIdCount;
    /** Ids {@code 0..highWater-1} have been handed out at least once. */
    @GuardedBy("lock")
    private int highWater;
    @GuardedBy("lock")
    private int nextGeneration;

    /** The chunk with this id, or {@code null} if none (or the id is out of range). No lock. */
    Chunk get(int id) {
        Chunk[] s = slots;
        return id >= 0 && id < s.length ? s[id] : null;
    }

    /** Makes a chunk for fresh {@code memory}, gives it an id and installs it. */
    Chunk register(SizeClass sizeClass, MemorySegment memory) {
        lock.lock();
        try {
            int id;
            if (freeIdCount > 0) {
                id = freeIds[--freeIdCount];
            } else {
                if (highWater > Handles.MAX_CHUNK_ID) {
                    throw new NativeMemoryException("chunk table full");
                }
                id = highWater++;
            }
            Chunk chunk = new Chunk(sizeClass, id, nextGeneration++ & Handles.GENERATION_MASK, memory);
            Chunk[] s = slots;
            if (id >= s.length) {
                Chunk[] grown = Arrays.copyOf(s, (int) Math.min((long) s.length * 2, Handles.MAX_CHUNK_ID + 1L));
                grown[id] = chunk;
                slots = grown;
            } else {
                s[id] = chunk;
            }
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code chunk}; {@code false} if it was no longer installed (the table was cleared). */
    boolean unregister(Chunk chunk) {
        lock.lock();
        try {
            Chunk[] s = slots;
            if (chunk.id >= s.length || s[chunk.id] != chunk) {
                return false;
            }
            s[chunk.id] = null;
            if (freeIdCount == freeIds.length) {
                freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
            }
            freeIds[freeIdCount++] = chunk.id;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every chunk. */
    List<Chunk> clear() {
        lock.lock();
        try {
            Chunk[] s = slots;
            List<Chunk> all = new ArrayList<>();
            for (int id = 0; id < highWater; id++) {
                if (s[id] != null) {
                    all.add(s[id]);
                    s[id] = null;
                }
            }
            freeIdCount = 0;
            highWater = 0;
            return all;
        } finally {
            lock.unlock();
        }
    }
}
