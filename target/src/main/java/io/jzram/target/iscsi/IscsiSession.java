package io.jzram.target.iscsi;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.jzram.target.scsi.ScsiCommandSet;

/**
 * One iSCSI session (RFC 7143 §4.2.2): identity (InitiatorName, ISID, TSIH), the negotiated
 * parameters, the command numbering window and the table of live tasks. With MaxConnections=1 a
 * session has exactly one connection, which owns its lifecycle.
 *
 * <p>Command window. ExpCmdSN is the next CmdSN we accept; {@code active} counts non-immediate
 * SCSI tasks accepted and not yet finished; MaxCmdSN = ExpCmdSN - 1 + window - active. Accepting a
 * command moves ExpCmdSN and active up together and finishing one moves active down, so MaxCmdSN
 * never decreases and at most {@code window} commands are ever outstanding. A command is accepted
 * only when its CmdSN equals ExpCmdSN and a slot is free; anything else is out of window and is
 * silently dropped (RFC 7143 §4.2.2.1). On one TCP connection commands arrive in CmdSN order, so
 * there is no reordering queue.
 *
 * <p>Concurrency: {@link #expCmdSn} is written only by the connection's reader thread and read by
 * any thread that sends a PDU; {@link #active} is incremented by the reader and decremented by
 * whichever thread ends a task ({@link #leave}, once per task). The reader increments
 * {@code active} before publishing the new ExpCmdSN and {@link #maxCmdSn()} reads ExpCmdSN before
 * {@code active}, so a racing sender can only ever see a
 * MaxCmdSN that is too small (harmless: initiators ignore a decrease), never too large (which would
 * let an initiator send a command we then drop).
 */
final class IscsiSession implements PduWriter.Window {
    final long nexusId;
    final int tsih;
    final byte[] isid;
    final String isidHex;
    final NegotiatedParameters params;
    final SocketAddress remote;
    final Instant since = Instant.now();
    final int window;
    /** Null for discovery sessions. Closed once by the connection after all its tasks are gone. */
    final ScsiCommandSet.NexusHandle handle;

    /** Live tasks by ITT: put by the reader, removed only by {@link #leave} (whoever ends the task). */
    final ConcurrentHashMap<Integer, ScsiTask> tasks = new ConcurrentHashMap<>();

    private volatile int expCmdSn;
    private final AtomicInteger active = new AtomicInteger();
    final AtomicLong commands = new AtomicLong();

    IscsiSession(long nexusId, int tsih, byte[] isid, NegotiatedParameters params, SocketAddress remote, int window,
            int initialCmdSn, ScsiCommandSet.NexusHandle handle) {
        this.nexusId = nexusId;
        this.tsih = tsih;
        this.isid = isid.clone();
        this.isidHex = HexFormat.of().formatHex(isid);
        this.params = params;
        this.remote = remote;
        this.window = window;
        this.expCmdSn = initialCmdSn;
        this.handle = handle;
    }

    boolean discovery() {
        return params.discovery();
    }

    @Override
    public int expCmdSn() {
        return expCmdSn;
    }

    @Override
    public int maxCmdSn() {
        int exp = expCmdSn; // read before active: see class comment
        int free = window - active.get();
        return exp - 1 + Math.max(free, 0);
    }

    /**
     * Sequencing of a non-immediate PDU (reader thread only).
     *
     * @param task true for a SCSI command (takes a window slot until the task {@linkplain #leave leaves})
     * @return false if the PDU is out of window or out of order and must be dropped
     */
    boolean acceptNonImmediate(int cmdSn, boolean task) {
        int exp = expCmdSn;
        if (cmdSn != exp) {
            return false;
        }
        if (task) {
            if (active.get() >= window) {
                return false;
            }
            active.incrementAndGet();
        }
        expCmdSn = exp + 1;
        return true;
    }

    /**
     * The part of a task's end that must happen before its status is sent: removes it from the task
     * table (its ITT is the initiator's again) and frees its command-window slot (so the status
     * carries the new MaxCmdSN). Runs its effects once per task, whoever calls it and however often
     * (see {@link ScsiTask}); {@link #finish} calls it too, for tasks that send no status. Also for a
     * task that never got into the table (a duplicate ITT): {@code remove(itt, t)} then leaves the
     * task that holds the ITT alone.
     */
    void leave(ScsiTask t) {
        if (!t.markLeft()) {
            return; // already left
        }
        tasks.remove(t.itt, t);
        if (!t.immediate) {
            active.decrementAndGet();
        }
    }

    /**
     * Ends a task, the one way every task ends: {@link #leave} (if it has not yet), releases its
     * buffers to {@code pool} and completes {@link ScsiTask#done}. Called by whoever owns the task
     * when it reaches ABORTED or DONE (see {@link ScsiTask}); runs its effects once per task even if
     * called again or from racing threads.
     */
    void finish(ScsiTask t, BufferPool pool) {
        assert t.state().terminal() : "finishing " + t;
        if (!t.markFinished()) {
            return; // already finished
        }
        try {
            leave(t);
            ByteBuffer w = t.writeData;
            ByteBuffer r = t.readData;
            t.writeData = null;
            t.readData = null;
            pool.release(w);
            pool.release(r);
        } finally {
            t.done.complete(null); // even if a release threw: nobody may wait for this task forever
        }
    }

    int activeTasks() {
        return active.get();
    }
}
