package io.jzram.core;

import io.jzram.core.mem.Page;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The background worker of {@link TieringPolicy}: one daemon thread that walks each device with
 * an active policy and recompresses or writes back its cold pages, within the policy's CPU budget.
 *
 * <h2>Budget and yielding</h2>
 * The work is done in slices of {@value #SLICE_PAGES} pages; after a slice that took {@code t}
 * of wall time, the worker sleeps {@code t * (1 - b) / b}, so that it is busy at most a share
 * {@code b} of the time. {@code b} is the policy's budget while the device is quiet and a
 * {@value #FOREGROUND_DIVISOR}th of it while foreground I/O is running (the device's request
 * counters moved since the last slice): the background work yields to the I/O it is there to
 * make room for. A walk that moves nothing waits {@link #IDLE_WAIT_MILLIS} before the next.
 *
 * <h2>How it ends</h2>
 * {@link #close()} stops the thread and waits for it. A device reset or removed during a slice
 * ends the slice (the slice is inside the generation's gate, so a reset waits for it, one slice at
 * most); a device that fails a slice (the backing device full or failing, writeback_limit
 * reached) is reported to the failure handler (the server logs it) and tried again on the next
 * walk. Nothing here ever throws into the I/O path.
 */
public final class TieringDaemon implements AutoCloseable {

    static final int SLICE_PAGES = 256;
    static final int FOREGROUND_DIVISOR = 20;
    static final long IDLE_WAIT_MILLIS = 1000;

    private final Supplier<List<ZramDevice>> devices;
    private final BiConsumer<ZramDevice, ZramException> failures;
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * Starts the worker over the devices {@code devices} returns at each walk; a slice that fails
     * is handed to {@code failures} (on the worker's thread) and the device is left until the next walk.
     */
    public TieringDaemon(Supplier<List<ZramDevice>> devices, BiConsumer<ZramDevice, ZramException> failures) {
        this.devices = devices;
        this.failures = failures;
        this.thread = Thread.ofPlatform().daemon().name("jzram-tiering").unstarted(this::run);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Starts the worker over every device of {@code registry}. */
    public static TieringDaemon over(ZramRegistry registry, BiConsumer<ZramDevice, ZramException> failures) {
        return new TieringDaemon(registry::devices, failures);
    }

    private void run() {
        while (!stopped) {
            boolean moved = false;
            for (ZramDevice device : devices.get()) {
                if (stopped) {
                    return;
                }
                moved |= walk(device);
            }
            if (!moved && !pause(IDLE_WAIT_MILLIS * 1_000_000L)) {
                return;
            }
        }
    }

    /** One walk over a device, slice by slice within its budget; whether it moved any page. */
    private boolean walk(ZramDevice device) {
        TieringPolicy policy = device.tieringPolicy();
        if (!policy.isActive() || !device.isInitialized()) {
            return false;
        }
        long pages = device.diskSize() / Page.SIZE;
        boolean moved = false;
        long lastIo = device.ioCounters().total();
        for (long from = 0; from < pages && !stopped; from += SLICE_PAGES) {
            long started = System.nanoTime();
            long done;
            try {
                done = device.tierSlice((int) from, (int) Math.min(pages, from + SLICE_PAGES), policy);
            } catch (ZramException e) {
                if (e.reason() == ZramException.Reason.NOT_INITIALIZED) {
                    return moved; // reset meanwhile
                }
                failures.accept(device, e);
                return moved;
            }
            moved |= done > 0;
            long took = System.nanoTime() - started;
            long io = device.ioCounters().total();
            double budget = io != lastIo ? policy.cpuBudget() / FOREGROUND_DIVISOR : policy.cpuBudget();
            lastIo = io;
            if (!pause((long) (took * (1 - budget) / budget))) {
                return moved;
            }
        }
        if (moved && !stopped) {
            long started = System.nanoTime();
            try {
                device.compact();
            } catch (ZramException e) {
                return moved; // reset meanwhile: nothing to compact
            }
            long took = System.nanoTime() - started;
            double budget = device.ioCounters().total() != lastIo ? policy.cpuBudget() / FOREGROUND_DIVISOR : policy.cpuBudget();
            pause((long) (took * (1 - budget) / budget));
        }
        return moved;
    }

    /** Sleeps; false when stopped. */
    private boolean pause(long nanos) {
        if (stopped) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops the worker and waits for it (a slice at most). */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
