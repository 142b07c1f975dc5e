package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The target's task executor: every task runs at once, exactly once, on a reused virtual thread. */
class TaskThreadsTest {
    private final List<Throwable> uncaught = new ArrayList<>();
    private TaskThreads threads = newThreads(16);

    private TaskThreads newThreads(int maxIdle) {
        return new TaskThreads(Thread.ofVirtual().name("test-task-", 0)
                .uncaughtExceptionHandler((t, e) -> {
                    synchronized (uncaught) {
                        uncaught.add(e);
                    }
                }).factory(), maxIdle);
    }

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskRunsOnAVirtualThread() throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        threads.execute(() -> {
            ran.set(Thread.currentThread());
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get().isVirtual()).isTrue();
    }

    @Test
    void tasksOneAfterTheOtherShareOneThread() throws Exception {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 100; i++) {
            CountDownLatch done = new CountDownLatch(1);
            threads.execute(() -> {
                seen.add(Thread.currentThread());
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            awaitIdle(1);
        }
        assertThat(seen).hasSize(1);
        assertThat(threads.liveThreads()).isEqualTo(1);
    }

    @Test
    void aTaskNeverWaitsForABusyThread() throws Exception {
        // 50 tasks that all block until the last one has started: only possible if each got a thread at once
        CountDownLatch finished = rendezvous(50);
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        awaitLive(16); // then all but maxIdle of them end
    }

    @Test
    void noMoreThanMaxIdleThreadsWait() throws Exception {
        threads = newThreads(3);
        assertThat(rendezvous(10).await(10, TimeUnit.SECONDS)).isTrue();
        awaitLive(3);
        assertThat(threads.idleThreads()).isEqualTo(3);
    }

    /** Starts {@code n} tasks that each wait until all have started; the latch counts those that finished. */
    private CountDownLatch rendezvous(int n) {
        CountDownLatch allStarted = new CountDownLatch(n);
        CountDownLatch finished = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            threads.execute(() -> {
                allStarted.countDown();
                awaitUninterrupted(allStarted);
                finished.countDown();
            });
        }
        return finished;
    }

    /** Waits for the latch inside a task; an interrupt (shutdownNow at the end of a test) ends the wait. */
    private static void awaitUninterrupted(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aThrowingTaskIsReportedAndItsThreadGoesOn() throws Exception {
        CountDownLatch thrown = new CountDownLatch(1);
        threads.execute(() -> {
            thrown.countDown();
            throw new IllegalStateException("boom");
        });
        assertThat(thrown.await(10, TimeUnit.SECONDS)).isTrue();
        awaitIdle(1);
        CountDownLatch next = new CountDownLatch(1);
        threads.execute(next::countDown);
        assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
        synchronized (uncaught) {
            assertThat(uncaught).singleElement().satisfies(e -> assertThat(e).hasMessage("boom"));
        }
        assertThat(threads.liveThreads()).isEqualTo(1);
    }

    @Test
    void anInterruptLeftByATaskDoesNotReachTheNext() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        threads.execute(() -> {
            Thread.currentThread().interrupt();
            first.countDown();
        });
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        awaitIdle(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        CountDownLatch second = new CountDownLatch(1);
        threads.execute(() -> {
            interrupted.set(Thread.currentThread().isInterrupted());
            second.countDown();
        });
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted.get()).isFalse();
        assertThat(threads.liveThreads()).isEqualTo(1);
    }

    @Test
    void shutdownRejectsNewTasksLetsRunningOnesFinishAndEndsIdleThreads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        threads.execute(() -> { }); // leaves an idle thread
        awaitIdle(1);
        threads.execute(() -> { // takes the idle thread
            started.countDown();
            awaitUninterrupted(release);
            finished.incrementAndGet();
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        threads.execute(() -> { }); // a second thread, idle again at once
        awaitIdle(1);

        threads.shutdown();
        assertThatThrownBy(() -> threads.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(threads.isShutdown()).isTrue();
        assertThat(threads.awaitTermination(100, TimeUnit.MILLISECONDS)).isFalse(); // one task still runs
        awaitLive(1); // the idle thread ended
        release.countDown();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.isTerminated()).isTrue();
        assertThat(finished).hasValue(1);
    }

    @Test
    void shutdownNowInterruptsRunningTasks() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>(false);
        threads.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.shutdownNow()).isEmpty();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted.get()).isTrue();
    }

    /**
     * Stress: four submitters execute 20 000 tasks in bursts while workers finish, go idle and are
     * handed tasks concurrently; some tasks block briefly. Every task runs exactly once, and
     * afterwards no more threads live than ever ran at once plus those kept idle.
     */
    @Test
    void underConcurrentSubmissionEveryTaskRunsExactlyOnce() throws Exception {
        int submitters = 4;
        int perSubmitter = 5_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(submitters * perSubmitter);
        CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
        List<Thread> feeders = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int base = s * perSubmitter;
            feeders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    int id = base + i;
                    threads.execute(() -> {
                        runs.incrementAndGet(id);
                        if (id % 7 == 0) {
                            Thread.yield();
                        }
                        if (id % 97 == 0) {
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        done.countDown();
                    });
                }
            }));
        }
        for (Thread f : feeders) {
            f.join();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.liveThreads() != threads.idleThreads()) { // every thread is back, waiting or ended
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
        assertThat(threads.idleThreads()).isLessThanOrEqualTo(16);
        synchronized (uncaught) {
            assertThat(uncaught).isEmpty();
        }
    }

    private void awaitIdle(int n) throws InterruptedException {
        awaitCount("idle threads", threads::idleThreads, n);
    }

    private void awaitLive(int n) throws InterruptedException {
        awaitCount("live threads", threads::liveThreads, n);
    }

    private static void awaitCount(String what, IntSupplier count, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsInt() != n) {
            assertThat(System.nanoTime()).as("%s %d, expected %d", what, count.getAsInt(), n).isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
