package io.jzram.core;

import io.jzram.core.mem.Page;
import io.jzram.core.alloc.NativeMemoryException;
import io.jzram.core.alloc.SizeClassPool;
import io.jzram.core.compress.CompressionAlgorithm;
import io.jzram.core.compress.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

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
 * <h2>Tiers</h2>
 * A page's object may also come from a recompression algorithm (priority 1–3, kept in its slot,
 * and reads decompress with that algorithm), or the page may have been written back to the
 * backing device ({@link SlotTable#WB}: its slot holds the block, reads fetch it from there).
 * Recompression and writeback are in {@link #recompress} and {@link #writeback}; each says how
 * it ends when I/O to the same page races with it.
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
    /** The primary algorithm's streams: every I/O borrows one. */
    private final StreamPool streams;
    /** Streams by priority: [0] is {@link #streams}, [1..3] the recompression algorithms' or null. */
    private final StreamPool[] byPriority;
    /** The algorithms' names by priority (null where none). */
    private final String[] names;
    /** The backing device, or null. */
    private final BackingStore backing;
    final DeviceStats stats = new DeviceStats();
    /** Objects compressed with each recompression algorithm, by priority (index 0 unused: derived). */
    private final LongAdder[] recompressed = new LongAdder[ZramDevice.MAX_ALGORITHMS];
    /** Compressed sizes at or above this are stored raw. */
    private final int hugeSize;
    /** Nanoseconds, as {@link System#nanoTime()}; access times count whole seconds from {@link #epoch}. */
    private final LongSupplier clock;
    private final long epoch;

    /**
     * @param algorithms by priority: [0] the primary, [1..3] recompression algorithms or null
     * @param backing the backing device (the store closes it), or null
     * @param clock nanoseconds, as {@link System#nanoTime()} (tests pass their own)
     */
    PageStore(long pages, CompressionAlgorithm[] algorithms, int streamCount, BackingStore backing, LongSupplier clock) {
        SlotTable table = new SlotTable(pages);
        SizeClassPool allocator = null;
        StreamPool[] pools = new StreamPool[ZramDevice.MAX_ALGORITHMS];
        try {
            allocator = new SizeClassPool();
            for (int p = 0; p < pools.length; p++) {
                if (p < algorithms.length && algorithms[p] != null) {
                    // Recompression algorithms also decompress on every read of their pages: as many streams.
                    pools[p] = new StreamPool(algorithms[p], streamCount);
                }
            }
        } catch (RuntimeException | Error e) {
            for (StreamPool pool : pools) {
                if (pool != null) {
                    pool.close();
                }
            }
            if (allocator != null) {
                allocator.close();
            }
            table.close();
            if (backing != null) {
                backing.close();
            }
            throw e;
        }
        this.slots = table;
        this.pool = allocator;
        this.byPriority = pools;
        this.streams = pools[0];
        this.names = new String[pools.length];
        for (int p = 0; p < pools.length; p++) {
            names[p] = p < algorithms.length && algorithms[p] != null ? algorithms[p].name() : null;
            recompressed[p] = new LongAdder();
        }
        this.backing = backing;
        this.hugeSize = pool.hugeClassSize();
        this.clock = clock;
        this.epoch = clock.getAsLong();
    }

    /** Now, in whole seconds of this generation's clock: what access times are compared with. */
    long now() {
        return (clock.getAsLong() - epoch) / 1_000_000_000L;
    }

    /** The number of pages. */
    long pages() {
        return slots.pages();
    }

    boolean hasBacking() {
        return backing != null;
    }

    /** Whether there is an algorithm of {@code priority}. */
    boolean hasAlgorithm(int priority) {
        return priority >= 0 && priority < byPriority.length && byPriority[priority] != null;
    }

    /** The recompression algorithms configured, by priority (1–3): whether there is one. */
    boolean hasRecompression() {
        for (int p = 1; p < byPriority.length; p++) {
            if (byPriority[p] != null) {
                return true;
            }
        }
        return false;
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
            slots.accessed(index, now());
        } finally {
            slots.unlock(index);
            streams.release(s);
        }
    }

    /** Caller holds the slot lock: writes the whole page into {@code dst[dstOff, dstOff + 4096)}. */
    private void readPageLocked(int index, StreamPool.Stream s, ByteBuffer dst, int dstOff) throws ZramException {
        if (slots.isSame(index)) {
            fillWord(dst, dstOff, slots.word(index));
        } else if (slots.isWrittenBack(index)) {
            readBackLocked(index, s, dst, dstOff);
        } else if (!slots.hasObject(index)) {
            fillWord(dst, dstOff, 0L);
        } else {
            long handle = slots.word(index);
            int size = slots.size(index);
            if (slots.isHuge(index)) {
                dst.put(dstOff, pool.buffer(handle), pool.offset(handle), PAGE);
            } else {
                int priority = slots.priority(index);
                StreamPool.Stream codec = priority == 0 ? s : byPriority[priority].acquire();
                try {
                    codec.codec.decompress(pool.buffer(handle), pool.offset(handle), size, dst, dstOff, PAGE);
                } catch (CorruptDataException e) {
                    stats.failedReads.increment();
                    throw new ZramException(ZramException.Reason.READ_FAILED,
                            "page " + index + ": stored data does not decompress: " + e.getMessage(), e);
                } finally {
                    if (priority != 0) {
                        byPriority[priority].release(codec);
                    }
                }
            }
        }
    }

    /**
     * Caller holds the slot lock, and the page is written back: reads its block into
     * {@code dst[dstOff, dstOff + 4096)} through the stream's aligned page buffer (direct I/O needs
     * it). The page stays on the backing device, as the kernel's does. A read that fails ends
     * as a failed read (counted, READ_FAILED); the page keeps its block.
     */
    private void readBackLocked(int index, StreamPool.Stream s, ByteBuffer dst, int dstOff) throws ZramException {
        try {
            backing.read(slots.word(index), s.page);
        } catch (IOException e) {
            stats.failedReads.increment();
            throw new ZramException(ZramException.Reason.READ_FAILED,
                    "page " + index + ": cannot read block " + slots.word(index) + " of the backing device: " + e.getMessage(), e);
        }
        if (dst != s.page || dstOff != 0) {
            dst.put(dstOff, s.page, 0, PAGE);
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
            slots.accessed(index, now());
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
            slots.accessed(index, now());
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
        if (slots.hasObject(index) && slots.priority(index) == 0 && pool.resizeInPlace(slots.word(index), size)) {
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

    // ---------------------------------------------------------------- provisioning

    /**
     * Whether page {@code index} is mapped: it holds an allocator object, a same-filled word other
     * than zero, or a block of the backing device. A page never written, discarded, or same-filled
     * with zeros is not: it costs no memory and reads as zeros (what SCSI calls deallocated).
     * Looked at under the slot lock, so a page being rewritten is seen before or after, never half.
     */
    boolean isMapped(int index) {
        slots.lock(index);
        try {
            if (slots.isSame(index)) {
                return slots.word(index) != 0;
            }
            return slots.isWrittenBack(index) || slots.hasObject(index);
        } finally {
            slots.unlock(index);
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
        } else if (slots.isWrittenBack(index)) {
            backing.free(slots.word(index));
        } else if (slots.hasObject(index)) {
            pool.free(slots.word(index));
            if (slots.isHuge(index)) {
                stats.hugePages.decrement();
            }
            int priority = slots.priority(index);
            if (priority != 0) {
                recompressed[priority].decrement();
            }
        } else {
            return false;
        }
        slots.clear(index);
        return true;
    }

    // ---------------------------------------------------------------- tiers: idle, recompress, writeback

    /**
     * Marks idle each page holding an object that was last accessed at least {@code age} seconds
     * ago ({@code age} < 0: every such page), and clears the mark of those accessed since (the
     * kernel's {@code mark_idle}). Same-filled and written-back pages are never idle: nothing
     * would be done to them. A page accessed while the pass runs is simply accessed afterwards or
     * before its turn: each page is looked at once, under its lock.
     *
     * @return the pages marked idle
     */
    long markIdle(long age) {
        long now = now();
        long marked = 0;
        long pages = slots.pages();
        for (int index = 0; index < pages; index++) {
            slots.lock(index);
            try {
                if (!slots.hasObject(index)) {
                    continue;
                }
                if (age < 0 || now - slots.acTime(index) >= age) {
                    slots.set(index, SlotTable.IDLE);
                    marked++;
                } else {
                    slots.clearFlag(index, SlotTable.IDLE);
                }
            } finally {
                slots.unlock(index);
            }
        }
        return marked;
    }

    /** What {@link #recompress} did to a page. */
    enum Recompression {
        /** The page is not one the request looks at; it does not count against max_pages. */
        NOT_SELECTED,
        /** Tried; no algorithm made it smaller (or memory ran out): the page is as it was. */
        UNCHANGED,
        RECOMPRESSED
    }

    /**
     * Recompresses page {@code index} if it holds an object with all of {@code flags}, of at
     * least {@code threshold} bytes (0: any), last accessed at least {@code age} seconds ago
     * ({@code age} < 0: any), compressed with a lower priority than {@code lastPriority}: with
     * each configured algorithm from the one after its own up to {@code lastPriority}
     * (inclusive), stopping at the first whose output falls in a smaller size class (and below
     * {@code threshold}, if given). The kernel's {@code recompress_slot}.
     *
     * <p>How it ends, all of it under the slot lock (the page is decompressed, compressed and
     * replaced while no I/O can touch it; an I/O to the page waits that long, tens of
     * microseconds, and sees the page either before or after, never between):
     * <ul>
     *   <li>no algorithm shrinks the page: it keeps its object; if every configured algorithm
     *       after its own was tried, it is marked {@link SlotTable#INCOMPRESSIBLE} and never
     *       tried again until it is rewritten;</li>
     *   <li>the new object does not fit (the C library has no memory, or mem_limit would be
     *       crossed): the new object is freed and the page keeps its old one (UNCHANGED);</li>
     *   <li>otherwise the old object is freed and the page keeps its access time and idle mark
     *       (it was not accessed) with its new object and priority. A huge page that shrinks is no
     *       longer huge.</li>
     * </ul>
     * A stored object that does not decompress is left alone (UNCHANGED): a read reports it.
     */
    Recompression recompress(int index, int flags, int threshold, long age, int firstPriority, int lastPriority,
            long memLimit, StreamPool.Stream s) {
        slots.lock(index);
        try {
            if (!slots.hasObject(index) || slots.test(index, SlotTable.PP | SlotTable.INCOMPRESSIBLE)
                    || (flags != 0 && !allSet(index, flags))
                    || (age >= 0 && now() - slots.acTime(index) < age)) {
                return Recompression.NOT_SELECTED;
            }
            int oldSize = slots.size(index);
            if (threshold != 0 && oldSize < threshold) {
                return Recompression.NOT_SELECTED;
            }
            int current = slots.priority(index);
            int from = Math.max(firstPriority, current + 1);
            if (from > lastPriority) {
                return Recompression.NOT_SELECTED;
            }
            try {
                readPageLocked(index, s, s.page, 0);
            } catch (ZramException corrupt) {
                return Recompression.UNCHANGED;
            }
            int oldClass = pool.classIndex(oldSize);
            int tried = 0;
            for (int p = from; p <= lastPriority; p++) {
                StreamPool codecs = byPriority[p];
                if (codecs == null) {
                    continue;
                }
                tried++;
                StreamPool.Stream c = codecs.acquire();
                try {
                    int size = c.codec.compress(s.page, 0, PAGE, c.compressed, 0, c.compressed.capacity());
                    if (size < 0 || size >= hugeSize || pool.classIndex(size) >= oldClass || (threshold != 0 && size >= threshold)) {
                        continue; // not smaller: the next algorithm, if any
                    }
                    return replaceRecompressedLocked(index, c, size, p, memLimit);
                } finally {
                    codecs.release(c);
                }
            }
            if (tried > 0 && tried == configuredFrom(current + 1)) {
                slots.set(index, SlotTable.INCOMPRESSIBLE);
            }
            return Recompression.UNCHANGED;
        } finally {
            slots.unlock(index);
        }
    }

    /** Caller holds the slot lock: puts {@code c.compressed[0, size)} in place of the page's object. */
    private Recompression replaceRecompressedLocked(int index, StreamPool.Stream c, int size, int priority, long memLimit) {
        long handle;
        try {
            handle = pool.malloc(size, index);
        } catch (NativeMemoryException e) {
            return Recompression.UNCHANGED;
        }
        long used = pool.totalBytes();
        if (memLimit > 0 && used > memLimit) {
            pool.free(handle);
            return Recompression.UNCHANGED;
        }
        stats.updateMemUsedMax(used);
        pool.buffer(handle).put(pool.offset(handle), c.compressed, 0, size);
        int oldSize = slots.size(index);
        boolean wasHuge = slots.isHuge(index);
        int oldPriority = slots.priority(index);
        int keep = slots.test(index, SlotTable.IDLE) ? SlotTable.IDLE : 0;
        pool.free(slots.word(index));
        slots.setObject(index, handle, size, false, priority, keep);
        stats.comprDataSize.add(size - oldSize);
        if (wasHuge) {
            stats.hugePages.decrement();
        }
        if (oldPriority != 0) {
            recompressed[oldPriority].decrement();
        }
        recompressed[priority].increment();
        return Recompression.RECOMPRESSED;
    }

    /** The number of recompression algorithms configured at priority {@code from} or above. */
    private int configuredFrom(int from) {
        int n = 0;
        for (int p = Math.max(1, from); p < byPriority.length; p++) {
            if (byPriority[p] != null) {
                n++;
            }
        }
        return n;
    }

    /** The priority of the recompression algorithm called {@code name}, or -1. */
    int priorityOf(String name) {
        for (int p = 1; p < names.length; p++) {
            if (name.equals(names[p])) {
                return p;
            }
        }
        return -1;
    }

    /** Caller holds the slot lock. */
    private boolean allSet(int index, int flags) {
        for (int bit = Integer.lowestOneBit(flags), rest = flags; rest != 0; rest &= ~bit, bit = Integer.lowestOneBit(rest)) {
            if (!slots.test(index, bit)) {
                return false;
            }
        }
        return true;
    }

    /** What {@link #writeback} did to a page. */
    enum Writeback {
        /** The page is not one the request looks at. */
        NOT_SELECTED,
        /** The page changed while its copy was being written: it stays in memory, the block is freed. */
        CHANGED,
        WRITTEN
    }

    /**
     * Writes page {@code index} to the backing device if it holds an object with all of
     * {@code flags} and was last accessed at least {@code age} seconds ago ({@code age} < 0: any),
     * and frees its memory (the kernel's {@code zram_writeback_slots}).
     *
     * <p>The write to the device happens <em>without</em> the slot lock, so I/O to the page never
     * waits for the backing device:
     * <ol>
     *   <li>under the lock: the page is decompressed into the stream's page buffer and marked
     *       {@link SlotTable#PP};</li>
     *   <li>without it: a block is taken and the copy written there;</li>
     *   <li>under the lock again: if the page is still marked, nothing wrote or freed it meanwhile
     *       (every store and free rewrites the meta word without PP; reads, compaction and idle
     *       marks keep it), so the copy is the page: its object is freed and its slot names the
     *       block. Otherwise the page changed, keeps its new contents, and the block is freed.</li>
     * </ol>
     * How else it ends: no free block (NO_SPACE_LEFT) or a failed write (IO_ERROR): the mark is
     * cleared, any block taken is freed, the page keeps its object, and the exception says why.
     * A page that does not decompress is not selected (a read reports it).
     */
    Writeback writeback(int index, int flags, long age, boolean any, StreamPool.Stream s) throws ZramException {
        slots.lock(index);
        try {
            if (!slots.hasObject(index) || slots.test(index, SlotTable.PP)
                    || (!any && (flags == 0 || !allSet(index, flags)))
                    || (age >= 0 && now() - slots.acTime(index) < age)) {
                return Writeback.NOT_SELECTED;
            }
            try {
                readPageLocked(index, s, s.page, 0);
            } catch (ZramException corrupt) {
                return Writeback.NOT_SELECTED;
            }
            slots.set(index, SlotTable.PP);
        } finally {
            slots.unlock(index);
        }
        long block = backing.allocate();
        if (block < 0) {
            clearPostProcessing(index);
            throw new ZramException(ZramException.Reason.NO_SPACE_LEFT,
                    "backing device " + backing.path() + " is full (" + backing.capacity() + " blocks)");
        }
        try {
            backing.write(block, s.page);
        } catch (IOException e) {
            backing.free(block);
            clearPostProcessing(index);
            throw new ZramException(ZramException.Reason.IO_ERROR,
                    "cannot write block " + block + " of backing device " + backing.path() + ": " + e.getMessage(), e);
        }
        slots.lock(index);
        try {
            if (!slots.test(index, SlotTable.PP)) {
                backing.free(block); // stored or freed meanwhile: the copy is stale
                return Writeback.CHANGED;
            }
            int size = slots.size(index);
            long ac = slots.acTime(index);
            boolean huge = slots.isHuge(index);
            int priority = slots.priority(index);
            pool.free(slots.word(index));
            slots.setWrittenBack(index, block);
            slots.accessed(index, ac); // keeps when the page was last used: writeback is no access
            stats.comprDataSize.add(-size);
            if (huge) {
                stats.hugePages.decrement();
            }
            if (priority != 0) {
                recompressed[priority].decrement();
            }
            return Writeback.WRITTEN;
        } finally {
            slots.unlock(index);
        }
    }

    private void clearPostProcessing(int index) {
        slots.lock(index);
        try {
            slots.clearFlag(index, SlotTable.PP);
        } finally {
            slots.unlock(index);
        }
    }

    /** Borrows a primary stream for a tier operation; give it back with {@link #release}. */
    StreamPool.Stream acquire() {
        return streams.acquire();
    }

    void release(StreamPool.Stream s) {
        streams.release(s);
    }

    BdStat bdStat() {
        return backing == null ? BdStat.ZERO : backing.stat();
    }

    /** Where the stored pages are: per algorithm, raw, same-filled, written back. */
    TierStat tierStat() {
        long stored = stats.pagesStored.sum();
        long same = stats.samePages.sum();
        long huge = stats.hugePages.sum();
        long wb = backing == null ? 0 : backing.count.sum();
        List<TierStat.AlgorithmPages> algorithms = new ArrayList<>();
        long secondary = 0;
        for (int p = 1; p < names.length; p++) {
            if (names[p] != null) {
                long n = recompressed[p].sum();
                secondary += n;
                algorithms.add(new TierStat.AlgorithmPages(p, names[p], n));
            }
        }
        algorithms.addFirst(new TierStat.AlgorithmPages(0, names[0], Math.max(0, stored - same - huge - wb - secondary)));
        return new TierStat(algorithms, huge, same, wb);
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
            for (StreamPool p : byPriority) {
                if (p != null) {
                    p.close();
                }
            }
            if (backing != null) {
                backing.close();
            }
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
