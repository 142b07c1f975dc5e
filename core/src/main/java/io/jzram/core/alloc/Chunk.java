package io.jzram.core.alloc;

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
     * Object sizes by slot; 0 marks a free slot. Written under the lock; also read without it by the
     * holder of a live handle, which is ordered after the write by the hand-off of the handle.
     */
    @GuardedBy("sizeClass.lock")
    final char[] sizes;
    /** Owner tags by slot, for compaction. */
    @GuardedBy("sizeClass.lock")
    final int[] owners;
    /** Bit {@code i} set: slot {@code i} is free. */
    @GuardedBy("sizeClass.lock")
    private final long[] freeSlots;
    @GuardedBy("sizeClass.lock")
    int inUse;
    /** The fullness group the chunk is linked into; meaningless while isolated or dead. */
    @GuardedBy("sizeClass.lock")
    int group = -1;
    /** Being emptied by compaction: in no fullness list, takes no new objects, is not freed when it empties. */
    @GuardedBy("sizeClass.lock")
    boolean isolated;
    /** Unlinked for good; its memory is (about to be) freed. */
    @GuardedBy("sizeClass.lock")
    boolean dead;
    @GuardedBy("sizeClass.lock")
    Chunk prev;
    @GuardedBy("sizeClass.lock")
    Chunk next;

    Chunk(SizeClass sizeClass, int id, int generation, MemorySegment memory) {
        this.sizeClass = sizeClass;
        this.id = id;
        this.handleBase = Handles.base(id, generation);
        this.memory = memory;
        this.buffer = memory.asByteBuffer();
        int n = sizeClass.objectsPerChunk;
        this.sizes = new char[n];
        this.owners = new int[n];
        this.freeSlots = new long[(n + 63) >>> 6];
        for (int i = 0; i < n; i++) {
            freeSlots[i >>> 6] |= 1L << i;
        }
    }

    /** Takes the lowest free slot; the chunk must not be full. */
    @GuardedBy("sizeClass.lock")
    int takeSlot() {
        for (int w = 0; w < freeSlots.length; w++) {
            long bits = freeSlots[w];
            if (bits != 0) {
                int bit = Long.numberOfTrailingZeros(bits);
                freeSlots[w] = bits & ~(1L << bit);
                return (w << 6) + bit;
            }
        }
        throw new IllegalStateException("no free slot in a chunk counted as not full");
    }

    @GuardedBy("sizeClass.lock")
    void releaseSlot(int index) {
        freeSlots[index >>> 6] |= 1L << index;
    }

    @GuardedBy("sizeClass.lock")
    boolean isFree(int index) {
        return (freeSlots[index >>> 6] & (1L << index)) != 0;
    }

    @Override
    public String toString() {
        return "Chunk[id=" + id + ", class=" + sizeClass.size + "]";
    }
}
