package io.jzram.core.alloc;

import io.jzram.core.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One size class of a pool: its layout, its lock, and its chunks sorted into fullness groups.
 * Every method that reads or changes chunk state requires {@link #lock}; they check it with assertions.
 *
 * <p>A fullness group is an array of chunks, not a linked list: a chunk knows its index in it, removal
 * moves the group's last chunk into the hole, and insertion appends. Moving a chunk between groups
 * (which happens every {@code objectsPerChunk / 10} allocations or frees in it, on every one for the
 * large classes) then touches the group arrays and at most one other chunk, the group's last, which
 * is the one most recently added and so the likeliest to be in the cache; a doubly linked list
 * touches both neighbours and the new head, three other chunks, usually cold on a large device.
 * {@link #fullestPartial} takes the last chunk of the fullest partial group: the one most recently
 * put there, as the head of a list would be.
 */
final class SizeClass {

    /** Partial chunks are grouped by used fraction into this many groups: group {@code g} holds chunks
     *  with {@code g/10 <= inUse/n < (g+1)/10}. */
    static final int PARTIAL_GROUPS = 10;
    /** The group of full chunks. */
    static final int FULL = PARTIAL_GROUPS;
    private static final int PARTIAL_MASK = (1 << PARTIAL_GROUPS) - 1;

    final int index;
    final int size;
    final int pagesPerChunk;
    final int objectsPerChunk;
    final long chunkBytes;
    final SizeClassTable.Layout layout;

    final ReentrantLock lock = new ReentrantLock();

    /** The fullness groups, {@code 0..PARTIAL_GROUPS-1} partial, {@link #FULL} full: group {@code g} is {@code groups[g][0, groupSizes[g])}. */
    @GuardedBy("lock")
    private final Chunk[][] groups = new Chunk[PARTIAL_GROUPS + 1][];
    @GuardedBy("lock")
    private final int[] groupSizes = new int[PARTIAL_GROUPS + 1];
    /** Bit {@code g} set iff group {@code g} is not empty. */
    @GuardedBy("lock")
    private int nonEmptyGroups;
    /** Chunks held: linked ones plus isolated ones. */
    @GuardedBy("lock")
    private long chunkCount;
    @GuardedBy("lock")
    private long isolatedCount;
    /** Live objects in all chunks held. */
    @GuardedBy("lock")
    private long usedObjects;

    SizeClass(SizeClassTable.Layout layout, int pageSize) {
        this.layout = layout;
        this.index = layout.index();
        this.size = layout.size();
        this.pagesPerChunk = layout.pagesPerChunk();
        this.objectsPerChunk = layout.objectsPerChunk();
        this.chunkBytes = (long) pagesPerChunk * pageSize;
        for (int g = 0; g <= FULL; g++) {
            groups[g] = new Chunk[4];
        }
    }

    private boolean locked() {
        return lock.isHeldByCurrentThread();
    }

    /** The fullest chunk that has a free slot and is not isolated, or {@code null}. */
    @GuardedBy("lock")
    Chunk fullestPartial() {
        assert locked();
        int partial = nonEmptyGroups & PARTIAL_MASK;
        if (partial == 0) {
            return null;
        }
        int g = 31 - Integer.numberOfLeadingZeros(partial);
        return groups[g][groupSizes[g] - 1];
    }

    /** Takes on a newly allocated, already registered, empty chunk. */
    @GuardedBy("lock")
    void addChunk(Chunk c) {
        assert locked() && c.inUse == 0 && c.sizeClass == this;
        chunkCount++;
        link(c, 0);
    }

    /** Puts an object into a slot of {@code c} (linked, not full) and returns its handle. */
    @GuardedBy("lock")
    long take(Chunk c, int objectSize, int owner) {
        assert locked() && !c.isolated && !c.dead && c.inUse < objectsPerChunk;
        int slot = c.take(objectSize, owner);
        c.inUse++;
        usedObjects++;
        regroup(c);
        return c.handleBase | slot;
    }

    /** Records a new size for the live object in {@code slot} of {@code c}; the size belongs to this class. */
    @GuardedBy("lock")
    void resize(Chunk c, int slot, int objectSize) {
        checkLive(c, slot);
        assert layout.minObjectSize() <= objectSize && objectSize <= layout.maxObjectSize();
        c.resize(slot, objectSize);
    }

    /** @throws IllegalArgumentException unless {@code slot} of {@code c} holds a live object */
    @GuardedBy("lock")
    void checkLive(Chunk c, int slot) {
        assert locked();
        if (c.dead || slot >= objectsPerChunk || c.isFree(slot)) {
            throw new IllegalArgumentException("handle does not name a live object (double free?): chunk "
                    + c.id + " slot " + slot);
        }
    }

    /**
     * Frees the object in {@code slot}. Returns {@code true} if that emptied the chunk and the chunk was
     * unlinked for good: the caller then unregisters it and frees its memory. An isolated chunk that
     * empties stays until compaction un-isolates it.
     */
    @GuardedBy("lock")
    boolean release(Chunk c, int slot) {
        checkLive(c, slot);
        c.release(slot);
        c.inUse--;
        usedObjects--;
        if (c.isolated) {
            return false;
        }
        if (c.inUse == 0) {
            unlink(c);
            c.dead = true;
            chunkCount--;
            return true;
        }
        regroup(c);
        return false;
    }

    /** What compaction took out of circulation: the source chunks and a snapshot of their live objects. */
    record Isolation(List<Chunk> sources, long[] handles, int[] owners) {
    }

    /**
     * Picks the sparsest chunks whose objects fit the free slots of the others, isolates them and snapshots
     * their live objects; {@code null} if no chunk can be freed (zsmalloc's zs_can_compact is zero).
     * Requires that no chunk of the class is isolated (compactions are serialised).
     */
    @GuardedBy("lock")
    Isolation isolateSparsest(int maxSources) {
        assert locked() && isolatedCount == 0;
        long freeSlots = chunkCount * objectsPerChunk - usedObjects;
        if (freeSlots < objectsPerChunk) {
            return null;
        }
        List<Chunk> sources = new ArrayList<>();
        long roomLeft = freeSlots; // free slots outside the sources chosen so far
        long toMove = 0;           // live objects in the sources chosen so far
        pick:
        for (int g = 0; g < PARTIAL_GROUPS; g++) {
            for (int i = groupSizes[g] - 1; i >= 0; i--) {
                Chunk c = groups[g][i];
                int free = objectsPerChunk - c.inUse;
                if (roomLeft - free < toMove + c.inUse) {
                    break pick;
                }
                roomLeft -= free;
                toMove += c.inUse;
                sources.add(c);
                if (sources.size() == maxSources) {
                    break pick;
                }
            }
        }
        if (sources.isEmpty()) {
            return null;
        }
        long[] handles = new long[Math.toIntExact(toMove)];
        int[] owners = new int[handles.length];
        int k = 0;
        for (Chunk c : sources) {
            unlink(c);
            c.isolated = true;
            isolatedCount++;
            for (int slot = 0; slot < objectsPerChunk; slot++) {
                if (!c.isFree(slot)) {
                    handles[k] = c.handleBase | slot;
                    owners[k] = c.owner(slot);
                    k++;
                }
            }
        }
        assert k == handles.length;
        return new Isolation(List.copyOf(sources), handles, owners);
    }

    /**
     * Ends an isolation: chunks that still hold objects go back to their fullness group; empty ones are
     * unlinked for good and returned, for the caller to unregister and free.
     */
    @GuardedBy("lock")
    List<Chunk> unisolate(Isolation isolation) {
        assert locked();
        List<Chunk> emptied = new ArrayList<>();
        for (Chunk c : isolation.sources()) {
            assert c.isolated;
            c.isolated = false;
            isolatedCount--;
            if (c.inUse == 0) {
                c.dead = true;
                chunkCount--;
                emptied.add(c);
            } else {
                link(c, groupOf(c.inUse));
            }
        }
        return emptied;
    }

    /** Forgets every chunk (the pool frees their memory through its chunk table). */
    @GuardedBy("lock")
    void clear() {
        assert locked();
        for (int g = 0; g <= FULL; g++) {
            for (int i = 0; i < groupSizes[g]; i++) {
                groups[g][i].group = -1;
                groups[g][i].dead = true;
                groups[g][i] = null;
            }
            groupSizes[g] = 0;
        }
        nonEmptyGroups = 0;
        chunkCount = 0;
        isolatedCount = 0;
        usedObjects = 0;
    }

    @GuardedBy("lock")
    SizeClassStats stats() {
        assert locked();
        return new SizeClassStats(index, size, layout.minObjectSize(), layout.maxObjectSize(), pagesPerChunk,
                objectsPerChunk, layout.huge(), chunkCount, chunkCount * objectsPerChunk, usedObjects);
    }

    private int groupOf(int inUse) {
        return inUse == objectsPerChunk ? FULL : inUse * PARTIAL_GROUPS / objectsPerChunk;
    }

    @GuardedBy("lock")
    private void regroup(Chunk c) {
        int g = groupOf(c.inUse);
        if (g != c.group) {
            unlink(c);
            link(c, g);
        }
    }

    @GuardedBy("lock")
    private void link(Chunk c, int g) {
        Chunk[] group = groups[g];
        int n = groupSizes[g];
        if (n == group.length) {
            group = groups[g] = java.util.Arrays.copyOf(group, n * 2);
        }
        group[n] = c;
        groupSizes[g] = n + 1;
        c.group = g;
        c.slotInGroup = n;
        nonEmptyGroups |= 1 << g;
    }

    @GuardedBy("lock")
    private void unlink(Chunk c) {
        int g = c.group;
        Chunk[] group = groups[g];
        int last = groupSizes[g] - 1;
        int at = c.slotInGroup;
        assert group[at] == c;
        if (at != last) {
            Chunk moved = group[last];
            group[at] = moved;
            moved.slotInGroup = at;
        }
        group[last] = null;
        groupSizes[g] = last;
        c.group = -1;
        if (last == 0) {
            nonEmptyGroups &= ~(1 << g);
        }
    }
}
