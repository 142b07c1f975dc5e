package io.jzram.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.IoGateMutants.Gate;
import io.jzram.core.IoGateMutants.Kind;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protocol of {@link IoGate}, one rule per test. Threads are real; every wait is bounded, so a
 * broken gate fails a test instead of hanging the build. "Not yet returned" is checked only after
 * the waiting thread is seen parked inside {@code close}, so the timing assertions cannot fail
 * spuriously on a slow machine (they can at worst pass without proving much).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class IoGateTest {

    /** Generous: only reached if the gate is broken. */
    private static final long BOUND_SECONDS = 5;

    private final IoGate gate = new IoGate();

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    @Nested
    @DisplayName("open")
    class Open {

        @Test
        void startsOpen_tryEnterSucceeds() {
            assertThat(gate.isClosed()).isFalse();
            assertThat(gate.isDrained()).isFalse();
            assertThat(gate.inFlight()).isZero();

            assertThat(gate.tryEnter()).isTrue();
            assertThat(gate.inFlight()).isOne();
        }

        @Test
        void exitBalancesEnter_andTheGateStaysOpen() {
            assertThat(gate.tryEnter()).isTrue();
            gate.exit();

            assertThat(gate.inFlight()).isZero();
            assertThat(gate.isDrained()).isFalse();
            assertThat(gate.isClosed()).isFalse();
            assertThat(gate.tryEnter()).isTrue();
            gate.exit();
        }

        @Test
        void inFlightCountsEnteredIo() {
            for (int i = 1; i <= 3; i++) {
                assertThat(gate.tryEnter()).isTrue();
                assertThat(gate.inFlight()).isEqualTo(i);
            }
            gate.exit();
            assertThat(gate.inFlight()).isEqualTo(2);
        }

        @Test
        void inFlightCountsIoFromManyThreads() throws Exception {
            int threads = 4;
            int perThread = 10_000;
            CountDownLatch start = new CountDownLatch(1);
            @SuppressWarnings("unchecked")
            Async<Void>[] workers = new Async[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = Async.start("io-" + t, () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        assertThat(gate.tryEnter()).isTrue();
                        gate.exit();
                    }
                    return null;
                });
            }
            start.countDown();
            for (Async<Void> w : workers) {
                w.get();
            }
            assertThat(gate.inFlight()).isZero();
            assertThat(gate.close(0, TimeUnit.SECONDS)).as("nothing in flight: drained at once").isTrue();
        }
    }

    @Nested
    @DisplayName("close")
    class Close {

        @Test
        void withNothingInFlight_drainsAtOnce() throws Exception {
            assertThat(gate.close(0, TimeUnit.NANOSECONDS)).isTrue();

            assertThat(gate.isClosed()).isTrue();
            assertThat(gate.isDrained()).isTrue();
            assertThat(gate.inFlight()).isZero();
        }

        @Test
        void waitingForeverWithNothingInFlight_returnsAtOnce() throws Exception {
            // Long.MAX_VALUE days saturates to Long.MAX_VALUE ns: the untimed wait.
            assertThat(Async.start("reset", () -> gate.close(Long.MAX_VALUE, TimeUnit.DAYS)).get()).isTrue();
        }

        @Test
        void afterDrain_tryEnterFailsForever() throws Exception {
            assertThat(gate.close(0, TimeUnit.SECONDS)).isTrue();

            for (int i = 0; i < 1_000; i++) {
                assertThat(gate.tryEnter()).isFalse();
            }
            assertThat(Async.start("late-io", gate::tryEnter).get()).isFalse();
            assertThat(gate.isDrained()).as("a refused tryEnter leaves no trace").isTrue();
            assertThat(gate.inFlight()).isZero();
            assertThat(gate.close(0, TimeUnit.SECONDS)).as("closing again is harmless").isTrue();
        }

        @Test
        void waitsForInFlightIo_andTheLastExitReleasesIt() throws Exception {
            assertThat(gate.tryEnter()).isTrue(); // I/O 1
            assertThat(gate.tryEnter()).isTrue(); // I/O 2
            Async<Boolean> reset = Async.start("reset", () -> gate.close(BOUND_SECONDS, TimeUnit.SECONDS));
            reset.awaitParked();

            gate.exit(); // I/O 1 leaves: one still inside
            assertThat(reset.isDone()).isFalse();
            assertThat(gate.isClosed()).isTrue();
            assertThat(gate.isDrained()).isFalse();
            assertThat(gate.inFlight()).isOne();

            gate.exit(); // the last one out releases the reset
            assertThat(reset.get()).isTrue();
            assertThat(gate.isDrained()).isTrue();
            assertThat(gate.tryEnter()).isFalse();
        }

        @Test
        void waitsForIoOnOtherThreads_untimed() throws Exception {
            CountDownLatch entered = new CountDownLatch(2);
            CountDownLatch leave = new CountDownLatch(1);
            Async<?>[] io = new Async<?>[2];
            for (int i = 0; i < io.length; i++) {
                io[i] = Async.start("io-" + i, () -> {
                    assertThat(gate.tryEnter()).isTrue();
                    try {
                        entered.countDown();
                        leave.await();
                    } finally {
                        gate.exit();
                    }
                    return null;
                });
            }
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            Async<Boolean> reset = Async.start("reset", () -> gate.close(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            reset.awaitParked();
            assertThat(gate.inFlight()).isEqualTo(2);

            leave.countDown();
            for (Async<?> a : io) {
                a.get();
            }
            assertThat(reset.get()).isTrue();
            assertThat(gate.isDrained()).isTrue();
        }

        /** Documented: new I/O is refused only once in-flight I/O reaches zero, not from close on. */
        @Test
        void whileDraining_newIoStillEnters_untilTheCountReachesZero() throws Exception {
            assertThat(gate.tryEnter()).isTrue();
            assertThat(gate.close(0, TimeUnit.SECONDS)).isFalse();

            assertThat(gate.tryEnter()).as("draining, count > 0").isTrue();
            assertThat(gate.inFlight()).isEqualTo(2);
            gate.exit();
            gate.exit();
            assertThat(gate.isDrained()).isTrue();
            assertThat(gate.tryEnter()).isFalse();
        }

        @Test
        void timeoutWithIoInside_returnsFalse_ownerStaysDropped_andASecondCloseContinues() throws Exception {
            assertThat(gate.tryEnter()).isTrue();

            assertThat(gate.close(20, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(gate.isClosed()).isTrue();
            assertThat(gate.isDrained()).isFalse();
            assertThat(gate.inFlight()).isOne();

            // A second close does not drop the owner reference again: the I/O is still counted.
            assertThat(gate.close(-1, TimeUnit.SECONDS)).as("non-positive timeout: no wait").isFalse();
            assertThat(gate.inFlight()).isOne();
            assertThat(gate.isDrained()).isFalse();

            Async<Boolean> retry = Async.start("reset-retry", () -> gate.close(BOUND_SECONDS, TimeUnit.SECONDS));
            retry.awaitParked();
            gate.exit();
            assertThat(retry.get()).isTrue();
            assertThat(gate.isDrained()).isTrue();
        }

        @Test
        void interruptedWhileWaiting_throws_andTheOwnerReferenceStaysDropped() throws Exception {
            assertThat(gate.tryEnter()).isTrue();
            Async<Boolean> reset = Async.start("reset", () -> gate.close(BOUND_SECONDS, TimeUnit.SECONDS));
            reset.awaitParked();

            reset.thread.interrupt();
            assertThatThrownBy(reset::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InterruptedException.class);

            assertThat(gate.isClosed()).isTrue();
            assertThat(gate.inFlight()).isOne();
            gate.exit();
            assertThat(gate.isDrained()).as("the last exit drains without another close").isTrue();
            assertThat(gate.close(0, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void alreadyInterrupted_throws_andTheOwnerReferenceStaysDropped() {
            assertThat(gate.tryEnter()).isTrue();
            Thread.currentThread().interrupt();

            assertThatThrownBy(() -> gate.close(BOUND_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the flag is consumed").isFalse();
            assertThat(gate.isClosed()).isTrue();
            assertThat(gate.inFlight()).isOne();
            gate.exit();
            assertThat(gate.isDrained()).isTrue();
        }

        @Test
        void interruptedWithNothingInFlight_stillDrains() {
            Thread.currentThread().interrupt();
            boolean returned;
            try {
                returned = gate.close(BOUND_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                returned = true; // CountDownLatch.await checks the flag first; the drain happened anyway
            }
            assertThat(returned).isTrue();
            assertThat(gate.isDrained()).isTrue();
            assertThat(gate.tryEnter()).isFalse();
        }

        @Test
        void calledTwice_dropsTheOwnerReferenceOnlyOnce() throws Exception {
            assertThat(gate.tryEnter()).isTrue();

            assertThat(gate.close(0, TimeUnit.SECONDS)).isFalse();
            assertThat(gate.close(0, TimeUnit.SECONDS)).isFalse();
            assertThat(gate.inFlight()).as("the I/O still holds its reference").isOne();
            assertThat(gate.isDrained()).isFalse();

            gate.exit();
            assertThat(gate.isDrained()).isTrue();
            assertThat(gate.close(0, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void idleGate_closedTwice_doesNotUnderflow() throws Exception {
            assertThat(gate.close(0, TimeUnit.SECONDS)).isTrue();
            assertThat(gate.close(0, TimeUnit.SECONDS)).isTrue();
            assertThat(gate.isDrained()).isTrue();
            assertThat(gate.inFlight()).isZero();
        }

        @Test
        void concurrentCloses_dropTheOwnerReferenceOnce_andAllAreReleased() throws Exception {
            assertThat(gate.tryEnter()).isTrue();
            @SuppressWarnings("unchecked")
            Async<Boolean>[] resets = new Async[3];
            for (int i = 0; i < resets.length; i++) {
                resets[i] = Async.start("reset-" + i, () -> gate.close(BOUND_SECONDS, TimeUnit.SECONDS));
            }
            for (Async<Boolean> r : resets) {
                r.awaitParked();
            }
            assertThat(gate.inFlight()).isOne();

            gate.exit();
            for (Async<Boolean> r : resets) {
                assertThat(r.get()).isTrue();
            }
            assertThat(gate.isDrained()).isTrue();
        }
    }

    @Nested
    @DisplayName("misuse")
    class Misuse {

        @Test
        void exitOnADrainedGate_throwsIllegalStateException() throws Exception {
            assertThat(gate.close(0, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(gate::exit).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void extraExitWhileDraining_throwsIllegalStateException() throws Exception {
            assertThat(gate.tryEnter()).isTrue();
            assertThat(gate.close(0, TimeUnit.SECONDS)).isFalse();
            gate.exit();

            assertThatThrownBy(gate::exit).isInstanceOf(IllegalStateException.class);
        }

        /**
         * An unmatched exit() on an open gate must not take the owner's reference: that would
         * silently drain the live generation (every later I/O refused) and make the next reset's
         * close() drive the count negative.
         */
        @Test
        void exitWithoutEnterOnAnOpenGate_throwsIllegalStateException_andLeavesTheGateOpen() {
            assertThatThrownBy(gate::exit).isInstanceOf(IllegalStateException.class);

            assertThat(gate.isDrained()).isFalse();
            assertThat(gate.tryEnter()).isTrue();
            gate.exit();
        }

        @Test
        void exitWithoutEnterAfterBalancedIo_throwsIllegalStateException() {
            assertThat(gate.tryEnter()).isTrue();
            gate.exit();

            assertThatThrownBy(gate::exit).isInstanceOf(IllegalStateException.class);
            assertThat(gate.isDrained()).isFalse();
        }
    }

    /** The two historical bugs break this specification too (the model checker finds them unaided). */
    @Nested
    @DisplayName("historical bugs")
    class HistoricalBugs {

        @Test
        void noWakeup_theLastExitDoesNotReleaseTheWaitingClose() throws Exception {
            Gate mutant = Kind.NO_WAKEUP.newGate();
            assertThat(mutant.tryEnter()).isTrue();
            Async<Boolean> reset = Async.start("reset", () -> mutant.close(300, TimeUnit.MILLISECONDS));
            reset.awaitParked();

            mutant.exit();
            assertThat(mutant.isDrained()).isTrue();
            assertThat(reset.get()).as("the reset slept through the drain until its timeout").isFalse();
        }

        @Test
        void startsAtZero_refusesIoOnAPublishedGenerationNoOneReset() {
            Gate mutant = Kind.STARTS_AT_ZERO.newGate();
            // Published but init() not yet run: the real gate is open at this point.
            assertThat(mutant.tryEnter()).isFalse();
            assertThat(mutant.isClosed()).isFalse();
            assertThat(Kind.REAL.newGate().tryEnter()).isTrue();
        }
    }

    // ---- helper -----------------------------------------------------------------------------------

    /** A task on its own platform thread, with bounded waits on its outcome. */
    private static final class Async<T> {
        final Thread thread;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        private Async(String name, Callable<T> task) {
            thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
                try {
                    result.complete(task.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        }

        static <T> Async<T> start(String name, Callable<T> task) {
            Async<T> a = new Async<>(name, task);
            a.thread.start();
            return a;
        }

        T get() throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }

        boolean isDone() {
            return result.isDone();
        }

        /** Waits (bounded) until the thread is parked, i.e. blocked inside the gate's wait. */
        void awaitParked() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            while (true) {
                Thread.State s = thread.getState();
                if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                    return;
                }
                if (result.isDone()) {
                    throw new AssertionError(thread.getName() + " finished instead of waiting: " + result);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(thread.getName() + " never blocked; state " + s);
                }
                Thread.sleep(1);
            }
        }
    }
}
