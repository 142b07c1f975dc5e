package io.jzram.core.alloc;

/**
 * The owner side of compaction: {@link SizeClassPool#compact(Migrator)} asks, for each live object it
 * wants to move, whether the object's owner lets it move now.
 */
@FunctionalInterface
public interface Migrator {

    /**
     * Compaction asks the owner of a live object to let it move. The implementation (the device) tries to
     * lock page {@code owner} without blocking (returns {@code false} if busy), checks that the page still
     * refers to {@code handle} (returns {@code false} if not), calls {@link SizeClassPool#migrate(long)
     * pool.migrate(handle)}, stores the returned handle, unlocks, and returns {@code true}.
     *
     * <p>The pool calls this holding none of the locks that {@code malloc}, {@code free} and {@code migrate}
     * take (only its compaction lock, which they never take), so the implementation may call
     * {@code pool.migrate} and may be called while other threads hold page locks. It should still not block
     * on a page lock: a busy page is simply skipped, and compaction never stalls a writer.
     *
     * @return whether the object was moved
     */
    boolean migrate(int owner, long handle);
}
