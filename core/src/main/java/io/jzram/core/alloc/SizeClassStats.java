package io.jzram.core.alloc;

/**
 * One size class at one moment, like a row of {@code /sys/kernel/debug/zsmalloc/<pool>/classes}.
 *
 * @param index            position in {@link SizeClassPool#classStats()}, smallest class first
 * @param classSize        slot size in bytes: every object of the class occupies this much of its chunk
 * @param minObjectSize    smallest object size routed to this class
 * @param maxObjectSize    largest object size routed to this class
 * @param pagesPerChunk    4 KiB pages per chunk (zsmalloc's pages_per_zspage)
 * @param objectsPerChunk  slots per chunk
 * @param huge             one object per one-page chunk: objects of {@link SizeClassPool#hugeClassSize()}
 *                         bytes or more
 * @param chunks           chunks held, isolated ones included
 * @param objectsAllocated slots in those chunks (zsmalloc's obj_allocated)
 * @param objectsUsed      live objects (zsmalloc's obj_used)
 */
public record SizeClassStats(
        int index,
        int classSize,
        int minObjectSize,
        int maxObjectSize,
        int pagesPerChunk,
        int objectsPerChunk,
        boolean huge,
        long chunks,
        long objectsAllocated,
        long objectsUsed) {

    /** Pages held by this class (zsmalloc's pages_used). */
    public long pagesUsed() {
        return chunks * pagesPerChunk;
    }

    /** Pages compaction could free if every object could move (zsmalloc's freeable, from zs_can_compact). */
    public long freeablePages() {
        return (objectsAllocated - objectsUsed) / objectsPerChunk * pagesPerChunk;
    }
}
