package io.jzram.target.iscsi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One SCSI command (an iSCSI task) from its SCSI Command PDU to its status: its state machine,
 * its data-out bookkeeping and the once-only flags of its end.
 *
 * <h2>States</h2>
 * {@link #state()} is written only by the transition methods below, each a CAS from the state(s)
 * it may come from; each returns whether it won, and only the winner acts on the new state. So
 * two threads can never both believe they moved the same task, and nothing outside this class
 * writes the state.
 * <pre>
 *           queue()           startExecuting()          startResponding()           finishSending()
 * RECEIVING --------> QUEUED -----------------> EXECUTING -----------------> RESPONDING ---------------> DONE
 *   |  |   all data in  |    an executor thread    |    the command set       ^    status sent (or the
 *   |  |                |    picks it up           |    returned              |    send failed)
 *   |  +----------------|--------------------------|--------------------------+
 *   |   failDataPhase(): command refused, or a Data-Out that does not fit
 *   |                   |                          |
 *   | abort()           | abort()                  | abort()
 *   +-------------------+--------------------------+-------------> ABORTED
 * </pre>
 * A task without data-out goes to QUEUED straight from its command PDU. ABORTED and DONE are
 * terminal: no transition leaves them. RESPONDING cannot be aborted: its status is already being
 * built or sent, so it completes normally.
 *
 * <h2>Who ends the task</h2>
 * The winner of a transition owns the task until the next one, and whoever owns it when it
 * reaches ABORTED or DONE ends it, once, through {@link IscsiSession#finish} (remove it from the
 * task table, free its command-window slot, release its buffers, complete {@link #done}):
 * <ul>
 * <li>{@code abort()} from RECEIVING or QUEUED: the caller (the reader thread) ends it at once; the
 *     executor thread, if one was already handed the task, loses {@code startExecuting()} and
 *     leaves it alone.
 * <li>{@code abort()} from EXECUTING: the executor thread ends it when the command set returns (it
 *     loses {@code startResponding()} and sends no status); the aborter only waits for {@link #done}.
 * <li>{@code failDataPhase()}: the reader thread sends CHECK CONDITION (or Target Failure), then
 *     {@code finishSending()} and ends it.
 * <li>{@code startResponding()}: the executor thread sends the data and status, then
 *     {@code finishSending()} and ends it.
 * </ul>
 * A task that sends a status must leave the session <em>before</em> the status goes out (the
 * initiator may reuse the ITT as soon as it sees the status, and the status should carry the
 * freed window slot in MaxCmdSN), while its buffers and {@link #done} must outlive the send (the
 * Data-In is sent from the read buffer; an ABORT TASK waits for {@code done} so that its response
 * follows the status). So the end has two steps: {@link IscsiSession#leave} (table and window
 * slot) runs while RESPONDING, right before the send, and {@link IscsiSession#finish} runs after
 * the terminal transition and does whatever of {@code leave} has not run yet plus the rest.
 * Each step runs its effects at most once ({@link #markLeft}, {@link #markFinished}), whoever calls
 * it and however often: a second run would free a window slot twice (MaxCmdSN would run ahead of
 * the window) or put a buffer twice into the pool (two later commands would share it).
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>At most one thread owns a task at a time, and exactly one owner ends it: the state machine
 *     makes the owner unique, the once-flags make a second end a no-op even if it was not.
 * <li>{@link IscsiSession#finish} runs only on a task in ABORTED or DONE (asserted).
 * <li>A task aborted before or during execution never sends a status; a task already RESPONDING
 *     always does (or its connection is gone). An ABORT TASK answers "function complete" only if
 *     its {@code abort()} won (the state ends ABORTED); otherwise it waits for {@link #done} and
 *     answers "task does not exist", after the task's status.
 * <li>A task in the session's table is not yet {@linkplain #markLeft left}; once left, the
 *     ITT belongs to the initiator again.
 * </ul>
 *
 * <h2>Threads</h2>
 * Transitions out of RECEIVING and QUEUED happen on the connection's reader thread (which reads
 * Data-Out, sends R2Ts and handles task management and teardown), except {@code startExecuting()},
 * which an executor thread tries and loses against an abort. Transitions out of EXECUTING and
 * RESPONDING happen on the executor thread, except {@code abort()} of an EXECUTING task. The
 * data-out fields are confined to the reader thread until the QUEUED hand-off, which happens-before
 * the executor's run via the executor's submission; after it only the owner touches
 * {@link #writeData}.
 */
final class ScsiTask {
    /** See the class comment for the transitions between them. */
    enum State {
        /** Collecting write data (immediate, unsolicited, answers to R2Ts). Reader thread owns it. */
        RECEIVING,
        /** Handed to the executor, not yet picked up. Reader thread may still abort it. */
        QUEUED,
        /** The command set runs it on an executor thread, which owns it. */
        EXECUTING,
        /** Its status is being built and sent; cannot be aborted any more. */
        RESPONDING,
        /** Terminal: status sent (or the send failed and the connection is going away). */
        DONE,
        /** Terminal: aborted, no status is or will be sent. */
        ABORTED;

        boolean terminal() {
            return this == DONE || this == ABORTED;
        }
    }

    final int itt;
    final long lun;
    final long rawLun;
    final byte[] cdb;
    final int edtl;
    final boolean read;
    final boolean write;
    final boolean immediate;
    final int cmdSn;

    /** Written only by the transition methods (CAS); read by any thread. */
    private final AtomicReference<State> state = new AtomicReference<>(State.RECEIVING);
    /**
     * Completes when the task has ended ({@link IscsiSession#finish}: status sent, or aborted and
     * cleaned up). Completed only by finish; waited for by task management, logout and teardown.
     */
    final CompletableFuture<Void> done = new CompletableFuture<>();

    /** {@link #ended} bit: {@link IscsiSession#leave} has run (task table, window slot). */
    private static final int LEFT = 1;
    /** {@link #ended} bit: {@link IscsiSession#finish} has run (buffers, done). */
    private static final int FINISHED = 2;
    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(ScsiTask.class, "ended", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Which steps of the end have run (LEFT, FINISHED bits), set only by atomic bitwise-or through
     * {@link #ENDED}: a field rather than an AtomicInteger, so no extra object per command.
     */
    @SuppressWarnings("unused") // through ENDED
    private volatile int ended;

    /** One outstanding R2T: the initiator owes {@code length} bytes from {@code offset}. Reader thread only. */
    static final class R2t {
        final int ttt;
        final int offset;
        final int length;
        int received;
        int nextDataSn;

        R2t(int ttt, int offset, int length) {
            this.ttt = ttt;
            this.offset = offset;
            this.length = length;
        }
    }

    // Data-out state: reader thread only, until the QUEUED hand-off (see the class comment)
    /**
     * Pooled buffer of edtl bytes collecting the write data (null without data-out). Reader thread
     * until the task is QUEUED; then whoever owns the task (the executor thread once it wins
     * startExecuting(), the reader thread if it wins abort() from QUEUED); released by
     * {@link IscsiSession#finish}, which nulls it.
     */
    ByteBuffer writeData;
    /**
     * Pooled buffer of edtl bytes the command set fills for a read (null otherwise). Executor thread
     * only (acquired after startExecuting()); released by {@link IscsiSession#finish}, after the
     * Data-In sent from it is out.
     */
    ByteBuffer readData;
    /** Bytes of write data received so far (immediate + unsolicited + solicited). */
    int received;
    /** Unsolicited data may arrive up to this offset (min(FirstBurstLength, EDTL)). */
    int unsolicitedLimit;
    /** Next offset expected in the unsolicited sequence. */
    int unsolicitedOffset;
    /** DataSN expected on the next unsolicited Data-Out. */
    int unsolicitedDataSn;
    /** True while unsolicited Data-Out PDUs (TTT 0xffffffff) may still arrive. */
    boolean unsolicitedOpen;
    /** The first offset no R2T has asked for yet. */
    int nextR2tOffset;
    /** R2TSN of the next R2T (also the ExpDataSN of a write's SCSI Response). */
    int r2tSn;
    /** Outstanding R2Ts; null until the first (most commands never get one). */
    private List<R2t> r2ts;

    ScsiTask(int itt, long lun, long rawLun, byte[] cdb, int edtl, boolean read, boolean write, boolean immediate,
            int cmdSn) {
        this.itt = itt;
        this.lun = lun;
        this.rawLun = rawLun;
        this.cdb = cdb;
        this.edtl = edtl;
        this.read = read;
        this.write = write;
        this.immediate = immediate;
        this.cmdSn = cmdSn;
    }

    // ---------------------------------------------------------------- state transitions

    State state() {
        return state.get();
    }

    /** RECEIVING to QUEUED: all write data is in (or there is none). Reader thread. */
    boolean queue() {
        return state.compareAndSet(State.RECEIVING, State.QUEUED);
    }

    /**
     * QUEUED to EXECUTING: an executor thread picks the task up. Loses if the reader aborted it
     * while it waited; the executor then must not touch it (the reader ended it).
     */
    boolean startExecuting() {
        return state.compareAndSet(State.QUEUED, State.EXECUTING);
    }

    /**
     * EXECUTING to RESPONDING: the command set returned. Loses if the task was aborted meanwhile;
     * the executor then sends no status and ends the task itself.
     */
    boolean startResponding() {
        return state.compareAndSet(State.EXECUTING, State.RESPONDING);
    }

    /**
     * RECEIVING to RESPONDING: the reader fails the task before execution (a refused command, or a
     * Data-Out that does not fit) and sends its status itself. Loses if the task was no longer
     * receiving (already aborted or queued).
     */
    boolean failDataPhase() {
        return state.compareAndSet(State.RECEIVING, State.RESPONDING);
    }

    /** RESPONDING to DONE: the status went out (or could not; the connection is then going away). */
    boolean finishSending() {
        return state.compareAndSet(State.RESPONDING, State.DONE);
    }

    /**
     * RECEIVING, QUEUED or EXECUTING to ABORTED.
     *
     * @return the state the task was aborted from, which tells who ends it (RECEIVING or QUEUED:
     *     the caller, now; EXECUTING: the executor thread, when the command set returns); null if
     *     the abort lost (the task was already RESPONDING, DONE or ABORTED)
     */
    State abort() {
        for (;;) {
            State s = state.get();
            if (s != State.RECEIVING && s != State.QUEUED && s != State.EXECUTING) {
                return null;
            }
            if (state.compareAndSet(s, State.ABORTED)) {
                return s;
            }
        }
    }

    // ---------------------------------------------------------------- once-only end steps

    /** Claims the "leave the session" step; true for exactly one caller over the task's life. */
    boolean markLeft() {
        return ((int) ENDED.getAndBitwiseOr(this, LEFT) & LEFT) == 0;
    }

    /** Claims the "finish" step; true for exactly one caller over the task's life. */
    boolean markFinished() {
        return ((int) ENDED.getAndBitwiseOr(this, FINISHED) & FINISHED) == 0;
    }

    // ---------------------------------------------------------------- data-out bookkeeping (reader thread)

    R2t findR2t(int ttt) {
        if (r2ts != null) {
            for (int i = 0; i < r2ts.size(); i++) {
                R2t r = r2ts.get(i);
                if (r.ttt == ttt) {
                    return r;
                }
            }
        }
        return null;
    }

    int outstandingR2ts() {
        return r2ts == null ? 0 : r2ts.size();
    }

    void addR2t(R2t r) {
        if (r2ts == null) {
            r2ts = new ArrayList<>(2);
        }
        r2ts.add(r);
    }

    /** The initiator sent all of {@code r}'s data. */
    void r2tAnswered(R2t r) {
        r2ts.remove(r);
    }

    @Override
    public String toString() {
        return String.format("task[itt=%08x lun=%d op=%02x edtl=%d state=%s]", itt, lun, cdb[0] & 0xff, edtl, state.get());
    }
}
