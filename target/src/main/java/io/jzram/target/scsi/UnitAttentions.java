package io.jzram.target.scsi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pending unit attention conditions of one I_T_L nexus: a lock-free set of
 * {@link UnitAttention}s. Establishing a condition already pending is a no-op; a second, different
 * reset-class condition (29h) merges with the first into 29/00 so that one reset is reported once.
 * {@link #take()} removes and returns the highest-priority condition.
 */
final class UnitAttentions {
    private static final int RESET_MASK;

    static {
        int m = 0;
        for (UnitAttention ua : UnitAttention.values()) {
            if (ua.isReset()) {
                m |= ua.bit();
            }
        }
        RESET_MASK = m;
    }

    private static final UnitAttention[] VALUES = UnitAttention.values();

    private final AtomicInteger pending = new AtomicInteger();

    void establish(UnitAttention ua) {
        int bit = ua.bit();
        pending.updateAndGet(cur -> {
            if (ua.isReset()) {
                int resets = cur & RESET_MASK;
                if (resets != 0 && resets != bit) {
                    return (cur & ~RESET_MASK) | UnitAttention.RESET_OCCURRED.bit();
                }
            }
            return cur | bit;
        });
    }

    /** Removes and returns the highest-priority pending condition, or null if none. */
    UnitAttention take() {
        while (true) {
            int cur = pending.get();
            if (cur == 0) {
                return null;
            }
            int lowest = Integer.numberOfTrailingZeros(cur);
            if (pending.compareAndSet(cur, cur & ~(1 << lowest))) {
                return VALUES[lowest];
            }
        }
    }

    /** The highest-priority pending condition without removing it, or null. */
    UnitAttention peek() {
        int cur = pending.get();
        return cur == 0 ? null : VALUES[Integer.numberOfTrailingZeros(cur)];
    }

    void clear(UnitAttention ua) {
        pending.updateAndGet(cur -> cur & ~ua.bit());
    }

    boolean isEmpty() {
        return pending.get() == 0;
    }
}
