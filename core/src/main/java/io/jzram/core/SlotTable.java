package io.jzram.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Per-page metadata of one device generation: the kernel's {@code zram->table}, 12 bytes a page,
 * off-heap in the generation's arena so that reset returns it deterministically.
 *
 * <h2>Layout</h2>
 * One array of {@code pages} entries of 12 bytes, entry {@code i} at byte {@code 12 * i}:
 * <ul>
 *   <li>{@code meta[i]} (4 bytes, at {@code 12 * i}, 4-aligned so it can be CASed):
 *       {@link #LOCK} | {@link #SAME} | {@link #HUGE} | the stored object's size in the low 16
 *       bits;</li>
 *   <li>{@code word[i]} (8 bytes, at {@code 12 * i + 4}, not 8-aligned: plain unaligned accesses,
 *       always under the slot lock): the allocator handle of the stored object, or, for a
 *       same-filled page, the repeated 8-byte word itself.</li>
 * </ul>
 * The two halves of an entry sit side by side so that an I/O to a page that is not in the cache
 * misses once, not twice (a lock bit in one array and the handle in another cost two misses on
 * every write of a large device). 16 entries fill three cache lines; an entry straddles two
 * lines in 2 cases of 16.
 * A page is <em>empty</em> (never written, or discarded: reads as zeros) when it is neither
 * same-filled nor holds an object, i.e. {@code word == 0 && (meta & SAME) == 0}. Handles are
 * never 0.
 *
 * <h2>Locking</h2>
 * Each slot has its own lock, the {@link #LOCK} bit of its meta word, taken with a CAS (the
 * kernel's bit spinlock). <strong>The caller must hold the slot lock</strong> for every access
 * to {@code word[i]} and to the other bits of {@code meta[i]}; the lock's CAS and the
 * release store order those accesses. Waiters spin briefly and then yield the (possibly
 * virtual) thread, so a holder that was descheduled does not burn a core. Lock order: slot
 * lock before any allocator lock; never two slot locks at once, except {@link #tryLock} (which
 * never waits).
 */
final class SlotTable implements AutoCloseable {

    static final int LOCK = 1 << 31;
    static final int SAME = 1 << 30;
    static final int HUGE = 1 << 29;
    static final int SIZE_MASK = 0xFFFF;

    private static final VarHandle META = ValueLayout.JAVA_INT.varHandle();
    private static final int SPINS_BEFORE_YIELD = 64;

    static final int ENTRY_BYTES = 12;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private final Arena arena;
    /**
     * The entries: meta[i] at 12*i (the LOCK bit is the lock, the other bits are guarded by it),
     * word[i] at 12*i + 4 (guarded by slot i's lock).
     */
    private final MemorySegment entries;

    SlotTable(long pages) {
        if (pages <= 0 || pages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pages out of range: " + pages);
        }
        this.arena = Arena.ofShared();
        // Arena memory is zeroed: every slot starts empty and unlocked.
        this.entries = arena.allocate(ENTRY_BYTES * pages, 64);
    }

    void lock(int index) {
        long off = metaOffset(index);
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
        long off = metaOffset(index);
        int m = (int) META.getVolatile(entries, off);
        return (m & LOCK) == 0 && META.compareAndSet(entries, off, m, m | LOCK);
    }

    void unlock(int index) {
        long off = metaOffset(index);
        int m = (int) META.get(entries, off);
        META.setRelease(entries, off, m & ~LOCK);
    }

    /** Caller holds the slot lock. */
    boolean isEmpty(int index) {
        return (meta(index) & SAME) == 0 && word(index) == 0;
    }

    /** Caller holds the slot lock. */
    boolean isSame(int index) {
        return (meta(index) & SAME) != 0;
    }

    /** Caller holds the slot lock. */
    boolean isHuge(int index) {
        return (meta(index) & HUGE) != 0;
    }

    /** Caller holds the slot lock: true when the page holds an allocator object. */
    boolean hasObject(int index) {
        return (meta(index) & SAME) == 0 && word(index) != 0;
    }

    /** Caller holds the slot lock: the object's handle, or the same-filled word. */
    long word(int index) {
        return entries.get(WORD, metaOffset(index) + 4);
    }

    /** Caller holds the slot lock: the stored object's size (4096 for huge pages, 0 for same-filled or empty). */
    int size(int index) {
        return meta(index) & SIZE_MASK;
    }

    /** Caller holds the slot lock. */
    void setObject(int index, long handle, int size, boolean huge) {
        entries.set(WORD, metaOffset(index) + 4, handle);
        setMetaKeepingLock(index, (huge ? HUGE : 0) | size);
    }

    /** Caller holds the slot lock. */
    void setSame(int index, long word) {
        entries.set(WORD, metaOffset(index) + 4, word);
        setMetaKeepingLock(index, SAME);
    }

    /** Caller holds the slot lock: moves the page's object to a new handle (compaction). */
    void setHandle(int index, long handle) {
        entries.set(WORD, metaOffset(index) + 4, handle);
    }

    /** Caller holds the slot lock. */
    void clear(int index) {
        entries.set(WORD, metaOffset(index) + 4, 0L);
        setMetaKeepingLock(index, 0);
    }

    private static long metaOffset(int index) {
        return (long) ENTRY_BYTES * index;
    }

    private int meta(int index) {
        return entries.get(ValueLayout.JAVA_INT, metaOffset(index));
    }

    private void setMetaKeepingLock(int index, int value) {
        entries.set(ValueLayout.JAVA_INT, metaOffset(index), LOCK | value);
    }

    /**
     * Frees the table. Only after the generation's gate has drained: no thread can be inside.
     */
    @Override
    public void close() {
        arena.close();
    }
}
