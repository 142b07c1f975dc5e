package io.jzram.target.iscsi;

import io.jzram.core.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The target's task executor: every task runs at once on a virtual thread of its own, and a thread
 * whose task has ended waits for the next task instead of ending, so a busy target makes no new
 * threads. SCSI commands and task-management functions run here.
 *
 * <p>Why not a new virtual thread per task, as virtual threads are meant to be used: per SCSI
 * command that was about half of everything the target allocated (JFR allocation samples, random
 * 4 KiB I/O at QD32: the thread, its name, its continuation, the executor's bookkeeping, and the
 * stack chunk that its first yield or park allocates; about 0.9 KB of 1.9 KB), and at 80 000
 * commands a second it made a young-GC pause of 6–15 ms every 1.5 s. A reused thread keeps its
 * continuation and its stack chunk. Tasks still never wait for a thread (there is no queue): a task
 * that finds no idle thread gets a new one, so blocking in a task (the socket, a slot lock) blocks
 * nothing else, exactly as with a thread per task. Why not a {@code ThreadPoolExecutor} over a
 * {@code SynchronousQueue} with a virtual thread factory: its idle threads wait with a timeout,
 * and a timed park of a virtual thread goes through the JDK's timer thread (measured against this
 * class, random 4 KiB at QD32: 2.4–2.7x the context switches per command, 12 % (writes) and 31 %
 * (reads) more CPU per command).
 *
 * <p>States: RUNNING → {@link #shutdown()} → SHUTDOWN (new tasks are rejected, idle threads end,
 * busy ones end after their task) → the last thread ends → TERMINATED.
 *
 * <p>Invariants, all under {@link #lock}:
 * <ul>
 *   <li>A worker is on {@link #idle} only while its hand-over slot is empty and it waits (or is
 *       about to wait) for a task. {@link #execute} takes it off the stack before filling the slot,
 *       so no worker is ever handed two tasks, and every accepted task runs exactly once: on the
 *       idle worker it was handed to, or on a new thread.</li>
 *   <li>{@link #live} counts the threads started and not yet ended; TERMINATED is
 *       {@code shutdown && live == 0}.</li>
 *   <li>At most {@link #maxIdle} workers wait; one that finishes a task when that many already wait
 *       ends, so the threads kept are bounded by that, not by the largest burst ever seen.</li>
 * </ul>
 * Idle workers wait without a timeout and live until shutdown (a few KB each).
 */
final class TaskThreads extends AbstractExecutorService {
    /** Handed to a waiting worker to make it end. */
    private static final Runnable STOP = () -> { };

    private final ThreadFactory factory;
    private final int maxIdle;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the last thread ends after shutdown. */
    private final Condition terminated = lock.newCondition();
    /**
     * Workers waiting for a task, the most recently busy on top (its stack is the warmest).
     */
    @GuardedBy("lock")
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    @GuardedBy("lock")
    private boolean shutdown;
    /** Threads started and not yet ended. */
    @GuardedBy("lock")
    private int live;
    /** Every live worker's thread, for {@link #shutdownNow()}; changes only when a thread starts or ends. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /**
     * @param factory makes the (virtual) threads
     * @param maxIdle how many workers may wait for a task at once; more end after their task
     */
    TaskThreads(ThreadFactory factory, int maxIdle) {
        this.factory = Objects.requireNonNull(factory, "factory");
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle " + maxIdle);
        }
        this.maxIdle = maxIdle;
    }

    /**
     * Runs {@code task} now, on an idle worker or a new thread.
     *
     * @throws RejectedExecutionException after {@link #shutdown()}, or if no thread could be started
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        Worker w;
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("task executor shut down");
            }
            w = idle.pollFirst();
            if (w == null) {
                live++;
            }
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.handOver(task);
            return;
        }
        Worker fresh = new Worker(task);
        try {
            Thread t = factory.newThread(fresh);
            if (t == null) {
                throw new IllegalStateException("the thread factory made no thread");
            }
            fresh.thread = t;
            threads.add(t);
            t.start();
        } catch (RuntimeException | Error e) { // no thread: the task was not accepted, the count goes back
            threadEnded(fresh.thread);
            throw new RejectedExecutionException("could not start a task thread", e);
        }
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            Worker w;
            while ((w = idle.pollFirst()) != null) {
                w.handOver(STOP);
            }
            if (live == 0) {
                terminated.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@link #shutdown()}, and interrupts the tasks still running. There is no queue: returns an empty list. */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        for (Thread t : threads) {
            t.interrupt();
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return shutdown && live == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(shutdown && live == 0)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Threads started and not ended (busy or idle). */
    int liveThreads() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    /** Workers waiting for a task. */
    int idleThreads() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    private void threadEnded(Thread t) {
        if (t != null) {
            threads.remove(t);
        }
        lock.lock();
        try {
            live--;
            if (shutdown && live == 0) {
                terminated.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** One thread: runs its first task, then each task handed to it, until it is told to stop. */
    private final class Worker implements Runnable {
        /**
         * The next task: written by the one {@link #execute} that took this worker off
         * {@link #idle} (or by the constructor), read and cleared by the worker.
         */
        private volatile Runnable next;
        /** Set before the thread starts (so the worker sees it). */
        Thread thread;

        Worker(Runnable first) {
            this.next = first;
        }

        void handOver(Runnable task) {
            next = task;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            try {
                Runnable task = take();
                while (task != STOP) {
                    runTask(task);
                    task = awaitNext();
                }
            } finally {
                threadEnded(thread);
            }
        }

        /** Back on the idle stack, then waits for a task; STOP at once after shutdown or when enough wait. */
        private Runnable awaitNext() {
            lock.lock();
            try {
                if (shutdown || idle.size() >= maxIdle) {
                    return STOP;
                }
                idle.push(this);
            } finally {
                lock.unlock();
            }
            while (next == null) {
                LockSupport.park(this);
                Thread.interrupted(); // an interrupt meant for the last task must not make this a spin
            }
            return take();
        }

        private Runnable take() {
            Runnable task = next;
            next = null;
            return task;
        }

        /**
         * Runs one task. A task that throws ends there, reported to the thread's uncaught-exception
         * handler as a thread of its own would be; the worker goes on. An interrupt left over from
         * the task (shutdownNow) is cleared so it cannot reach the next one.
         */
        private void runTask(Runnable task) {
            try {
                task.run();
            } catch (Throwable e) {
                Thread self = Thread.currentThread();
                self.getUncaughtExceptionHandler().uncaughtException(self, e);
            }
            Thread.interrupted();
        }
    }
}
