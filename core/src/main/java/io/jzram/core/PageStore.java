package io.jzram.core;

import io.jzram.core.mem.Page;
import io.jzram.core.alloc.NativeMemoryException;
import io.jzram.core.alloc.SizeClassPool;
import io.jzram.core.compress.CompressionAlgorithm;
import io.jzram.core.compress.CorruptDataException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The pages of one generation: slot table, allocator, compression streams and statistics, and
 * the page operations on them (zram's {@code zram_read_page}, {@code zram_write_page},
 * {@code zram_free_page}).
 *
 * <h2>How a page is stored</h2>
 * <ol>
 *   <li>A page that is one 8-byte word repeated (zeros included) stores only the word in its
 *       slot: no allocation; counted in {@code same_pages}.</li>
 *   <li>Otherwise it is compressed into the stream's scratch buffer. If the result is shorter
 *       than the allocator's {@link SizeClassPool#hugeClassSize() huge-class size} it is
 *       copied into an object of that size; otherwise the page is stored raw in a 4096-byte
 *       object and counted in {@code huge_pages}: a compressed object that large would sit alone
 *       in a one-page chunk anyway, so compressing it saves nothing and costs a decompression
 *       on every read.</li>
 *   <li>An overwrite whose new object falls in the size class of the page's old object (every
 *       overwrite of a huge page by a huge page) writes the new bytes over the old ones, in place:
 *       no allocation, no free.</li>
 *   <li>After allocating, {@code mem_used_total} is checked against {@code mem_limit}: over it,
 *       the new object is freed, the page keeps its old contents, {@code failed_writes} counts
 *       it and the write fails with {@link ZramException.Reason#NO_SPACE} (the kernel's
 *       {@code -ENOMEM}).</li>
 * </ol>
 *
 * <h2>Rules</h2>
 * Every operation on page {@code i} runs entirely under slot {@code i}'s lock, partial-page
 * read-modify-write included, so concurrent writes to different sectors of one page never lose
 * an update. Callers are inside the generation's {@link IoGate}, so nothing here races with
 * {@link #close()}. Lock order: slot lock, then allocator class locks (inside the pool).
 */
final class PageStore implements AutoCloseable {

    static final int PAGE = Page.SIZE;

    private final SlotTable slots;
    private final SizeClassPool pool;
    private final StreamPool streams;
    final DeviceStats stats = new DeviceStats();
    /** Compressed sizes at or above this are stored raw. */
    private final int hugeSize;

    PageStore(long pages, CompressionAlgorithm algorithm, int streamCount) {
        SlotTable table = new SlotTable(pages);
        SizeClassPool allocator = null;
        try {
            allocator = new SizeClassPool();
            this.streams = new StreamPool(algorithm, streamCount);
        } catch (RuntimeException | Error e) {
            if (allocator != null) {
                allocator.close();
            }
            table.close();
            throw e;
        }
        this.slots = table;
        this.pool = allocator;
        this.hugeSize = pool.hugeClassSize();
    }

    // ---------------------------------------------------------------- read

    /** Copies {@code len} bytes of page {@code index} from {@code pageOff} into {@code dst[dstOff]}. */
    void read(int index, int pageOff, ByteBuffer dst, int dstOff, int len) throws ZramException {
        StreamPool.Stream s = streams.acquire();
        slots.lock(index);
        try {
            if (pageOff == 0 && len == PAGE) {
                readPageLocked(index, s, dst, dstOff);
            } else {
                readPageLocked(index, s, s.page, 0);
                dst.put(dstOff, s.page, pageOff, len);
            }
        } finally {
            slots.unlock(index);
            streams.release(s);
        }
    }

    /** Caller holds the slot lock: writes the whole page into {@code dst[dstOff, dstOff + 4096)}. */
    private void readPageLocked(int index, StreamPool.Stream s, ByteBuffer dst, int dstOff) throws ZramException {
        if (slots.isSame(index)) {
            fillWord(dst, dstOff, slots.word(index));
        } else if (!slots.hasObject(index)) {
            fillWord(dst, dstOff, 0L);
        } else {
            long handle = slots.word(index);
            int size = slots.size(index);
            if (slots.isHuge(index)) {
                dst.put(dstOff, pool.buffer(handle), pool.offset(handle), PAGE);
            } else {
                try {
                    s.codec.decompress(pool.buffer(handle), pool.offset(handle), size, dst, dstOff, PAGE);
                } catch (CorruptDataException e) {
                    stats.failedReads.increment();
                    throw new ZramException(ZramException.Reason.READ_FAILED,
                            "page " + index + ": stored data does not decompress: " + e.getMessage(), e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- write

    /**
     * Stores {@code len} bytes from {@code src[srcOff]} at {@code pageOff} of page {@code index};
     * a partial page is read, patched and stored again, all under the slot lock.
     */
    void write(int index, int pageOff, ByteBuffer src, int srcOff, int len, long memLimit) throws ZramException {
        StreamPool.Stream s = streams.acquire();
        slots.lock(index);
        try {
            if (pageOff == 0 && len == PAGE) {
                storeLocked(index, src, srcOff, s, memLimit);
            } else {
                readPageLocked(index, s, s.page, 0);
                s.page.put(pageOff, src, srcOff, len);
                storeLocked(index, s.page, 0, s, memLimit);
            }
        } finally {
            slots.unlock(index);
            streams.release(s);
        }
    }

    /** Zeroes {@code len} bytes of page {@code index} from {@code pageOff}; a whole page is simply freed. */
    void zero(int index, int pageOff, int len, long memLimit) throws ZramException {
        if (pageOff == 0 && len == PAGE) {
            discard(index);
            return;
        }
        StreamPool.Stream s = streams.acquire();
        slots.lock(index);
        try {
            readPageLocked(index, s, s.page, 0);
            s.page.put(pageOff, ZERO_PAGE, 0, len);
            storeLocked(index, s.page, 0, s, memLimit);
        } finally {
            slots.unlock(index);
            streams.release(s);
        }
    }

    /** Caller holds the slot lock: stores the whole page at {@code data[off]}, replacing what was there. */
    private void storeLocked(int index, ByteBuffer data, int off, StreamPool.Stream s, long memLimit)
            throws ZramException {
        if (isSameFilled(data, off)) {
            long word = readWord(data, off);
            replaceLocked(index, 0);
            slots.setSame(index, word);
            stats.samePages.increment();
            return;
        }
        // The whole scratch buffer is offered (the codec's worst case), so the codec compresses in
        // place; asking it to stop at hugeSize would make lz4 and zstd go through their own scratch.
        int compressed = s.codec.compress(data, off, PAGE, s.compressed, 0, s.compressed.capacity());
        boolean huge = compressed < 0 || compressed >= hugeSize;
        int size = huge ? PAGE : compressed;
        if (slots.hasObject(index) && pool.resizeInPlace(slots.word(index), size)) {
            overwriteInPlace(index, data, off, s, size, huge);
            return;
        }
        long handle;
        try {
            handle = pool.malloc(size, index);
        } catch (NativeMemoryException e) {
            stats.failedWrites.increment();
            throw new ZramException(ZramException.Reason.NO_SPACE,
                    "page " + index + ": the native allocator failed: " + e.getMessage(), e);
        }
        long used = pool.totalBytes();
        if (memLimit > 0 && used > memLimit) {
            pool.free(handle);
            stats.failedWrites.increment();
            throw new ZramException(ZramException.Reason.NO_SPACE,
                    "page " + index + ": mem_limit " + memLimit + " reached (mem_used_total would be " + used + ")");
        }
        stats.updateMemUsedMax(used);
        copyInto(handle, data, off, s, size, huge);
        replaceLocked(index, size);
        slots.setObject(index, handle, size, huge);
        if (huge) {
            stats.hugePages.increment();
            stats.hugePagesSince.increment();
        }
    }

    /**
     * Caller holds the slot lock, and the page's object has just been resized to {@code size} in
     * place (same size class): the new bytes replace the old ones where they are. No memory is
     * allocated or freed, so mem_limit cannot be crossed and nothing can fail half-way; readers and
     * compaction take the slot lock, so none sees the object while it is rewritten. The kernel's
     * zram always allocates a new object; this saves the allocator's malloc and free and writes
     * into memory that is already the page's (for incompressible pages, which always land in the
     * huge class, every overwrite).
     */
    private void overwriteInPlace(int index, ByteBuffer data, int off, StreamPool.Stream s, int size, boolean huge) {
        long handle = slots.word(index);
        int oldSize = slots.size(index);
        // Same size class, same kind: huge objects (4096 bytes) have a class of their own, so
        // huge_pages does not change; huge_pages_since counts every huge store.
        assert huge == slots.isHuge(index);
        copyInto(handle, data, off, s, size, huge);
        slots.setObject(index, handle, size, huge);
        stats.comprDataSize.add(size - oldSize);
        if (huge) {
            stats.hugePagesSince.increment();
        }
    }

    /** Writes the page's new bytes into object {@code handle}: the page itself if huge, else its compressed form. */
    private void copyInto(long handle, ByteBuffer data, int off, StreamPool.Stream s, int size, boolean huge) {
        ByteBuffer target = pool.buffer(handle);
        int at = pool.offset(handle);
        if (huge) {
            target.put(at, data, off, PAGE);
        } else {
            target.put(at, s.compressed, 0, size);
        }
    }

    // ---------------------------------------------------------------- discard

    /** Frees page {@code index} (it reads as zeros afterwards) and counts it in {@code notify_free}. */
    void discard(int index) {
        slots.lock(index);
        try {
            freeLocked(index);
        } finally {
            slots.unlock(index);
        }
        stats.notifyFree.increment();
    }

    /** Caller holds the slot lock: releases what the page holds and empties the slot. */
    private void freeLocked(int index) {
        long size = slots.hasObject(index) ? slots.size(index) : 0;
        if (releaseLocked(index)) {
            stats.pagesStored.decrement();
            stats.comprDataSize.add(-size);
        }
    }

    /**
     * Caller holds the slot lock: empties the slot for new contents of {@code newSize} compressed
     * bytes (0 for a same-filled page), which the caller puts in next. An overwrite moves each
     * counter by its net change only: {@code compr_data_size} once (not at all for the same size),
     * {@code pages_stored} not at all (fewer shared counter updates per write; readers only ever
     * see sums).
     */
    private void replaceLocked(int index, int newSize) {
        long oldSize = slots.hasObject(index) ? slots.size(index) : 0;
        if (!releaseLocked(index)) {
            stats.pagesStored.increment();
        }
        if (newSize != oldSize) {
            stats.comprDataSize.add(newSize - oldSize);
        }
    }

    /**
     * Caller holds the slot lock: frees the page's object (or forgets its same-filled word) and
     * empties the slot, updating {@code same_pages} and {@code huge_pages}; returns whether the page
     * held data. {@code pagesStored} and {@code compr_data_size} are left to the caller, which knows
     * whether new data replaces the old.
     */
    private boolean releaseLocked(int index) {
        if (slots.isSame(index)) {
            stats.samePages.decrement();
        } else if (slots.hasObject(index)) {
            pool.free(slots.word(index));
            if (slots.isHuge(index)) {
                stats.hugePages.decrement();
            }
        } else {
            return false;
        }
        slots.clear(index);
        return true;
    }

    // ---------------------------------------------------------------- compaction and stats

    /** Moves objects out of sparse chunks; returns the 4 KiB pages freed. */
    long compact() {
        long freed = pool.compact((owner, handle) -> {
            if (!slots.tryLock(owner)) {
                return false; // the page is busy: skip it, never wait while compacting
            }
            try {
                if (!slots.hasObject(owner) || slots.word(owner) != handle) {
                    return false; // rewritten or freed since the pool looked
                }
                slots.setHandle(owner, pool.migrate(handle));
                return true;
            } finally {
                slots.unlock(owner);
            }
        });
        stats.pagesCompacted.add(freed);
        return freed;
    }

    MmStat mmStat(long memLimit) {
        return new MmStat(
                stats.pagesStored.sum() * PAGE,
                stats.comprDataSize.sum(),
                pool.totalBytes(),
                memLimit,
                stats.memUsedMax.get(),
                stats.samePages.sum(),
                stats.pagesCompacted.sum(),
                stats.hugePages.sum(),
                stats.hugePagesSince.sum());
    }

    void resetMemUsedMax() {
        stats.memUsedMax.set(pool.totalBytes());
    }

    /** Frees everything: allocator chunks, streams, the slot table. Only after the gate drained. */
    @Override
    public void close() {
        try {
            pool.close();
            streams.close();
        } finally {
            slots.close();
        }
    }

    // ---------------------------------------------------------------- same-filled pages

    /** True when the page is one 8-byte word repeated: bytes [8, 4096) equal bytes [0, 4088). */
    static boolean isSameFilled(ByteBuffer data, int off) {
        // Most pages differ within their first 16 bytes: they are decided at once. The rest are
        // compared a long at a time on the caller's buffer itself: a MemorySegment view of it would
        // be an allocation per page (the JIT does not remove it), and I/O allocates nothing.
        long w = data.getLong(off);
        if (w != data.getLong(off + 8)) {
            return false;
        }
        long diff = 0;
        for (int i = 0; i < PAGE; i += 32) { // 128 steps of 4 longs (the first 16 bytes again: simpler than a tail)
            diff |= (data.getLong(off + i) ^ w) | (data.getLong(off + i + 8) ^ w)
                    | (data.getLong(off + i + 16) ^ w) | (data.getLong(off + i + 24) ^ w);
            if (diff != 0) {
                return false;
            }
        }
        return true;
    }

    /** The page's first 8 bytes as a big-endian word, whatever the buffer's byte order. */
    static long readWord(ByteBuffer data, int off) {
        long w = data.getLong(off);
        return data.order() == ByteOrder.BIG_ENDIAN ? w : Long.reverseBytes(w);
    }

    /** Fills {@code dst[off, off + 4096)} with the big-endian {@code word} repeated. */
    static void fillWord(ByteBuffer dst, int off, long word) {
        if (word == 0) {
            dst.put(off, ZERO_PAGE, 0, PAGE); // a copy from a page of zeros that stays in the cache; no allocation
            return;
        }
        long w = dst.order() == ByteOrder.BIG_ENDIAN ? word : Long.reverseBytes(word);
        for (int i = 0; i < PAGE; i += 8) {
            dst.putLong(off + i, w);
        }
    }

    /** A page of zeros, only ever read (absolute bulk gets, which do not move its position). */
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(PAGE).asReadOnlyBuffer();
}
