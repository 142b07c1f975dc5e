package io.jzram.target.iscsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SCSI command (an iSCSI task) from its SCSI Command PDU to its status.
 *
 * <p>States ({@link #state}, changed only by CAS):
 * <pre>
 *   RECEIVING --all data in--> QUEUED --executor picks it--> EXECUTING --result--> RESPONDING --sent--> DONE
 *        \                        \                              \
 *         +----------------------- +------------------------------+--abort--> ABORTED
 * </pre>
 * A task without data-out starts in QUEUED. Whoever moves a task into ABORTED or DONE owns its
 * cleanup (remove from the session's task table, release buffers, free its command-window slot,
 * complete {@link #done}): the reader thread for RECEIVING/QUEUED aborts, the executor thread for
 * everything after EXECUTING. So a task aborted before or during execution never sends a
 * response, and a task already RESPONDING completes normally (an ABORT TASK then waits for
 * {@link #done} before answering "task does not exist", so the TMF response follows the task's
 * status and does not claim to have terminated it).
 *
 * <p>The data-out bookkeeping fields below are confined to the connection's reader thread (the
 * only thread that reads Data-Out PDUs, sends R2Ts and handles task management); the executor
 * thread only touches {@link #writeData} after the QUEUED hand-off, which happens-before via
 * the executor's submission.
 */
final class ScsiTask {
    static final int RECEIVING = 0;
    static final int QUEUED = 1;
    static final int EXECUTING = 2;
    static final int RESPONDING = 3;
    static final int DONE = 4;
    static final int ABORTED = 5;

    final int itt;
    final long lun;
    final long rawLun;
    final byte[] cdb;
    final int edtl;
    final boolean read;
    final boolean write;
    final boolean immediate;
    final int cmdSn;

    final AtomicInteger state = new AtomicInteger(RECEIVING);
    /** Completes when the task has left the session (status sent, or aborted and cleaned up). */
    final CompletableFuture<Void> done = new CompletableFuture<>();

    /** One outstanding R2T: the initiator owes {@code length} bytes from {@code offset}. */
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

    // Reader-confined data-out state
    /** Pooled buffer of edtl bytes collecting the write data (null without data-out). */
    ByteBuffer writeData;
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
        return String.format("task[itt=%08x lun=%d op=%02x edtl=%d state=%d]", itt, lun, cdb[0] & 0xff, edtl, state.get());
    }
}
