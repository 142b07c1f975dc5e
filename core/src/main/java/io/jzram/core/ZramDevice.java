package io.jzram.core;

import io.jzram.core.concurrent.GuardedBy;
import io.jzram.core.mem.Page;
import io.jzram.core.compress.CompressionAlgorithm;
import io.jzram.core.compress.CompressionAlgorithms;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A compressed RAM block device with the kernel zram's semantics
 * (Documentation/admin-guide/blockdev/zram.rst, drivers/block/zram/zram_drv.c).
 *
 * <h2>States</h2>
 * <pre>
 *   UNINITIALIZED --init(disksize)--> INITIALIZED --reset--> UNINITIALIZED
 * </pre>
 * While uninitialized, {@code comp_algorithm} and {@code max_comp_streams} may be set and I/O
 * fails with {@link ZramException.Reason#NOT_INITIALIZED}. {@code init} while initialized fails
 * as busy. {@code reset} restores the defaults (lz4, no mem_limit).
 *
 * <h2>The I/O path takes no device-wide lock</h2>
 * The live {@link Generation} is published in a volatile field. An I/O reads it and enters its
 * {@link IoGate} with an increment-if-not-zero; inside, it touches only per-page slot locks and
 * the allocator's per-class locks. Administrative operations (init, reset, algorithm, compact)
 * serialise on {@link #admin}, which the I/O path never takes.
 *
 * <h2>Reset: claim → refuse new work → drain → free → unclaim</h2>
 * {@link #reset} is zram's {@code reset_store} as a short named sequence:
 * <ol>
 *   <li><b>claim</b>: take {@link #admin} and set {@link #claimed}, so new {@link #open}s fail as
 *       busy; if the device is open and the reset is not forced, unclaim and fail as busy;</li>
 *   <li><b>refuse new work</b>: unpublish the generation, so a new I/O fails fast with "not
 *       initialized";</li>
 *   <li><b>drain</b>: drop the gate's owner reference and wait (interruptibly, with an optional
 *       timeout) until the in-flight I/O that had already entered has left;</li>
 *   <li><b>free</b>: close the generation's allocator, streams and slot table: memory goes
 *       back at once, not at some later GC;</li>
 *   <li><b>unclaim</b>.</li>
 * </ol>
 * An I/O that raced with reset either entered the gate before the owner let go, and completes
 * fully against the old generation while reset waits for it, or fails to enter and reports
 * "not initialized". It never touches freed memory and never sees a half-reset device. If the
 * drain times out or is interrupted, the generation is kept as {@link #draining}: the device
 * reads as uninitialized, {@code init} fails as busy, and the next {@code reset} resumes the
 * drain.
 *
 * <h2>Tiers</h2>
 * Besides the primary algorithm a device may have up to three recompression algorithms
 * ({@code recomp_algorithm}, priorities 1–3) and a backing device ({@code backing_dev}), set like
 * the algorithm before init. {@link #markIdle}, {@link #recompress} and {@link #writeback} are the
 * kernel's {@code idle}, {@code recompress} and {@code writeback}; {@link #tierSlice} is the same
 * work for the background {@link TieringDaemon}, by the device's {@link TieringPolicy}. They enter
 * the generation's gate as I/O does (a reset waits for the page in hand and then stops them) and
 * serialise among themselves on {@link #tiering}, never on {@link #admin}.
 *
 * <h2>Holders</h2>
 * {@link #open} registers a user of the device (an iSCSI session, an export). Like the kernel's
 * open count, it makes {@code reset} and {@code hot_remove} fail as busy unless forced.
 */
public final class ZramDevice {
    public static final int SECTOR_SIZE = 512;
    /** Defaults restored by {@link #reset}: the kernel's CONFIG_ZRAM_DEF_COMP and one stream per CPU. */
    public static final String DEFAULT_ALGORITHM = CompressionAlgorithms.DEFAULT_NAME;

    /** The primary algorithm and up to three recompression algorithms (the kernel's ZRAM_MAX_COMPS). */
    public static final int MAX_ALGORITHMS = 4;

    /** The default number of compression streams: one per CPU of this JVM, as the kernel's one per online CPU. */
    public static final int DEFAULT_STREAMS = Runtime.getRuntime().availableProcessors();

    private final int id;

    /** Serialises administrative operations; never taken on the I/O path. */
    private final ReentrantLock admin = new ReentrantLock();

    /** The live generation, or null while uninitialized. Written under {@link #admin}; read lock-free by I/O. */
    @GuardedBy("admin") // writes
    private volatile Generation live;

    /** A generation whose drain timed out or was interrupted. */
    @GuardedBy("admin")
    private Generation draining;

    /** Set while reset or removal holds the device; {@link #open} fails as busy meanwhile. Read lock-free by open. */
    @GuardedBy("admin") // writes
    private volatile boolean claimed;

    /**
     * Set for good by {@link #remove}: the device is gone (hot_remove), and init, reset, open and
     * remove fail with NO_SUCH_DEVICE, so that a stale reference can never allocate memory that
     * nobody would free. Read lock-free.
     */
    @GuardedBy("admin") // writes
    private volatile boolean removed;

    /**
     * Settings for the next init; volatile for lock-free reads. The algorithms by priority: [0] the
     * primary, [1..3] recompression algorithms or null; the array is replaced, never changed.
     */
    @GuardedBy("admin") // writes
    private volatile AlgorithmChoice[] algorithms = defaultAlgorithms();
    /** The backing device for the next init, or null. */
    @GuardedBy("admin") // writes
    private volatile Path backingDev;
    /** writeback_limit: pages that may still be written back while {@link #writebackLimitEnabled}. */
    private final AtomicLong writebackLimit = new AtomicLong();
    private volatile boolean writebackLimitEnabled;
    /** What the background worker does; any time. */
    private volatile TieringPolicy policy = TieringPolicy.NONE;
    /** Serialises idle marks, recompression and writeback (sysfs writes and the background worker). Never taken by I/O or admin. */
    private final ReentrantLock tiering = new ReentrantLock();
    /** Nanoseconds for access times; tests pass their own. */
    private final LongSupplier clock;
    @GuardedBy("admin") // writes
    private volatile int streams = DEFAULT_STREAMS;
    /** mem_limit in bytes, 0 = none; read on every write. */
    private volatile long memLimit;

    /** Counts inits, so that users can tell a re-initialised device from the one they knew. */
    private final AtomicLong generations = new AtomicLong();

    /** Open holders. Incremented before checking {@link #claimed}, so open and reset cannot both miss each other. */
    private final AtomicInteger holders = new AtomicInteger();

    ZramDevice(int id) {
        this(id, System::nanoTime);
    }

    /** A device whose access times come from {@code clock} (nanoseconds); for tests of idle ages. */
    ZramDevice(int id, LongSupplier clock) {
        if (id < 0) {
            throw new IllegalArgumentException("device id must be >= 0: " + id);
        }
        this.id = id;
        this.clock = clock;
    }

    private static AlgorithmChoice[] defaultAlgorithms() {
        AlgorithmChoice[] a = new AlgorithmChoice[MAX_ALGORITHMS];
        try {
            a[0] = AlgorithmChoice.of(DEFAULT_ALGORITHM);
        } catch (ZramException e) {
            throw new IllegalStateException("the default algorithm " + DEFAULT_ALGORITHM + " is unavailable", e);
        }
        return a;
    }

    public int id() {
        return id;
    }

    /** {@code zram} + id, as the kernel names the disk. */
    public String name() {
        return "zram" + id;
    }

    // ------------------------------------------------------------------ lifecycle

    public boolean isInitialized() {
        return live != null;
    }

    /** The disk size in bytes; 0 while uninitialized (sysfs {@code disksize}). */
    public long diskSize() {
        Generation g = live;
        return g == null ? 0 : g.diskSize;
    }

    /** The number of the current (or last) initialization; changes with every {@link #init}. */
    public long generation() {
        return generations.get();
    }

    /**
     * Initializes the device with {@code diskSizeBytes}, rounded up to a whole page.
     *
     * @throws ZramException INVALID_ARGUMENT for a size of 0 or less (or too large to index);
     *     BUSY while initialized, or while a previous generation is still draining
     */
    public void init(long diskSizeBytes) throws ZramException {
        if (diskSizeBytes <= 0) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT,
                    name() + ": disksize must be positive: " + diskSizeBytes);
        }
        if (diskSizeBytes > Long.MAX_VALUE - Page.SIZE || Page.count(diskSizeBytes) > Integer.MAX_VALUE) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT,
                    name() + ": disksize too large: " + diskSizeBytes + " (at most " + (long) Integer.MAX_VALUE * Page.SIZE + " bytes)");
        }
        long pages = Page.count(diskSizeBytes);
        admin.lock();
        try {
            checkNotRemoved();
            if (live != null) {
                throw busy("cannot change disksize of an initialized device; reset it first");
            }
            if (draining != null) {
                throw busy("a previous reset is still draining in-flight I/O; reset again to finish it");
            }
            AlgorithmChoice[] choices = algorithms;
            CompressionAlgorithm[] codecs = new CompressionAlgorithm[MAX_ALGORITHMS];
            for (int p = 0; p < MAX_ALGORITHMS; p++) {
                codecs[p] = choices[p] == null ? null : choices[p].algorithm();
            }
            BackingStore backing = backingDev == null ? null : BackingStore.open(backingDev, pages);
            PageStore store = new PageStore(pages, codecs, streams, backing, clock);
            live = new Generation(generations.incrementAndGet(), pages * Page.SIZE, codecs[0].name(), store);
        } finally {
            admin.unlock();
        }
    }

    /** The algorithm in use, or the one the next init will use. */
    public String algorithm() {
        Generation g = live;
        return g != null ? g.algorithm : algorithms[0].name();
    }

    /** The algorithm of {@code priority} (0 the primary, 1–3 recompression) with its parameters, or null for none. */
    public AlgorithmChoice algorithmChoice(int priority) {
        return algorithms[checkPriority(priority, 0)];
    }

    /**
     * Sets the compression algorithm for the next init (sysfs {@code comp_algorithm}).
     *
     * @throws ZramException BUSY while initialized; INVALID_ARGUMENT for an unknown name
     */
    public void setAlgorithm(String name) throws ZramException {
        admin.lock();
        try {
            if (live != null) {
                throw busy("cannot change the algorithm of an initialized device");
            }
            setChoice(0, choose(name));
        } finally {
            admin.unlock();
        }
    }

    /**
     * Sets the recompression algorithm of {@code priority} (sysfs {@code recomp_algorithm}
     * {@code algo=NAME priority=N}); null removes it. Its parameters go back to the defaults.
     *
     * @throws ZramException BUSY while initialized; INVALID_ARGUMENT for a priority outside 1–3 or an unknown name
     */
    public void setRecompAlgorithm(int priority, String name) throws ZramException {
        admin.lock();
        try {
            checkPriority(priority, 1);
            if (live != null) {
                throw busy("cannot change the recompression algorithms of an initialized device");
            }
            setChoice(priority, name == null ? null : choose(name));
        } finally {
            admin.unlock();
        }
    }

    /**
     * Sets the parameters of the algorithm of {@code priority} (sysfs {@code algorithm_params}):
     * {@code level} (0: its default) and a zstd dictionary file (null: none), read now.
     *
     * @throws ZramException BUSY while initialized; INVALID_ARGUMENT when there is no algorithm of
     *     that priority or it takes no such parameters; NO_SUCH_FILE or IO_ERROR for the dictionary
     */
    public void setAlgorithmParams(int priority, int level, Path dictionary) throws ZramException {
        admin.lock();
        try {
            checkPriority(priority, 0);
            if (live != null) {
                throw busy("cannot change the algorithm parameters of an initialized device");
            }
            AlgorithmChoice c = algorithms[priority];
            if (c == null) {
                throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, name() + ": no algorithm of priority " + priority);
            }
            try {
                setChoice(priority, c.withParams(level, dictionary));
            } catch (ZramException e) {
                throw new ZramException(e.reason(), name() + ": " + e.getMessage(), e);
            }
        } finally {
            admin.unlock();
        }
    }

    /** The priority whose algorithm is called {@code name} (the primary's is 0), or -1. */
    public int priorityOf(String name) {
        AlgorithmChoice[] a = algorithms;
        for (int p = 0; p < a.length; p++) {
            if (a[p] != null && a[p].name().equals(name)) {
                return p;
            }
        }
        return -1;
    }

    private AlgorithmChoice choose(String name) throws ZramException {
        try {
            return AlgorithmChoice.of(name);
        } catch (ZramException e) {
            throw new ZramException(e.reason(), name() + ": " + e.getMessage(), e);
        }
    }

    /** Caller holds {@link #admin}. */
    private void setChoice(int priority, AlgorithmChoice choice) {
        AlgorithmChoice[] a = algorithms.clone();
        a[priority] = choice;
        algorithms = a;
    }

    private int checkPriority(int priority, int min) throws IllegalArgumentException {
        if (priority < min || priority >= MAX_ALGORITHMS) {
            throw new IllegalArgumentException("priority must be from " + min + " to " + (MAX_ALGORITHMS - 1) + ": " + priority);
        }
        return priority;
    }

    /** The backing device the device uses, or will use at the next init; null for none. */
    public Path backingDev() {
        return backingDev;
    }

    /**
     * Sets the backing device for the next init (sysfs {@code backing_dev}); null removes it. The
     * path is checked now (it exists, is a file or block device, opens for reading and writing).
     *
     * @throws ZramException BUSY while initialized; NO_SUCH_FILE, INVALID_ARGUMENT, PERMISSION,
     *     IO_ERROR as the path cannot serve
     */
    public void setBackingDev(Path path) throws ZramException {
        admin.lock();
        try {
            if (live != null) {
                throw busy("cannot change the backing device of an initialized device");
            }
            if (path != null) {
                try {
                    BackingStore.check(path);
                } catch (ZramException e) {
                    throw new ZramException(e.reason(), name() + ": " + e.getMessage(), e);
                }
            }
            backingDev = path;
        } finally {
            admin.unlock();
        }
    }

    /** writeback_limit: the pages that may still be written back while the limit is enabled. */
    public long writebackLimit() {
        return writebackLimit.get();
    }

    /** Sets writeback_limit in 4 KiB pages; any time. */
    public void setWritebackLimit(long pages) throws ZramException {
        if (pages < 0) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, name() + ": writeback_limit must be >= 0: " + pages);
        }
        writebackLimit.set(pages);
    }

    /** writeback_limit_enable. */
    public boolean isWritebackLimitEnabled() {
        return writebackLimitEnabled;
    }

    public void setWritebackLimitEnabled(boolean enabled) {
        writebackLimitEnabled = enabled;
    }

    /** The background policy. */
    public TieringPolicy tieringPolicy() {
        return policy;
    }

    /** Sets the background policy; any time, takes effect at the worker's next walk. */
    public void setTieringPolicy(TieringPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** mem_limit in bytes; 0 = no limit. */
    public long memLimit() {
        return memLimit;
    }

    /**
     * Sets mem_limit (rounded up to a page); 0 removes the limit. Allowed at any time; data
     * already stored stays, only later writes are refused.
     */
    public void setMemLimit(long bytes) throws ZramException {
        if (bytes < 0) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, name() + ": mem_limit must be >= 0: " + bytes);
        }
        long rounded = bytes > Long.MAX_VALUE - Page.SIZE ? Long.MAX_VALUE & -Page.SIZE
                : (bytes + Page.SIZE - 1) & -Page.SIZE;
        memLimit = rounded;
    }

    /** The number of compression streams (zramctl's STREAMS, sysfs {@code max_comp_streams}). */
    public int streams() {
        return streams;
    }

    /**
     * Sets the number of compression streams kept for the next init.
     *
     * @throws ZramException BUSY while initialized; INVALID_ARGUMENT for fewer than 1
     */
    public void setStreams(int count) throws ZramException {
        if (count < 1) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, name() + ": streams must be >= 1: " + count);
        }
        admin.lock();
        try {
            if (live != null) {
                throw busy("cannot change the streams of an initialized device");
            }
            streams = count;
        } finally {
            admin.unlock();
        }
    }

    /**
     * Resets the device: claim → refuse new work → drain → free → unclaim (see the class
     * comment). Resetting an uninitialized device restores the defaults.
     *
     * @param force reset even while holders have the device open (their I/O then fails with
     *     NOT_INITIALIZED until the device is initialized again)
     * @param timeout how long to wait for in-flight I/O; null waits as long as it takes
     * @throws ZramException BUSY if open and not forced; TIMED_OUT if the drain did not finish
     *     in time (the device stays uninitialized and the next reset resumes the drain)
     * @throws InterruptedException if interrupted while draining (as for a timeout)
     */
    public void reset(boolean force, Duration timeout) throws ZramException, InterruptedException {
        resetSequence(force, timeout, false);
    }

    /**
     * hot_remove's half of the work: the reset sequence, ending not with unclaim but with the
     * device marked removed (it stays claimed, so it can never be opened again). The registry
     * calls it without holding its own lock, so a long drain does not hold up other devices.
     *
     * @throws ZramException NO_SUCH_DEVICE if already removed; BUSY if open and not forced;
     *     TIMED_OUT if the drain did not finish in time (the device is then unclaimed,
     *     uninitialized and still registered, and the next removal or reset resumes the drain)
     * @throws InterruptedException if interrupted while draining (as for a timeout)
     */
    void remove(boolean force, Duration timeout) throws ZramException, InterruptedException {
        resetSequence(force, timeout, true);
    }

    /**
     * The one reset sequence of {@link #reset} and {@link #remove}: claim → refuse new work →
     * drain → free → unclaim, where a removal ends instead by marking the device removed and
     * keeping the claim. A claim refused (busy) changes nothing; a drain that times out or is
     * interrupted unclaims and leaves the generation draining (the device uninitialized, still
     * registered), and the exception goes to the caller; a reset that freed restores the defaults.
     */
    private void resetSequence(boolean force, Duration timeout, boolean removing) throws ZramException, InterruptedException {
        admin.lock();
        try {
            checkNotRemoved();
            claim(force);
            try {
                Generation g = refuseNewWork();
                if (g != null) {
                    drain(g, timeout);
                    free(g);
                }
            } catch (Throwable t) {
                unclaim();
                throw t;
            }
            if (removing) {
                removed = true; // stays claimed: a removed device is never opened again
            } else {
                algorithms = defaultAlgorithms();
                streams = DEFAULT_STREAMS;
                memLimit = 0;
                backingDev = null;
                writebackLimit.set(0);
                writebackLimitEnabled = false;
                policy = TieringPolicy.NONE;
                unclaim();
            }
        } finally {
            admin.unlock();
        }
    }

    /** Whether {@link ZramRegistry#hotRemove} removed the device. */
    public boolean isRemoved() {
        return removed;
    }

    private void checkNotRemoved() throws ZramException {
        if (removed) {
            throw new ZramException(ZramException.Reason.NO_SUCH_DEVICE, name() + ": removed");
        }
    }

    /** Caller holds {@link #admin}. Marks the device claimed; fails as busy if it is open and not forced. */
    private void claim(boolean force) throws ZramException {
        claimed = true;
        int open = holders.get();
        if (open > 0 && !force) {
            claimed = false;
            throw busy("in use by " + open + " holder" + (open == 1 ? "" : "s"));
        }
    }

    /** Caller holds {@link #admin}: unpublishes the live generation; returns it, or one still draining. */
    private Generation refuseNewWork() {
        Generation g = live;
        if (g != null) {
            live = null;
            draining = g;
        }
        return draining;
    }

    /** Caller holds {@link #admin}: drops the owner reference and waits for in-flight I/O to leave. */
    private void drain(Generation g, Duration timeout) throws ZramException, InterruptedException {
        long nanos = timeout == null ? Long.MAX_VALUE : Math.max(0, timeout.toNanos());
        if (!g.gate.close(nanos, TimeUnit.NANOSECONDS)) {
            throw new ZramException(ZramException.Reason.TIMED_OUT,
                    name() + ": " + g.gate.inFlight() + " I/O still in flight after " + timeout
                            + "; the device stays uninitialized and a new reset resumes the drain");
        }
    }

    /** Caller holds {@link #admin}; the gate has drained. */
    private void free(Generation g) {
        draining = null;
        g.store.close();
    }

    private void unclaim() {
        claimed = false;
    }

    /** Sets mem_used_max to the current mem_used_total (writing 0 to sysfs {@code mem_used_max}). */
    public void resetMemUsedMax() {
        Generation g = live;
        if (g != null && g.gate.tryEnter()) {
            try {
                g.store.resetMemUsedMax();
            } finally {
                g.gate.exit();
            }
        }
    }

    /**
     * Compacts the allocator (sysfs {@code compact}).
     *
     * @return the 4 KiB pages returned by this compaction
     * @throws ZramException NOT_INITIALIZED
     */
    public long compact() throws ZramException {
        admin.lock();
        try {
            Generation g = enter();
            try {
                return g.store.compact();
            } finally {
                g.gate.exit();
            }
        } finally {
            admin.unlock();
        }
    }

    // ------------------------------------------------------------------ holders

    /** A registered user of the device; closing it is idempotent. */
    public interface Holder extends AutoCloseable {
        /** Who holds the device, as given to {@link #open}. */
        String who();

        @Override
        void close();
    }

    /**
     * Registers a holder: until it is closed, reset and removal fail as busy unless forced.
     *
     * @throws ZramException BUSY while a reset or removal holds the device; NO_SUCH_DEVICE once removed
     */
    public Holder open(String who) throws ZramException {
        holders.incrementAndGet();
        if (claimed) {
            holders.decrementAndGet();
            checkNotRemoved();
            throw busy("being reset or removed");
        }
        return new Holder() {
            private final AtomicBoolean closed = new AtomicBoolean();

            @Override
            public String who() {
                return who;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    holders.decrementAndGet();
                }
            }
        };
    }

    /** The number of open holders. */
    public int openCount() {
        return holders.get();
    }

    // ------------------------------------------------------------------ I/O

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst}, advancing its
     * position. Never-written and discarded sectors read as zeros.
     *
     * @throws ZramException NOT_INITIALIZED; OUT_OF_RANGE (counted in invalid_io) for an offset
     *     or length that is not a multiple of 512 or a range beyond the disk; READ_FAILED
     *     (counted in failed_reads) for stored data that does not decompress — dst's contents
     *     are then unspecified and its position unchanged
     */
    public void read(ByteBuffer dst, long offset) throws ZramException {
        int pos = dst.position();
        int len = dst.remaining();
        read(dst, pos, len, offset);
        dst.position(pos + len);
    }

    /**
     * Reads {@code length} bytes at {@code offset} into {@code dst[index, index + length)}, an
     * absolute bulk put: dst's position and limit are neither used nor changed (so a transport
     * can read into part of its buffer without a view object). Failures as for
     * {@link #read(ByteBuffer, long)}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index <= index + length <= dst.limit()}
     */
    public void read(ByteBuffer dst, int index, int length, long offset) throws ZramException {
        Objects.checkFromIndexSize(index, length, dst.limit());
        Generation g = enter();
        try {
            checkRange(g, offset, length);
            PageStore store = g.store;
            forEachPage(offset, length, store, dst, index, 0, READ);
            store.stats.reads.increment();
            store.stats.bytesRead.add(length);
        } finally {
            g.gate.exit();
        }
    }

    /**
     * Writes {@code src.remaining()} bytes at {@code offset}, advancing src's position.
     * Pages are stored one at a time; if a page fails, the pages before it hold the new data
     * and the failing page and those after it keep their old contents, as with the kernel.
     *
     * @throws ZramException NOT_INITIALIZED; OUT_OF_RANGE; NO_SPACE (counted in failed_writes)
     *     when mem_limit is reached: the page keeps its old contents; READ_FAILED when a partial
     *     page's old contents cannot be read for the read-modify-write
     */
    public void write(ByteBuffer src, long offset) throws ZramException {
        int pos = src.position();
        int len = src.remaining();
        write(src, pos, len, offset);
        src.position(pos + len);
    }

    /**
     * Writes {@code src[index, index + length)} at {@code offset}, an absolute bulk get: src's
     * position and limit are neither used nor changed. Failures as for
     * {@link #write(ByteBuffer, long)}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index <= index + length <= src.limit()}
     */
    public void write(ByteBuffer src, int index, int length, long offset) throws ZramException {
        Objects.checkFromIndexSize(index, length, src.limit());
        Generation g = enter();
        try {
            checkRange(g, offset, length);
            PageStore store = g.store;
            long limit = memLimit;
            forEachPage(offset, length, store, src, index, limit, WRITE);
            store.stats.writes.increment();
            store.stats.bytesWritten.add(length);
        } finally {
            g.gate.exit();
        }
    }

    /**
     * Discards a range: frees every whole page inside it (counted in notify_free); partial
     * pages at the edges are left alone, as the kernel does, because re-compressing them to
     * save nothing would defeat the purpose of a discard.
     *
     * @throws ZramException NOT_INITIALIZED; OUT_OF_RANGE
     */
    public void discard(long offset, long length) throws ZramException {
        Generation g = enter();
        try {
            checkRange(g, offset, length);
            long first = Page.count(offset); // the first whole page
            long end = Page.index(offset + length); // exclusive
            for (long index = first; index < end; index++) {
                g.store.discard((int) index);
            }
            g.store.stats.discards.increment();
        } finally {
            g.gate.exit();
        }
    }

    /**
     * Makes a range read as zeros: whole pages are freed (counted in notify_free), partial
     * pages at the edges are zeroed in place by read-modify-write.
     *
     * @throws ZramException NOT_INITIALIZED; OUT_OF_RANGE; NO_SPACE or READ_FAILED for an edge page
     */
    public void writeZeroes(long offset, long length) throws ZramException {
        Generation g = enter();
        try {
            checkRange(g, offset, length);
            PageStore store = g.store;
            long limit = memLimit;
            forEachPage(offset, length, store, null, 0, limit, ZERO);
            g.store.stats.discards.increment();
        } finally {
            g.gate.exit();
        }
    }

    /**
     * One piece of a request: {@code n} bytes at {@code pageOff} of page {@code index}, at
     * {@code bufOff} in the caller's buffer. Everything comes in as arguments, so the three pieces
     * below capture nothing and are allocated once: an I/O allocates nothing.
     */
    @FunctionalInterface
    private interface PagePiece {
        void apply(PageStore store, ByteBuffer buf, int bufOff, long memLimit, int index, int pageOff, int n) throws ZramException;
    }

    private static final PagePiece READ = (store, buf, bufOff, memLimit, index, pageOff, n) -> store.read(index, pageOff, buf, bufOff, n);
    private static final PagePiece WRITE = (store, buf, bufOff, memLimit, index, pageOff, n) ->
            store.write(index, pageOff, buf, bufOff, n, memLimit);
    private static final PagePiece ZERO = (store, buf, bufOff, memLimit, index, pageOff, n) -> store.zero(index, pageOff, n, memLimit);

    /** Splits a checked byte range into per-page pieces, first to last; piece k is at {@code bufPos} + its offset in the range. */
    private static void forEachPage(long offset, long length, PageStore store, ByteBuffer buf, int bufPos, long memLimit,
            PagePiece piece) throws ZramException {
        long done = 0;
        while (done < length) {
            long at = offset + done;
            int pageOff = Page.offsetIn(at);
            int n = (int) Math.min(Page.SIZE - pageOff, length - done);
            piece.apply(store, buf, bufPos + (int) done, memLimit, (int) Page.index(at), pageOff, n);
            done += n;
        }
    }

    /** Enters the live generation's gate, or fails as not initialized. The caller must exit the gate. */
    private Generation enter() throws ZramException {
        Generation g = live;
        if (g == null || !g.gate.tryEnter()) {
            throw new ZramException(ZramException.Reason.NOT_INITIALIZED, name() + ": device is not initialized");
        }
        return g;
    }

    /**
     * Enters the live generation as an I/O does and returns what leaves it: an I/O "in flight"
     * for as long as the caller likes, for tests of draining. Package-private: tests only.
     */
    Runnable enterLikeAnIo() throws ZramException {
        Generation g = enter();
        return g.gate::exit;
    }

    /** Checks sector alignment and bounds; counts failures in invalid_io. */
    private void checkRange(Generation g, long offset, long length) throws ZramException {
        if (offset < 0 || length < 0 || (offset & (SECTOR_SIZE - 1)) != 0 || (length & (SECTOR_SIZE - 1)) != 0
                || offset > g.diskSize || length > g.diskSize - offset) {
            g.store.stats.invalidIo.increment();
            throw new ZramException(ZramException.Reason.OUT_OF_RANGE,
                    name() + ": invalid I/O: offset " + offset + ", length " + length + " (disksize " + g.diskSize
                            + ", sector " + SECTOR_SIZE + ")");
        }
    }

    private ZramException busy(String why) {
        return new ZramException(ZramException.Reason.BUSY, name() + ": " + why);
    }

    // ------------------------------------------------------------------ tiers

    /**
     * Marks idle the pages not accessed for {@code ageSeconds} (empty: every page holding an
     * object), and unmarks the others (sysfs {@code idle}).
     *
     * @return the pages marked
     * @throws ZramException NOT_INITIALIZED
     */
    public long markIdle(OptionalLong ageSeconds) throws ZramException {
        Generation g = enter();
        tiering.lock();
        try {
            return g.store.markIdle(ageSeconds.orElse(-1));
        } finally {
            tiering.unlock();
            g.gate.exit();
        }
    }

    /**
     * Recompresses the pages {@code request} selects (sysfs {@code recompress}).
     *
     * @return the pages recompressed
     * @throws ZramException NOT_INITIALIZED; INVALID_ARGUMENT when the device has no recompression
     *     algorithm, or none by the name or priority asked for
     */
    public long recompress(RecompressRequest request) throws ZramException {
        Generation g = enter();
        tiering.lock();
        try {
            PageStore store = g.store;
            int first = 1;
            int last = MAX_ALGORITHMS - 1;
            if (request.algorithm() != null || request.priority() != 0) {
                int p = request.algorithm() != null ? store.priorityOf(request.algorithm()) : request.priority();
                if (p < 1 || !store.hasAlgorithm(p)) {
                    throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, name() + ": recompress: no recompression algorithm "
                            + (request.algorithm() != null ? "called " + request.algorithm() : "of priority " + request.priority()));
                }
                first = p;
                last = p;
            } else if (!store.hasRecompression()) {
                throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, name() + ": recompress: no recomp_algorithm set");
            }
            long pages = store.pages();
            long tried = 0;
            long done = 0;
            StreamPool.Stream s = store.acquire();
            try {
                for (int index = 0; index < pages && live == g; index++) {
                    PageStore.Recompression r = store.recompress(index, request.type().flags, request.threshold(), -1, first, last, memLimit, s);
                    if (r != PageStore.Recompression.NOT_SELECTED) {
                        tried++;
                        if (r == PageStore.Recompression.RECOMPRESSED) {
                            done++;
                        }
                        if (request.maxPages() != 0 && tried >= request.maxPages()) {
                            break;
                        }
                    }
                }
            } finally {
                store.release(s);
            }
            return done;
        } finally {
            tiering.unlock();
            g.gate.exit();
        }
    }

    /**
     * Writes the pages {@code request} selects to the backing device (sysfs {@code writeback}).
     * Pages already written stay written when a later one fails.
     *
     * @return the pages written back
     * @throws ZramException NOT_INITIALIZED; NO_SUCH_DEVICE without a backing device (ENODEV);
     *     IO_ERROR when writeback_limit is enabled and used up (EIO, as the kernel) or the backing
     *     device fails a write; NO_SPACE_LEFT when it is full
     */
    public long writeback(WritebackRequest request) throws ZramException {
        Generation g = enter();
        tiering.lock();
        try {
            PageStore store = g.store;
            if (!store.hasBacking()) {
                throw new ZramException(ZramException.Reason.NO_SUCH_DEVICE, name() + ": writeback: no backing_dev set");
            }
            long done = 0;
            StreamPool.Stream s = store.acquire();
            try {
                if (request.type() == WritebackRequest.Type.PAGE_INDEXES) {
                    for (long[] range : request.ranges()) {
                        if (range[1] >= store.pages()) {
                            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT,
                                    name() + ": writeback: page index " + range[1] + " beyond the disk (" + store.pages() + " pages)");
                        }
                    }
                    for (long[] range : request.ranges()) {
                        for (long index = range[0]; index <= range[1] && live == g; index++) {
                            done += writebackPage(store, (int) index, 0, -1, true, s);
                        }
                    }
                } else {
                    for (int index = 0; index < store.pages() && live == g; index++) {
                        done += writebackPage(store, index, request.type().flags, -1, false, s);
                    }
                }
            } finally {
                store.release(s);
            }
            return done;
        } finally {
            tiering.unlock();
            g.gate.exit();
        }
    }

    /** One page's writeback within writeback_limit; 1 when written. */
    private int writebackPage(PageStore store, int index, int flags, long age, boolean any, StreamPool.Stream s) throws ZramException {
        boolean limited = writebackLimitEnabled;
        if (limited && writebackLimit.get() <= 0) {
            throw new ZramException(ZramException.Reason.IO_ERROR, name() + ": writeback_limit reached");
        }
        if (store.writeback(index, flags, age, any, s) != PageStore.Writeback.WRITTEN) {
            return 0;
        }
        if (limited) {
            writebackLimit.getAndUpdate(n -> Math.max(0, n - 1));
        }
        return 1;
    }

    /**
     * The background worker's share of the work on pages {@code [from, to)}: recompresses those
     * not accessed for the policy's {@code recompress_idle_after} and writes back those not
     * accessed for its {@code writeback_idle_after}. Skipped (0) while a sysfs tier operation runs.
     *
     * @return the pages moved
     * @throws ZramException NOT_INITIALIZED after a reset; the writeback failures of {@link #writeback}
     */
    long tierSlice(int from, int to, TieringPolicy policy) throws ZramException {
        Generation g = enter();
        if (!tiering.tryLock()) {
            g.gate.exit();
            return 0;
        }
        try {
            PageStore store = g.store;
            long recompressAge = policy.recompressIdleAfter() == null || !store.hasRecompression() ? -1
                    : policy.recompressIdleAfter().toSeconds();
            long writebackAge = policy.writebackIdleAfter() == null || !store.hasBacking() ? -1
                    : policy.writebackIdleAfter().toSeconds();
            long moved = 0;
            StreamPool.Stream s = store.acquire();
            try {
                for (int index = from; index < to && live == g; index++) {
                    if (writebackAge >= 0 && !(writebackLimitEnabled && writebackLimit.get() <= 0)
                            && writebackPage(store, index, 0, writebackAge, true, s) == 1) {
                        moved++;
                    } else if (recompressAge >= 0 && store.recompress(index, 0, 0, recompressAge, 1, MAX_ALGORITHMS - 1, memLimit, s)
                            == PageStore.Recompression.RECOMPRESSED) {
                        moved++;
                    }
                }
            } finally {
                store.release(s);
            }
            return moved;
        } finally {
            tiering.unlock();
            g.gate.exit();
        }
    }

    /**
     * The provisioning of a range, run by run: whether the page holding {@code offset} is mapped
     * (holds data that costs memory or a backing block) and how many bytes from {@code offset}
     * on share that state, at most {@code maxLength} and never past the end of the disk. A page
     * never written, discarded, or same-filled with zeros is unmapped (it reads as zeros and costs
     * nothing); a page same-filled with any other word is mapped. Each page is looked at under its
     * slot lock, one at a time: the answer is a snapshot that concurrent writes may change at once.
     * Not counted in io_stat or mm_stat (it moves no data).
     *
     * @param offset a multiple of 512 below the disk size
     * @param maxLength how far to look, a positive multiple of 512
     * @throws IllegalArgumentException for a maxLength that is not positive
     * @throws ZramException NOT_INITIALIZED; OUT_OF_RANGE (counted in invalid_io) for an offset at
     *     or beyond the disk size, or not sector-aligned
     */
    public Provisioning provisioning(long offset, long maxLength) throws ZramException {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength " + maxLength);
        }
        Generation g = enter();
        try {
            checkRange(g, offset, SECTOR_SIZE); // an offset at or past the end has no sector: OUT_OF_RANGE
            long end = offset + Math.min(maxLength, g.diskSize - offset);
            long index = Page.index(offset);
            boolean mapped = g.store.isMapped((int) index);
            long runEnd = (index + 1) * Page.SIZE;
            while (runEnd < end && g.store.isMapped((int) Page.index(runEnd)) == mapped) {
                runEnd += Page.SIZE;
            }
            return new Provisioning(mapped, Math.min(runEnd, end) - offset);
        } finally {
            g.gate.exit();
        }
    }

    /**
     * One run of {@link #provisioning}: {@code length} bytes that are all mapped or all unmapped.
     *
     * @param mapped whether the pages hold data that costs memory (or a backing block)
     * @param length bytes from the offset asked about, a multiple of 512
     */
    public record Provisioning(boolean mapped, long length) {}

    /** sysfs {@code bd_stat}; all zero without a backing device or while uninitialized. */
    public BdStat bdStat() {
        return readLive(PageStore::bdStat, BdStat.ZERO);
    }

    /** Where the stored pages are, per algorithm and tier; empty while uninitialized. */
    public TierStat tierStat() {
        return readLive(PageStore::tierStat, TierStat.EMPTY);
    }

    /** {@code what} of the live generation's store, inside its gate; {@code none} while uninitialized or being reset. */
    private <T> T readLive(Function<PageStore, T> what, T none) {
        Generation g = live;
        if (g == null || !g.gate.tryEnter()) {
            return none;
        }
        try {
            return what.apply(g.store);
        } finally {
            g.gate.exit();
        }
    }

    // ------------------------------------------------------------------ statistics

    /** sysfs {@code mm_stat}; all zero while uninitialized. */
    public MmStat mmStat() {
        return readLive(store -> store.mmStat(memLimit), MmStat.ZERO);
    }

    /** sysfs {@code io_stat}; all zero while uninitialized. */
    public IoStat ioStat() {
        Generation g = live;
        return g == null ? IoStat.ZERO : g.store.stats.ioStat();
    }

    /** Request counters; all zero while uninitialized. */
    public IoCounters ioCounters() {
        Generation g = live;
        return g == null ? IoCounters.ZERO : g.store.stats.ioCounters();
    }

    /** I/O inside the device right now (for diagnostics and tests). */
    public int inFlight() {
        Generation g = live;
        return g == null ? 0 : g.gate.inFlight();
    }

    @Override
    public String toString() {
        return name() + (isInitialized() ? " (" + diskSize() + " bytes, " + algorithm() + ")" : " (uninitialized)");
    }
}
