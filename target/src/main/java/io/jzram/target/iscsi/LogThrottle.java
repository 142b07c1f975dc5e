package io.jzram.target.iscsi;

import io.jzram.core.concurrent.GuardedBy;
import java.util.function.LongSupplier;

/**
 * Bounds how often one kind of event is logged at its level, so that a client in a loop (a flood
 * of malformed connections, refused connections, failed logins) cannot flood the log: at most
 * {@code burst} events per {@code windowNanos} pass; the others are counted, and the next event
 * that passes carries the count ("N more not logged"), so nothing goes unreported, only unrepeated.
 * Suppressed events are still logged at debug level by the caller.
 */
final class LogThrottle {
    private final int burst;
    private final long windowNanos;
    private final LongSupplier clock;

    @GuardedBy("this")
    private long windowStart;
    @GuardedBy("this")
    private int passed;
    @GuardedBy("this")
    private long suppressed;

    LogThrottle(int burst, long windowNanos) {
        this(burst, windowNanos, System::nanoTime);
    }

    LogThrottle(int burst, long windowNanos, LongSupplier clock) {
        if (burst < 1 || windowNanos <= 0) {
            throw new IllegalArgumentException("burst " + burst + ", window " + windowNanos);
        }
        this.burst = burst;
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /**
     * One event. Returns -1 when it is to be suppressed (the caller logs it at debug level only),
     * else how many events were suppressed since the last one that passed (the caller says so).
     */
    synchronized long admit() {
        long now = clock.getAsLong();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            passed = 0;
        }
        if (passed >= burst) {
            suppressed++;
            return -1;
        }
        passed++;
        long s = suppressed;
        suppressed = 0;
        return s;
    }

    /** " (N more not logged)" for a count from {@link #admit}, or "" for 0. */
    static String more(long suppressed) {
        return suppressed > 0 ? " (" + suppressed + " more like it not logged)" : "";
    }
}
