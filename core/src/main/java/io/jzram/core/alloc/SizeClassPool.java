package io.jzram.core.alloc;

import io.jzram.core.mem.Page;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An off-heap allocator for compressed pages, after the kernel's zsmalloc: objects of 1 to 4096 bytes
 * packed into chunks of one to eight contiguous 4 KiB pages, one size class per slot size.
 *
 * <h2>Layout</h2>
 * Object sizes are rounded up to a size class (16-byte steps from 32 to 4096, merged where the chunk
 * layout is the same; see {@link SizeClassTable} for the table and for {@link #hugeClassSize()} = 3632).
 * A class's chunk is {@code k * 4096} bytes from the C library's {@code malloc}, cut into
 * {@code n = floor(k * 4096 / size)} slots; object {@code i} lives at byte {@code i * size}. Chunk memory
 * holds object bytes and nothing else: the free-slot bitmap, each object's size and its owner tag (the
 * device's page index, needed by compaction) live on the heap, in the chunk's {@link Chunk} record. So
 * {@link #totalBytes()} exceeds the sum of object sizes only by slot rounding and by unused slots.
 * Objects of {@code hugeClassSize()} bytes or more get a one-page chunk of their own.
 *
 * <p>A handle ({@link Handles}) packs a chunk id, the id's generation and the slot index. Chunk ids index
 * the {@link ChunkTable}, which {@link #buffer}, {@link #offset}, {@link #segment} and {@link #size} read
 * without a lock in O(1), with no allocation except {@code segment}'s slice.
 *
 * <h2>States of a chunk</h2>
 * <ul>
 *   <li><b>linked</b> into one of its class's fullness groups: ten groups of partial chunks by used
 *       fraction (0-10%, ..., 90-100%) and one of full chunks. {@code malloc} takes a slot in a chunk of
 *       the fullest non-empty partial group, so objects pack densely and sparse chunks drain; only when
 *       there is no partial chunk does it allocate a new one.</li>
 *   <li><b>isolated</b> while compaction empties it: in no group, so no new object goes in; objects in it
 *       stay valid and can be freed; it is not freed when it empties, but when compaction un-isolates
 *       it. Hence a handle into an isolated chunk cannot be reused for another object while the chunk is
 *       isolated, which is what makes the device's "does the page still refer to this handle" check
 *       sound.</li>
 *   <li><b>dead</b>: its last object was freed (or the pool closed); it was unlinked under the class lock,
 *       then removed from the chunk table and its memory freed. Never empty and linked at once.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every linked chunk has {@code 1 <= inUse <= n} and sits in the group of its used fraction.</li>
 *   <li>A class's counters count its linked and isolated chunks, slots and live objects.</li>
 *   <li>{@code totalBytes} is the sum of the sizes of the chunks installed in the chunk table: it grows
 *       when a chunk is installed and shrinks when whoever removes it from the table frees it. Reading it
 *       is one volatile load.</li>
 *   <li>A chunk's memory is freed exactly once, by whoever removes it from the chunk table.</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Each class has a lock guarding its fullness groups, counters and the mutable state of its chunks (fields
 * say what guards them). Critical sections are short: no native call and no copying of object bytes happens
 * under a class lock; a new chunk is {@code malloc}'d before the lock is taken (and handed back if the pool
 * closed meanwhile), and {@link #migrate} copies between two short critical sections. Lock order: class
 * lock, then chunk-table lock. Callers may hold their own page locks when they call {@code malloc},
 * {@code free} or {@code migrate}; the pool therefore never calls the {@link Migrator} while holding a
 * class lock. Compactions are serialised by a pool-wide compaction lock that no other operation takes.
 *
 * <h2>Compaction</h2>
 * Per class, only if at least one chunk's worth of slots is free (zsmalloc's {@code zs_can_compact}):
 * under the class lock, take the sparsest chunks, as long as the free slots left in the other chunks still
 * hold every live object of the chosen ones, isolate them and snapshot their live objects (handle, owner);
 * release the lock; ask the migrator to move each object ({@code Migrator.migrate} then calls
 * {@link #migrate}, which puts it into the fullest non-isolated chunk); take the lock again and
 * un-isolate: chunks left empty are freed, the others go back to their groups. Repeat while a round frees
 * something.
 */
public final class SizeClassPool implements AutoCloseable {

    public static final int MAX_OBJECT_SIZE = Page.SIZE;

    static final int MIN_CLASS_SIZE = 32;
    static final int CLASS_STEP = 16;
    static final int MAX_PAGES_PER_CHUNK = 8;
    static final SizeClassTable TABLE = new SizeClassTable(Page.SIZE, MIN_CLASS_SIZE, CLASS_STEP, MAX_PAGES_PER_CHUNK);

    /** At most this many chunks are isolated per round of compaction of a class. */
    static final int MAX_SOURCES_PER_ROUND = 64;

    static {
        if (TABLE.maxObjectsPerChunk() > Handles.MAX_OBJECTS_PER_CHUNK) {
            throw new ExceptionInInitializerError("slot index does not fit a handle");
        }
    }

    private final ChunkMemory memory;
    private final SizeClass[] classes;
    private final ChunkTable chunks = new ChunkTable();
    /** Bytes of all chunks installed in {@link #chunks}; written after install and after free. */
    private final AtomicLong totalBytes = new AtomicLong();
    /** Serialises compactions; taken by nothing else. */
    private final ReentrantLock compactionLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A pool whose chunk memory comes from {@link NativeMemory}. */
    public SizeClassPool() {
        this(ChunkMemory.NATIVE);
    }

    SizeClassPool(ChunkMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.classes = new SizeClass[TABLE.classCount()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = new SizeClass(TABLE.layout(i), Page.SIZE);
        }
    }

    /**
     * Compressed objects of this many bytes or more must be stored raw (as a whole 4096-byte page): the
     * first size whose class holds one object per one-page chunk (zsmalloc's {@code zs_huge_class_size}).
     * 3632; see {@link SizeClassTable} for how it follows from the class table.
     */
    public int hugeClassSize() {
        return TABLE.hugeClassSize();
    }

    /**
     * The size class an object of {@code size} bytes goes to: classes are numbered by the object
     * size they hold, smallest first, so a smaller index is a smaller object in memory (the
     * kernel's {@code zs_lookup_class_index}, by which recompression judges whether a page shrank).
     *
     * @throws IllegalArgumentException unless {@code 1 <= size <= MAX_OBJECT_SIZE}
     */
    public int classIndex(int size) {
        if (size < 1 || size > MAX_OBJECT_SIZE) {
            throw new IllegalArgumentException("object size " + size + " not in 1.." + MAX_OBJECT_SIZE);
        }
        return TABLE.classIndexFor(size);
    }

    /**
     * Allocates an object of {@code size} bytes, tagged with {@code owner} (the caller's page index, handed
     * back to the {@link Migrator} by compaction). The bytes are uninitialised. Thread-safe.
     *
     * @return a non-zero handle
     * @throws IllegalArgumentException unless {@code 1 <= size <= MAX_OBJECT_SIZE}
     * @throws NativeMemoryException if a new chunk was needed and the C library had no memory
     * @throws IllegalStateException if the pool is closed
     */
    public long malloc(int size, int owner) {
        if (size < 1 || size > MAX_OBJECT_SIZE) {
            throw new IllegalArgumentException("object size " + size + " not in 1.." + MAX_OBJECT_SIZE);
        }
        ensureOpen();
        return allocate(classes[TABLE.classIndexFor(size)], size, owner);
    }

    private long allocate(SizeClass sizeClass, int size, int owner) {
        sizeClass.lock.lock();
        try {
            Chunk partial = sizeClass.fullestPartial();
            if (partial != null) {
                return sizeClass.take(partial, size, owner);
            }
        } finally {
            sizeClass.lock.unlock();
        }
        MemorySegment fresh = memory.allocate(sizeClass.chunkBytes);
        boolean installed = false;
        sizeClass.lock.lock();
        try {
            // close() marks the pool closed before it sweeps the classes under their locks: a chunk installed
            // after that sweep would leak, so check under the lock.
            ensureOpen();
            Chunk chunk = chunks.register(sizeClass, fresh);
            installed = true;
            totalBytes.addAndGet(sizeClass.chunkBytes);
            sizeClass.addChunk(chunk);
            return sizeClass.take(chunk, size, owner);
        } finally {
            sizeClass.lock.unlock();
            if (!installed) {
                memory.free(fresh);
            }
        }
    }

    /**
     * Frees an object. Thread-safe; the caller guarantees nobody else uses this handle concurrently.
     *
     * @throws IllegalArgumentException if the handle does not name a live object (best effort: a stale
     *     handle whose slot has been reused for another object cannot be told apart)
     * @throws IllegalStateException if the pool is closed
     */
    public void free(long handle) {
        Chunk chunk = chunkOf(handle);
        SizeClass sizeClass = chunk.sizeClass;
        boolean emptied;
        sizeClass.lock.lock();
        try {
            emptied = sizeClass.release(chunk, Handles.index(handle));
        } finally {
            sizeClass.lock.unlock();
        }
        if (emptied) {
            freeChunk(chunk);
        }
    }

    /**
     * Lets the live object {@code handle} take a new size without moving, if {@code newSize} falls in
     * the object's size class (the slot is the class's size whatever the object's): records the new
     * size and returns {@code true}; the caller then writes the new bytes in place. Otherwise changes
     * nothing and returns {@code false} (the caller allocates a new object). No memory is allocated or
     * freed either way, so {@link #totalBytes()} does not change. Thread-safe; the caller guarantees
     * nobody else uses this handle concurrently (its page lock).
     *
     * @throws IllegalArgumentException if the handle does not name a live object, or for a size outside
     *     {@code 1..MAX_OBJECT_SIZE}
     */
    public boolean resizeInPlace(long handle, int newSize) {
        if (newSize < 1 || newSize > MAX_OBJECT_SIZE) {
            throw new IllegalArgumentException("object size " + newSize + " not in 1.." + MAX_OBJECT_SIZE);
        }
        Chunk chunk = chunkOf(handle);
        SizeClass sizeClass = chunk.sizeClass;
        if (TABLE.classIndexFor(newSize) != sizeClass.index) {
            return false;
        }
        int slot = Handles.index(handle);
        if (liveSize(chunk, slot) == newSize) {
            return true; // nothing to record (and the huge class's objects are always a page)
        }
        sizeClass.lock.lock();
        try {
            sizeClass.resize(chunk, slot, newSize);
        } finally {
            sizeClass.lock.unlock();
        }
        return true;
    }

    /**
     * Zero-copy access for codecs: a direct buffer over the whole chunk holding the object, shared by all
     * callers, who use absolute offsets only and never change its position or limit. The object is at
     * {@link #offset(long)} and is {@link #size(long)} bytes long. Allocation-free, O(1); valid while the
     * handle is live.
     */
    public ByteBuffer buffer(long handle) {
        return chunkOf(handle).buffer;
    }

    /** The object's offset in {@link #buffer(long)}. Allocation-free, O(1). */
    public int offset(long handle) {
        Chunk chunk = chunkOf(handle);
        return Handles.index(handle) * chunk.sizeClass.size;
    }

    /** The object's bytes as a slice of the chunk (allocates the slice; for copies and non-hot paths). */
    public MemorySegment segment(long handle) {
        Chunk chunk = chunkOf(handle);
        int slot = Handles.index(handle);
        return chunk.memory.asSlice((long) slot * chunk.sizeClass.size, liveSize(chunk, slot));
    }

    /** The object's size: as allocated, or as last {@link #resizeInPlace resized}. */
    public int size(long handle) {
        Chunk chunk = chunkOf(handle);
        return liveSize(chunk, Handles.index(handle));
    }

    /** {@code mem_used_total}: bytes of all chunks currently held (pages * 4096), exact; one volatile read. */
    public long totalBytes() {
        return totalBytes.get();
    }

    /**
     * Moves objects out of sparse chunks into denser chunks of the same class and frees the emptied chunks.
     * For each object to move, calls {@code migrator.migrate(owner, handle)}, holding no class lock.
     * Compactions are serialised; allocation and freeing go on meanwhile.
     *
     * @return the number of 4 KiB pages freed (zram's {@code pages_compacted})
     */
    public long compact(Migrator migrator) {
        Objects.requireNonNull(migrator, "migrator");
        ensureOpen();
        long pagesFreed = 0;
        compactionLock.lock();
        try {
            for (SizeClass sizeClass : classes) {
                if (closed.get()) {
                    break;
                }
                pagesFreed += compactClass(sizeClass, migrator);
            }
        } finally {
            compactionLock.unlock();
        }
        if (pagesFreed > 0) {
            memory.trim();
        }
        return pagesFreed;
    }

    private long compactClass(SizeClass sizeClass, Migrator migrator) {
        long pagesFreed = 0;
        while (!closed.get()) {
            SizeClass.Isolation isolation;
            sizeClass.lock.lock();
            try {
                isolation = sizeClass.isolateSparsest(MAX_SOURCES_PER_ROUND);
            } finally {
                sizeClass.lock.unlock();
            }
            if (isolation == null) {
                break;
            }
            List<Chunk> emptied;
            try {
                long[] handles = isolation.handles();
                int[] owners = isolation.owners();
                for (int i = 0; i < handles.length && !closed.get(); i++) {
                    migrator.migrate(owners[i], handles[i]);
                }
            } finally {
                sizeClass.lock.lock();
                try {
                    emptied = sizeClass.unisolate(isolation);
                } finally {
                    sizeClass.lock.unlock();
                }
                for (Chunk chunk : emptied) {
                    freeChunk(chunk);
                }
            }
            if (emptied.isEmpty()) {
                break; // the migrator refused everything that mattered: no progress this round
            }
            pagesFreed += (long) emptied.size() * sizeClass.pagesPerChunk;
        }
        return pagesFreed;
    }

    /**
     * Called only from inside {@link Migrator#migrate} for the handle it was given: allocates an object of
     * the same size and owner in a chunk other than the one being emptied, copies the bytes, frees the old
     * object and returns the new handle.
     *
     * @throws IllegalArgumentException if the handle does not name a live object
     * @throws IllegalStateException if the object is not in a chunk being compacted
     * @throws NativeMemoryException if a new chunk was needed and there is no memory (the old object stays)
     */
    public long migrate(long handle) {
        Chunk from = chunkOf(handle);
        int slot = Handles.index(handle);
        SizeClass sizeClass = from.sizeClass;
        int size;
        int owner;
        sizeClass.lock.lock();
        try {
            sizeClass.checkLive(from, slot);
            if (!from.isolated) {
                throw new IllegalStateException("migrate outside compaction: the object's chunk is not isolated");
            }
            size = from.size(slot);
            owner = from.owner(slot);
        } finally {
            sizeClass.lock.unlock();
        }
        // An isolated chunk is in no fullness group, so the new slot is in another chunk.
        long moved = allocate(sizeClass, size, owner);
        Chunk to = chunkOf(moved);
        MemorySegment.copy(from.memory, (long) slot * sizeClass.size,
                to.memory, (long) Handles.index(moved) * sizeClass.size, size);
        free(handle);
        return moved;
    }

    /**
     * Frees every chunk now and hands free memory back to the operating system ({@code malloc_trim}).
     * Idempotent. Afterwards {@code malloc} and the other operations throw {@link IllegalStateException}.
     * Must not run concurrently with uses of live handles (their memory goes away).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // A running compaction sees the flag between two objects and stops; wait for it to un-isolate.
        compactionLock.lock();
        compactionLock.unlock();
        for (SizeClass sizeClass : classes) {
            sizeClass.lock.lock();
            try {
                sizeClass.clear();
            } finally {
                sizeClass.lock.unlock();
            }
        }
        for (Chunk chunk : chunks.clear()) {
            memory.free(chunk.memory);
            totalBytes.addAndGet(-chunk.sizeClass.chunkBytes);
        }
        memory.trim();
    }

    /** One row per size class, smallest first, like {@code /sys/kernel/debug/zsmalloc/<pool>/classes}. */
    public List<SizeClassStats> classStats() {
        List<SizeClassStats> stats = new ArrayList<>(classes.length);
        for (SizeClass sizeClass : classes) {
            sizeClass.lock.lock();
            try {
                stats.add(sizeClass.stats());
            } finally {
                sizeClass.lock.unlock();
            }
        }
        return List.copyOf(stats);
    }

    @Override
    public String toString() {
        return "SizeClassPool[totalBytes=" + totalBytes() + (closed.get() ? ", closed]" : "]");
    }

    private void freeChunk(Chunk chunk) {
        if (chunks.unregister(chunk)) {
            memory.free(chunk.memory);
            totalBytes.addAndGet(-chunk.sizeClass.chunkBytes);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("pool is closed");
        }
    }

    /** The chunk a handle names, checked: O(1), no lock, no allocation (except when throwing). */
    private Chunk chunkOf(long handle) {
        Chunk chunk = chunks.get(Handles.chunkId(handle));
        if (chunk == null || chunk.handleBase != Handles.baseOf(handle)
                || Handles.index(handle) >= chunk.sizeClass.objectsPerChunk) {
            ensureOpen();
            throw new IllegalArgumentException("not a live handle: 0x" + Long.toHexString(handle));
        }
        return chunk;
    }

    /** The recorded size of a slot named by a handle the caller holds; 0 means the slot is free. */
    private static int liveSize(Chunk chunk, int slot) {
        int size = chunk.size(slot);
        if (size == 0) {
            throw new IllegalArgumentException("handle names a free slot");
        }
        return size;
    }
}
