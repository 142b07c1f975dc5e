package io.jzram.core.alloc;

/**
 * Handle encoding. A handle is a positive, non-zero {@code long}:
 * <pre>
 *   bit 63      0
 *   bits 40-62  generation of the chunk-table slot (23 bits, wraps): catches most stale handles
 *   bits 8-39   chunk id + 1 (never 0, so no handle is 0)
 *   bits 0-7    object index in the chunk (at most 256 objects per chunk)
 * </pre>
 */
final class Handles {

    static final int INDEX_BITS = 8;
    static final int MAX_OBJECTS_PER_CHUNK = 1 << INDEX_BITS;
    static final int GENERATION_BITS = 23;
    static final int GENERATION_MASK = (1 << GENERATION_BITS) - 1;
    /** Chunk ids are ints; {@code id + 1} must fit the 32-bit field. */
    static final int MAX_CHUNK_ID = Integer.MAX_VALUE - 1;

    private static final int ID_SHIFT = INDEX_BITS;
    private static final int GENERATION_SHIFT = INDEX_BITS + 32;
    private static final long INDEX_MASK = MAX_OBJECTS_PER_CHUNK - 1;

    private Handles() {
    }

    /** The handle of object 0 of a chunk; the handle of object {@code i} is {@code base | i}. */
    static long base(int chunkId, int generation) {
        return ((long) (generation & GENERATION_MASK) << GENERATION_SHIFT) | ((chunkId + 1L) << ID_SHIFT);
    }

    /** The chunk id, or {@code -1} for a handle that cannot name a chunk. */
    static int chunkId(long handle) {
        long idPlusOne = (handle >>> ID_SHIFT) & 0xFFFF_FFFFL;
        return idPlusOne == 0 || idPlusOne > MAX_CHUNK_ID + 1L ? -1 : (int) (idPlusOne - 1);
    }

    static int index(long handle) {
        return (int) (handle & INDEX_MASK);
    }

    static long baseOf(long handle) {
        return handle & ~INDEX_MASK;
    }
}
