package io.jzram.core.alloc;

import io.jzram.core.concurrent.GuardedBy;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One chunk (zsmalloc's zspage): {@code pagesPerChunk} contiguous pages of native memory cut into equal
 * slots, plus the on-heap metadata for them. The chunk memory holds object bytes only.
 *
 * <p>The final fields are read without a lock by whoever holds a live handle (publication through
 * the chunk table and the handle hand-off). Everything else is guarded by the class lock.
 */
final class Chunk {

    final SizeClass sizeClass;
    final int id;
    /** {@code Handles.base(id, generation)}: a handle names this chunk iff {@code Handles.baseOf(h) == handleBase}. */
    final long handleBase;
    /** The whole chunk; global scope, freed explicitly. */
    final MemorySegment memory;
    /** A direct view of {@link #memory}, shared by all readers: absolute offsets only, never repositioned. */
    final ByteBuffer buffer;

    /**
     * All per-slot metadata in one array, so that freeing or taking an object touches one heap
     * object besides the chunk (three separate arrays cost three cache misses on every free of an
     * object in a cold chunk):
     * <ul>
     *   <li>{@code meta[0, bitmapWords)}: the free-slot bitmap, bit {@code i} set iff slot {@code i}
     *       is free;</li>
     *   <li>{@code meta[bitmapWords + i]}: slot {@code i}'s object, {@code owner << 32 | size}; 0 for
     *       a free slot (a live object's size is at least 1).</li>
     * </ul>
     * Written under the lock; the entry of a live object is also read without it by the holder of
     * its handle ({@link #size}), which is ordered after the write by the hand-off of the handle.
     */
    @GuardedBy("sizeClass.lock")
    private final long[] meta;
    private final int bitmapWords;
    @GuardedBy("sizeClass.lock")
    int inUse;
    /** The fullness group the chunk is linked into, -1 while isolated or dead. */
    @GuardedBy("sizeClass.lock")
    int group = -1;
    /** The chunk's index in its group's array (see {@link SizeClass}); meaningless while {@code group == -1}. */
    @GuardedBy("sizeClass.lock")
    int slotInGroup;
    /** Being emptied by compaction: in no fullness list, takes no new objects, is not freed when it empties. */
    @GuardedBy("sizeClass.lock")
    boolean isolated;
    /** Unlinked for good; its memory is (about to be) freed. */
    @GuardedBy("sizeClass.lock")
    boolean dead;

    Chunk(SizeClass sizeClass, int id, int generation, MemorySegment memory) {
        this.sizeClass = sizeClass;
        this.id = id;
        this.handleBase = Handles.base(id, generation);
        this.memory = memory;
        this.buffer = memory.asByteBuffer();
        int n = sizeClass.objectsPerChunk;
        this.bitmapWords = (n + 63) >>> 6;
        this.meta = new long[bitmapWords + n];
        for (int i = 0; i < n; i++) {
            meta[i >>> 6] |= 1L << i;
        }
    }

    /** Puts an object of {@code size} bytes owned by {@code owner} into the lowest free slot; the chunk must not be full. */
    @GuardedBy("sizeClass.lock")
    int take(int size, int owner) {
        assert size >= 1 && size <= 0xFFFF;
        for (int w = 0; w < bitmapWords; w++) {
            long bits = meta[w];
            if (bits != 0) {
                int bit = Long.numberOfTrailingZeros(bits);
                meta[w] = bits & ~(1L << bit);
                int slot = (w << 6) + bit;
                meta[bitmapWords + slot] = (long) owner << 32 | size;
                return slot;
            }
        }
        throw new IllegalStateException("no free slot in a chunk counted as not full");
    }

    /** Frees a slot that holds an object. */
    @GuardedBy("sizeClass.lock")
    void release(int index) {
        meta[bitmapWords + index] = 0;
        meta[index >>> 6] |= 1L << index;
    }

    /** Records a new size for the object in slot {@code index}, keeping its owner. */
    @GuardedBy("sizeClass.lock")
    void resize(int index, int size) {
        assert size >= 1 && size <= 0xFFFF && !isFree(index);
        int at = bitmapWords + index;
        meta[at] = (meta[at] & ~0xFFFFL) | size;
    }

    @GuardedBy("sizeClass.lock")
    boolean isFree(int index) {
        return (meta[index >>> 6] & (1L << index)) != 0;
    }

    /** The size of the object in slot {@code index}, 0 if the slot is free. Under the lock, or by the holder of the object's handle. */
    int size(int index) {
        return (int) meta[bitmapWords + index] & 0xFFFF;
    }

    /** The owner tag of the object in slot {@code index}. */
    @GuardedBy("sizeClass.lock")
    int owner(int index) {
        return (int) (meta[bitmapWords + index] >>> 32);
    }

    @Override
    public String toString() {
        return "Chunk[id=" + id + ", class=" + sizeClass.size + "]";
    }
}
