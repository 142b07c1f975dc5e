package io.jzram.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Per-page metadata of one device generation: the kernel's {@code zram->table}, 16 bytes a page,
 * off-heap in the generation's arena so that reset returns it deterministically.
 *
 * <h2>Layout</h2>
 * One array of {@code pages} entries of 16 bytes, entry {@code i} at byte {@code 16 * i}; four
 * entries fill a cache line and none straddles two:
 * <ul>
 *   <li>{@code meta[i]} (4 bytes, at {@code 16 * i}, CASed for the lock): {@link #LOCK} and the
 *       page's flags ({@link #SAME}, {@link #HUGE}, {@link #WB}, {@link #IDLE},
 *       {@link #INCOMPRESSIBLE}, {@link #PP}), the priority of the algorithm that compressed it
 *       (2 bits: 0 the primary, 1–3 the recompression algorithms) and the stored object's size in
 *       the low 13 bits;</li>
 *   <li>{@code acTime[i]} (4 bytes, at {@code 16 * i + 4}): when the page was last read or written,
 *       in whole seconds since the generation began (an unsigned 32-bit count: 136 years), the
 *       kernel's {@code ac_time} of {@code CONFIG_ZRAM_TRACK_ENTRY_ACTIME};</li>
 *   <li>{@code word[i]} (8 bytes, at {@code 16 * i + 8}): the allocator handle of the stored object;
 *       for a same-filled page the repeated 8-byte word itself; for a page written back to the
 *       backing device the block it occupies there.</li>
 * </ul>
 * <b>What it costs.</b> 16 bytes a page (0.39 % of the disk size: 4 GiB for 1 TiB), allocated
 * at init. The kernel's entry is 16 bytes too without access times, 24 with them; jzram's used
 * to be 12, without them. The access time and the idle flag sit in the cache line the I/O
 * already takes for the slot lock, so tracking them costs the I/O path one 4-byte store and a
 * read of the clock, no extra miss.
 * A page is <em>empty</em> (never written, or discarded: reads as zeros) when it holds no object,
 * is not same-filled and not written back ({@code word == 0} and neither {@link #SAME} nor
 * {@link #WB}). Handles are never 0.
 *
 * <h2>Locking</h2>
 * Each slot has its own lock, the {@link #LOCK} bit of its meta word, taken with a CAS (the
 * kernel's bit spinlock). <strong>The caller must hold the slot lock</strong> for every access
 * to {@code word[i]}, {@code acTime[i]} and the other bits of {@code meta[i]}; the lock's CAS
 * and the release store order those accesses. Waiters spin briefly and then yield the (possibly
 * virtual) thread, so a holder that was descheduled does not burn a core. Lock order: slot
 * lock before any allocator lock and before the backing device's lock; never two slot locks at
 * once, except {@link #tryLock} (which never waits).
 */
final class SlotTable implements AutoCloseable {

    static final int LOCK = 1 << 31;
    /** The page is one 8-byte word repeated; {@code word} is that word. */
    static final int SAME = 1 << 30;
    /** The page is stored raw (it did not compress below the huge-class size). */
    static final int HUGE = 1 << 29;
    /** The page lives on the backing device; {@code word} is its block there. */
    static final int WB = 1 << 28;
    /** Marked idle by {@code idle} and not accessed since. */
    static final int IDLE = 1 << 27;
    /** No recompression algorithm could make the page smaller: recompression skips it. */
    static final int INCOMPRESSIBLE = 1 << 26;
    /**
     * Post-processing: writeback has copied the page out and is writing it to the backing device
     * without the slot lock. Every store or free of the page clears it (they rewrite the meta word
     * whole), which is how writeback learns, when it locks the slot again, that the page changed.
     */
    static final int PP = 1 << 25;
    static final int PRIO_SHIFT = 23;
    static final int PRIO_MASK = 3 << PRIO_SHIFT;
    static final int SIZE_MASK = 0x1FFF;

    private static final VarHandle META = ValueLayout.JAVA_INT.varHandle();
    private static final int SPINS_BEFORE_YIELD = 64;

    static final int ENTRY_BYTES = 16;
    private static final long AC_TIME = 4;
    private static final long WORD = 8;

    private final Arena arena;
    /**
     * The entries: meta[i] at 16*i (the LOCK bit is the lock, the other bits are guarded by it),
     * acTime[i] at 16*i + 4 and word[i] at 16*i + 8 (guarded by slot i's lock).
     */
    private final MemorySegment entries;
    private final long pages;

    SlotTable(long pages) {
        if (pages <= 0 || pages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pages out of range: " + pages);
        }
        this.pages = pages;
        this.arena = Arena.ofShared();
        // Arena memory is zeroed: every slot starts empty and unlocked.
        this.entries = arena.allocate(ENTRY_BYTES * pages, 64);
    }

    /** The number of slots. */
    long pages() {
        return pages;
    }

    void lock(int index) {
        long off = offset(index);
        int spins = 0;
        for (;;) {
            int m = (int) META.getVolatile(entries, off);
            if ((m & LOCK) == 0 && META.weakCompareAndSetAcquire(entries, off, m, m | LOCK)) {
                return;
            }
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Takes the lock only if it is free now; for compaction, which must never wait on a page. */
    boolean tryLock(int index) {
        long off = offset(index);
        int m = (int) META.getVolatile(entries, off);
        return (m & LOCK) == 0 && META.compareAndSet(entries, off, m, m | LOCK);
    }

    void unlock(int index) {
        long off = offset(index);
        int m = (int) META.get(entries, off);
        META.setRelease(entries, off, m & ~LOCK);
    }

    /** Caller holds the slot lock. */
    boolean isEmpty(int index) {
        return (meta(index) & (SAME | WB)) == 0 && word(index) == 0;
    }

    /** Caller holds the slot lock. */
    boolean isSame(int index) {
        return (meta(index) & SAME) != 0;
    }

    /** Caller holds the slot lock. */
    boolean isHuge(int index) {
        return (meta(index) & HUGE) != 0;
    }

    /** Caller holds the slot lock: true when the page lives on the backing device. */
    boolean isWrittenBack(int index) {
        return (meta(index) & WB) != 0;
    }

    /** Caller holds the slot lock: true when the page holds an allocator object. */
    boolean hasObject(int index) {
        return (meta(index) & (SAME | WB)) == 0 && word(index) != 0;
    }

    /** Caller holds the slot lock: whether {@code flag} (one of the flag bits) is set. */
    boolean test(int index, int flag) {
        return (meta(index) & flag) != 0;
    }

    /** Caller holds the slot lock: sets a flag bit, keeping the rest. */
    void set(int index, int flag) {
        setMetaKeepingLock(index, meta(index) | flag);
    }

    /** Caller holds the slot lock: clears a flag bit, keeping the rest. */
    void clearFlag(int index, int flag) {
        setMetaKeepingLock(index, meta(index) & ~flag);
    }

    /** Caller holds the slot lock: the priority of the algorithm the object was compressed with (0 = primary). */
    int priority(int index) {
        return (meta(index) & PRIO_MASK) >>> PRIO_SHIFT;
    }

    /** Caller holds the slot lock: the object's handle, the same-filled word, or the backing block. */
    long word(int index) {
        return entries.get(ValueLayout.JAVA_LONG, offset(index) + WORD);
    }

    /** Caller holds the slot lock: the stored object's size (4096 for huge pages, 0 for same-filled, written-back or empty). */
    int size(int index) {
        return meta(index) & SIZE_MASK;
    }

    /** Caller holds the slot lock: the last access, in seconds of the generation's clock (unsigned). */
    long acTime(int index) {
        return Integer.toUnsignedLong(entries.get(ValueLayout.JAVA_INT, offset(index) + AC_TIME));
    }

    /** Caller holds the slot lock: the page was read or written at {@code now}: it is not idle. */
    void accessed(int index, long now) {
        entries.set(ValueLayout.JAVA_INT, offset(index) + AC_TIME, (int) now);
        int m = meta(index);
        if ((m & IDLE) != 0) {
            setMetaKeepingLock(index, m & ~IDLE);
        }
    }

    /** Caller holds the slot lock: a new object from the primary algorithm; every other flag is cleared. */
    void setObject(int index, long handle, int size, boolean huge) {
        setObject(index, handle, size, huge, 0, 0);
    }

    /**
     * Caller holds the slot lock: a new object compressed with the algorithm of {@code priority},
     * with {@code keep} (flag bits, e.g. {@link #IDLE}) set as well; every other flag is cleared.
     */
    void setObject(int index, long handle, int size, boolean huge, int priority, int keep) {
        entries.set(ValueLayout.JAVA_LONG, offset(index) + WORD, handle);
        setMetaKeepingLock(index, (huge ? HUGE : 0) | (priority << PRIO_SHIFT) | keep | size);
    }

    /** Caller holds the slot lock. */
    void setSame(int index, long word) {
        entries.set(ValueLayout.JAVA_LONG, offset(index) + WORD, word);
        setMetaKeepingLock(index, SAME);
    }

    /** Caller holds the slot lock: the page now lives in block {@code block} of the backing device. */
    void setWrittenBack(int index, long block) {
        entries.set(ValueLayout.JAVA_LONG, offset(index) + WORD, block);
        setMetaKeepingLock(index, WB);
    }

    /** Caller holds the slot lock: moves the page's object to a new handle (compaction). */
    void setHandle(int index, long handle) {
        entries.set(ValueLayout.JAVA_LONG, offset(index) + WORD, handle);
    }

    /** Caller holds the slot lock. */
    void clear(int index) {
        entries.set(ValueLayout.JAVA_LONG, offset(index) + WORD, 0L);
        setMetaKeepingLock(index, 0);
    }

    private static long offset(int index) {
        return (long) ENTRY_BYTES * index;
    }

    private int meta(int index) {
        return entries.get(ValueLayout.JAVA_INT, offset(index));
    }

    private void setMetaKeepingLock(int index, int value) {
        entries.set(ValueLayout.JAVA_INT, offset(index), LOCK | value);
    }

    /**
     * Frees the table. Only after the generation's gate has drained: no thread can be inside.
     */
    @Override
    public void close() {
        arena.close();
    }
}
