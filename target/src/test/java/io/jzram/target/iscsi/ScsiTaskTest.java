package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.jzram.target.iscsi.ScsiTask.State;

/**
 * A task's life: every transition is taken from its own states only, exactly one thread ends a
 * task however its transitions race, and ending it runs its effects once however often it is
 * called.
 */
class ScsiTaskTest {
    private static final int ROUNDS = 100_000;

    private static ScsiTask task(int itt, boolean immediate) {
        return new ScsiTask(itt, 0, 0, new byte[16], 4096, false, true, immediate, 0);
    }

    /** A fresh task driven into {@code s} through the transitions. */
    private static ScsiTask taskIn(State s) {
        ScsiTask t = task(1, false);
        switch (s) {
            case RECEIVING -> { }
            case QUEUED -> assertThat(t.queue()).isTrue();
            case EXECUTING -> assertThat(t.queue() && t.startExecuting()).isTrue();
            case RESPONDING -> assertThat(t.queue() && t.startExecuting() && t.startResponding()).isTrue();
            case DONE -> assertThat(t.failDataPhase() && t.finishSending()).isTrue();
            case ABORTED -> assertThat(t.abort()).isEqualTo(State.RECEIVING);
        }
        assertThat(t.state()).isEqualTo(s);
        return t;
    }

    @Test
    void eachTransitionLeavesOnlyItsOwnStates() {
        for (State s : State.values()) {
            assertThat(taskIn(s).queue()).as("queue from %s", s).isEqualTo(s == State.RECEIVING);
            assertThat(taskIn(s).startExecuting()).as("startExecuting from %s", s).isEqualTo(s == State.QUEUED);
            assertThat(taskIn(s).startResponding()).as("startResponding from %s", s).isEqualTo(s == State.EXECUTING);
            assertThat(taskIn(s).failDataPhase()).as("failDataPhase from %s", s).isEqualTo(s == State.RECEIVING);
            assertThat(taskIn(s).finishSending()).as("finishSending from %s", s).isEqualTo(s == State.RESPONDING);
            boolean abortable = s == State.RECEIVING || s == State.QUEUED || s == State.EXECUTING;
            ScsiTask t = taskIn(s);
            assertThat(t.abort()).as("abort from %s", s).isEqualTo(abortable ? s : null);
            assertThat(t.state()).isEqualTo(abortable ? State.ABORTED : s);
        }
        for (State s : State.values()) {
            assertThat(s.terminal()).isEqualTo(s == State.DONE || s == State.ABORTED);
        }
    }

    /**
     * The executor's path (queue, startExecuting, startResponding, finishSending), a failing data
     * phase (failDataPhase, finishSending) and two aborters race on one task, thousands of times.
     * Each actor follows the ownership rules of ScsiTask's class comment; in every round exactly
     * one of them may end the task, and the state it ends in matches the winner.
     */
    @Test
    void abortRacingTheOtherTransitionsLeavesExactlyOneOwnerOfTheEnd() throws Exception {
        AtomicReference<ScsiTask> current = new AtomicReference<>();
        AtomicInteger owners = new AtomicInteger();
        AtomicInteger abortWins = new AtomicInteger();
        AtomicInteger doneWins = new AtomicInteger();
        Runnable executorPath = () -> {
            ScsiTask t = current.get();
            if (t.queue() && t.startExecuting()) {
                if (t.startResponding()) {
                    if (t.finishSending()) {
                        doneWins.incrementAndGet();
                        owners.incrementAndGet();
                    }
                } else {
                    owners.incrementAndGet(); // aborted while executing: the executor ends it
                }
            }
        };
        Runnable dataPhaseError = () -> {
            ScsiTask t = current.get();
            if (t.failDataPhase()) {
                if (t.finishSending()) {
                    doneWins.incrementAndGet();
                }
                owners.incrementAndGet();
            }
        };
        Runnable aborter = () -> {
            State from = current.get().abort();
            if (from != null) {
                abortWins.incrementAndGet();
                if (from == State.RECEIVING || from == State.QUEUED) {
                    owners.incrementAndGet();
                }
            }
        };
        race(ROUNDS, () -> {
            owners.set(0);
            abortWins.set(0);
            doneWins.set(0);
            current.set(task(7, false));
        }, round -> {
            ScsiTask t = current.get();
            assertThat(owners.get()).as("round %d: threads that end %s", round, t).isEqualTo(1);
            assertThat(abortWins.get() + doneWins.get()).as("round %d: terminal winners of %s", round, t).isEqualTo(1);
            assertThat(t.state()).isEqualTo(abortWins.get() == 1 ? State.ABORTED : State.DONE);
        }, executorPath, dataPhaseError, aborter, aborter);
    }

    /**
     * Ending a task from several threads at once (finish, and leave as the status path calls it):
     * the window slot is freed once, the task is out of the table, done is complete and its buffer
     * goes back to the pool once (twice would hand it to two later commands).
     */
    @Test
    void finishRunsItsEffectsOnceWhenCalledFromRacingThreads() throws Exception {
        IscsiSession s = new IscsiSession(1, 1, new byte[6], null, null, 4, 0, null);
        AtomicReference<ScsiTask> current = new AtomicReference<>();
        BufferPool pool = new BufferPool(1 << 20);
        ByteBuffer buffer = pool.acquire(4096);
        pool.release(buffer); // from here on every acquire(4096) gets this one back, if it is in the pool
        AtomicInteger cmdSn = new AtomicInteger();
        Runnable finisher = () -> s.finish(current.get(), pool);
        Runnable leaver = () -> s.leave(current.get());
        Runnable setUp = () -> {
            assertThat(s.acceptNonImmediate(cmdSn.getAndIncrement(), true)).isTrue();
            ScsiTask t = task(9, false);
            assertThat(s.tasks.putIfAbsent(t.itt, t)).isNull();
            t.writeData = pool.acquire(t.edtl);
            assertThat(t.writeData).isSameAs(buffer);
            assertThat(pool.retainedBytes()).isZero();
            assertThat(t.abort()).isEqualTo(State.RECEIVING);
            current.set(t);
        };
        RoundCheck once = round -> {
            ScsiTask t = current.get();
            assertThat(s.activeTasks()).as("round %d: window slots in use", round).isZero();
            assertThat(s.tasks).as("round %d: task table", round).isEmpty();
            assertThat(t.done).as("round %d", round).isDone();
            assertThat(t.writeData).isNull();
            assertThat(pool.retainedBytes()).as("round %d: the task's buffer is back in the pool once", round)
                    .isEqualTo(buffer.capacity());
        };
        race(ROUNDS, setUp, once, finisher, finisher); // two threads: both cores of a small machine
        race(ROUNDS / 10, setUp, once, finisher, leaver, finisher); // the status path's leave, racing too
    }

    @Test
    void endingTwiceInARowFreesOneWindowSlot() {
        IscsiSession s = new IscsiSession(1, 1, new byte[6], null, null, 4, 0, null);
        assertThat(s.acceptNonImmediate(0, true)).isTrue();
        assertThat(s.acceptNonImmediate(1, true)).isTrue();
        ScsiTask t = task(3, false);
        s.tasks.put(t.itt, t);
        assertThat(t.queue() && t.startExecuting() && t.startResponding()).isTrue();
        s.leave(t); // before the status
        s.leave(t);
        assertThat(t.finishSending()).isTrue();
        BufferPool pool = new BufferPool(1 << 20);
        s.finish(t, pool);
        s.finish(t, pool);
        assertThat(s.activeTasks()).as("the other task still holds its slot").isOne();
        assertThat(s.maxCmdSn()).isEqualTo(2 - 1 + 4 - 1);
        assertThat(t.done).isDone();
    }

    @Test
    void aTaskEndedWithoutEnteringTheTableLeavesTheHolderOfItsIttAlone() {
        IscsiSession s = new IscsiSession(1, 1, new byte[6], null, null, 4, 0, null);
        ScsiTask holder = task(5, true);
        ScsiTask duplicate = task(5, true);
        s.tasks.put(holder.itt, holder);
        duplicate.abort();
        s.finish(duplicate, new BufferPool(1 << 20));
        assertThat(s.tasks).containsEntry(5, holder);
        assertThat(s.activeTasks()).as("immediate tasks take no window slot").isZero();
        assertThat(duplicate.done).isDone();
    }

    // ---------------------------------------------------------------- racing

    private interface RoundCheck {
        void check(int round);
    }

    /**
     * Runs {@code rounds} rounds: {@code setUp} on this thread, then every actor on its own thread,
     * then {@code check} on this thread once all are through. The actors spin on a round counter
     * rather than wait on a barrier, so they start a round within nanoseconds of each other (a
     * barrier wakes them one after the other, slower than most races here take).
     */
    private static void race(int rounds, Runnable setUp, RoundCheck check, Runnable... actors) throws Exception {
        AtomicInteger released = new AtomicInteger();
        AtomicInteger through = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger stop = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (Runnable actor : actors) {
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                for (int round = 1; round <= rounds; round++) {
                    for (int spins = 0; released.get() < round; spins++) {
                        if (stop.get() != 0) {
                            return;
                        }
                        if ((spins & 0xff) == 0xff) {
                            Thread.yield(); // more threads than cores: let the others get there
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                    try {
                        actor.run();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                    through.incrementAndGet();
                }
            }));
        }
        try {
            for (int round = 1; round <= rounds; round++) {
                setUp.run();
                through.set(0);
                released.set(round);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (through.get() < actors.length) {
                    assertThat(System.nanoTime() - deadline).as("round %d: actors stuck", round).isNegative();
                    Thread.yield();
                }
                assertThat(failure.get()).as("an actor failed").isNull();
                check.check(round);
            }
        } finally {
            stop.set(1);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }
}
