package io.jzram.core;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The refcounted gate of one device generation: the I/O path's only synchronisation with reset.
 *
 * <h2>Protocol</h2>
 * Modelled on the zram patch "remove init_lock in zram_make_request". A generation is born
 * <em>open</em> with a reference count of <strong>1</strong>: the owner's reference, held by the
 * device for as long as the generation is live. Every I/O calls {@link #tryEnter()}, an atomic
 * <em>increment-if-not-zero</em>, and {@link #exit()} when done. Reset calls {@link #close}, which
 * drops the owner's reference exactly once and waits until the count reaches zero.
 *
 * <pre>
 *   OPEN (refs = 1 + in-flight) --close()--> DRAINING (refs = in-flight) --last exit()--> DRAINED (refs = 0)
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>refs &gt; 0 while the owner holds its reference or any I/O is inside; refs == 0 is
 *       terminal: increment-if-not-zero never resurrects a drained gate, so an I/O that looked
 *       up the generation just before reset either entered before the owner let go (and reset
 *       waits for it) or fails to enter and reports "not initialized". It never runs against
 *       freed memory.</li>
 *   <li>Whoever moves refs from 1 to 0 releases the waiter: the owner itself when nothing was
 *       in flight, otherwise the last I/O to exit.</li>
 * </ul>
 *
 * <h2>Why it is written this way</h2>
 * The two historical bugs of the kernel patch are designed out: the owner reference starts at
 * 1, not 0 (starting at 0 and incrementing on init leaves a window where the first I/O sees 0
 * and every I/O fails, or where a reset's decrement goes negative), and the last exit always
 * wakes the waiter (the first version forgot, so a reset racing with I/O slept forever).
 * {@code IoGateTest} and {@code IoGateModelCheckTest} fail for both.
 *
 * <p>Thread-safe and lock-free on the I/O path: one CAS to enter, one atomic decrement to exit.
 */
public final class IoGate {

    /** 1 (the owner) + in-flight I/O while open; in-flight I/O while draining; 0 once drained, forever. */
    private final AtomicInteger refs = new AtomicInteger(1);

    /** Set once by the first {@link #close}, so the owner reference is dropped exactly once. */
    private final AtomicBoolean ownerReleased = new AtomicBoolean();

    /** Opened by whichever thread takes {@link #refs} to zero. */
    private final CountDownLatch drained = new CountDownLatch(1);

    /**
     * Enters the generation for one I/O. Lock-free.
     *
     * @return true if entered (the caller must call {@link #exit()} exactly once, in a finally
     *     block); false if the gate has drained (the caller reports "not initialized")
     */
    public boolean tryEnter() {
        int current = refs.get();
        while (current > 0) {
            if (current == Integer.MAX_VALUE) {
                // 2^31 concurrent I/Os cannot happen; refuse rather than wrap into a negative count.
                return false;
            }
            int witness = refs.compareAndExchange(current, current + 1);
            if (witness == current) {
                return true;
            }
            current = witness;
        }
        return false;
    }

    /**
     * Leaves the generation; the last one out after {@link #close} wakes the waiter.
     *
     * @throws IllegalStateException for an exit without a matching {@link #tryEnter()}: a bug in
     *     the caller, reported loudly rather than allowed to take the owner's reference (which
     *     would drain a live generation) or drive the count negative
     */
    public void exit() {
        int current = refs.get();
        for (;;) {
            if (current <= 0 || (current == 1 && !ownerReleased.get())) {
                throw new IllegalStateException("IoGate.exit() without a matching tryEnter()");
            }
            int witness = refs.compareAndExchange(current, current - 1);
            if (witness == current) {
                if (current == 1) {
                    drained.countDown();
                }
                return;
            }
            current = witness;
        }
    }

    /** Drops the owner's reference; called once, by the first {@link #close}. */
    private void releaseOwner() {
        int after = refs.decrementAndGet();
        if (after == 0) {
            drained.countDown();
        }
    }

    /**
     * Drops the owner's reference (once, however often this is called) and waits for in-flight
     * I/O to drain. New {@link #tryEnter()} calls fail from the moment in-flight I/O reaches zero.
     *
     * @param timeout how long to wait; zero or negative waits not at all, {@code Long.MAX_VALUE}
     *     nanoseconds or more waits forever
     * @return true when drained; false if the timeout passed first (the owner reference stays
     *     dropped: calling again continues the wait)
     * @throws InterruptedException if interrupted while waiting; the owner reference stays dropped
     */
    public boolean close(long timeout, TimeUnit unit) throws InterruptedException {
        if (ownerReleased.compareAndSet(false, true)) {
            releaseOwner();
        }
        if (unit.toNanos(timeout) >= Long.MAX_VALUE) {
            drained.await();
            return true;
        }
        return drained.await(timeout, unit);
    }

    /** True once the owner reference has been dropped. */
    public boolean isClosed() {
        return ownerReleased.get();
    }

    /** True once every reference is gone: no I/O is inside and none can enter. */
    public boolean isDrained() {
        return refs.get() == 0;
    }

    /** I/Os currently inside the generation (a snapshot, for statistics and tests). */
    public int inFlight() {
        int r = refs.get();
        return ownerReleased.get() ? r : Math.max(0, r - 1);
    }
}
