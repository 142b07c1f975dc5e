package io.jzram.core;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@link IoGate} and two mutants that re-introduce the historical bugs of the kernel
 * patch "zram: remove init_lock in zram_make_request", behind one test-only interface, so the
 * same concurrency scenarios can be run against all three: the scenarios must pass for the real
 * gate and fail for each mutant (otherwise they do not test what they claim to test).
 *
 * <p>The mutants are copies of {@code IoGate} that differ only where the bug is; keep them in
 * step with it if its algorithm changes.
 */
final class IoGateMutants {

    private IoGateMutants() {}

    /**
     * The method shape of {@link IoGate}, plus {@link #init()}: the device calls it right after
     * publishing a new generation (with its gate) to the I/O path. The real gate is born open,
     * so for it {@code init()} does nothing; the buggy patch took its reference there.
     */
    interface Gate {
        /** Called once by the device after the generation carrying this gate was published. */
        void init();

        boolean tryEnter();

        void exit();

        boolean close(long timeout, TimeUnit unit) throws InterruptedException;

        boolean isClosed();

        boolean isDrained();

        int inFlight();
    }

    /** A new gate of one kind; one per device generation. */
    enum Kind {
        REAL {
            @Override
            Gate newGate() {
                return new Real();
            }
        },
        STARTS_AT_ZERO {
            @Override
            Gate newGate() {
                return new StartsAtZero();
            }
        },
        NO_WAKEUP {
            @Override
            Gate newGate() {
                return new NoWakeup();
            }
        },
        NO_DRAIN_WAIT {
            @Override
            Gate newGate() {
                return new NoDrainWait();
            }
        };

        abstract Gate newGate();
    }

    /** The gate under test: an adapter to the production {@link IoGate}. */
    static final class Real implements Gate {
        private final IoGate gate = new IoGate();

        @Override
        public void init() {
            // Born open: the owner reference is taken by the constructor, before publication.
        }

        @Override
        public boolean tryEnter() {
            return gate.tryEnter();
        }

        @Override
        public void exit() {
            gate.exit();
        }

        @Override
        public boolean close(long timeout, TimeUnit unit) throws InterruptedException {
            return gate.close(timeout, unit);
        }

        @Override
        public boolean isClosed() {
            return gate.isClosed();
        }

        @Override
        public boolean isDrained() {
            return gate.isDrained();
        }

        @Override
        public int inFlight() {
            return gate.inFlight();
        }
    }

    /**
     * Historical bug 1: the owner reference starts at <strong>0</strong> and is taken by
     * {@link #init()}, after the generation has already been published (the device did
     * {@code meta = ...; publish; atomic_inc(&refcount)}). An I/O that finds the published
     * generation before the increment sees 0, and increment-if-not-zero refuses it: the I/O fails
     * with "not initialized" on a device that is being initialized and was never reset. (Were a
     * reset to drop the reference in that window, the count would go to -1 instead.)
     * Otherwise identical to {@link IoGate}.
     */
    static final class StartsAtZero implements Gate {
        private final AtomicInteger refs = new AtomicInteger(0); // BUG: IoGate starts at 1
        private final AtomicBoolean ownerReleased = new AtomicBoolean();
        private final CountDownLatch drained = new CountDownLatch(1);

        @Override
        public void init() {
            refs.incrementAndGet(); // BUG: the owner reference is taken after publication
        }

        @Override
        public boolean tryEnter() {
            int current = refs.get();
            while (current > 0) {
                if (current == Integer.MAX_VALUE) {
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

        @Override
        public void exit() {
            int after = refs.decrementAndGet();
            if (after == 0) {
                drained.countDown();
            } else if (after < 0) {
                throw new IllegalStateException("IoGate.exit() without a matching tryEnter()");
            }
        }

        @Override
        public boolean close(long timeout, TimeUnit unit) throws InterruptedException {
            if (ownerReleased.compareAndSet(false, true)) {
                exit();
            }
            if (unit.toNanos(timeout) >= Long.MAX_VALUE) {
                drained.await();
                return true;
            }
            return drained.await(timeout, unit);
        }

        @Override
        public boolean isClosed() {
            return ownerReleased.get();
        }

        @Override
        public boolean isDrained() {
            return refs.get() == 0;
        }

        @Override
        public int inFlight() {
            int r = refs.get();
            return ownerReleased.get() ? r : Math.max(0, r - 1);
        }
    }

    /**
     * Historical bug 2: the missing wake-up. Reset wakes itself when it drops the last reference
     * (nothing in flight), but the last I/O to exit after reset dropped the owner reference takes
     * the count to 0 without releasing the waiter, so a reset racing with I/O sleeps forever
     * (or until its timeout). Otherwise identical to {@link IoGate}.
     */
    static final class NoWakeup implements Gate {
        private final AtomicInteger refs = new AtomicInteger(1);
        private final AtomicBoolean ownerReleased = new AtomicBoolean();
        private final CountDownLatch drained = new CountDownLatch(1);

        @Override
        public void init() {}

        @Override
        public boolean tryEnter() {
            int current = refs.get();
            while (current > 0) {
                if (current == Integer.MAX_VALUE) {
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

        @Override
        public void exit() {
            int after = refs.decrementAndGet();
            // BUG: no drained.countDown() when after == 0
            if (after < 0) {
                throw new IllegalStateException("IoGate.exit() without a matching tryEnter()");
            }
        }

        @Override
        public boolean close(long timeout, TimeUnit unit) throws InterruptedException {
            if (ownerReleased.compareAndSet(false, true)) {
                if (refs.decrementAndGet() == 0) {
                    drained.countDown(); // only the owner's own put wakes the waiter
                }
            }
            if (unit.toNanos(timeout) >= Long.MAX_VALUE) {
                drained.await();
                return true;
            }
            return drained.await(timeout, unit);
        }

        @Override
        public boolean isClosed() {
            return ownerReleased.get();
        }

        @Override
        public boolean isDrained() {
            return refs.get() == 0;
        }

        @Override
        public int inFlight() {
            int r = refs.get();
            return ownerReleased.get() ? r : Math.max(0, r - 1);
        }
    }

    /**
     * A control mutant, not a historical bug: close drops the owner reference but does not wait
     * for in-flight I/O, so reset frees memory under a running I/O. It exists to prove that the
     * scenarios' use-after-free check can fail at all.
     */
    static final class NoDrainWait implements Gate {
        private final IoGate gate = new IoGate();

        @Override
        public void init() {}

        @Override
        public boolean tryEnter() {
            return gate.tryEnter();
        }

        @Override
        public void exit() {
            gate.exit();
        }

        @Override
        public boolean close(long timeout, TimeUnit unit) throws InterruptedException {
            gate.close(0, TimeUnit.NANOSECONDS); // BUG: does not wait for the drain
            return true;
        }

        @Override
        public boolean isClosed() {
            return gate.isClosed();
        }

        @Override
        public boolean isDrained() {
            return gate.isDrained();
        }

        @Override
        public int inFlight() {
            return gate.inFlight();
        }
    }
}
