package io.jzram.target.iscsi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts the server's per-connection threads (virtual) and remembers them until they end, so that
 * {@link IscsiServer#stop()} can join every one and tests can check that none is left.
 * Thread-safe: the live set is a concurrent set; each thread removes itself when it ends.
 */
final class TrackedThreads {
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    /** An unstarted virtual thread that deregisters itself when {@code body} returns. */
    Thread newThread(Runnable body, String name) {
        Thread[] self = new Thread[1];
        Thread t = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                body.run();
            } finally {
                live.remove(self[0]);
            }
        });
        self[0] = t;
        live.add(t);
        return t;
    }

    int liveCount() {
        live.removeIf(t -> t.getState() == Thread.State.TERMINATED);
        return live.size();
    }

    /** Joins all threads; returns false if some still run after {@code millis}. */
    boolean joinAll(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread t : live.toArray(Thread[]::new)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (t.getState() != Thread.State.NEW && left > 0) {
                t.join(left);
            }
        }
        return liveCount() == 0;
    }
}
