package io.jzram.target.iscsi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jscsi.parser.reject.RejectParser.ReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jzram.target.scsi.ScsiCommandSet;
import io.jzram.target.scsi.ScsiResponse;
import io.jzram.target.scsi.SenseData;

/**
 * The SCSI data path of one connection: SCSI Command and Data-Out PDUs in, R2T, Data-In and SCSI
 * Response PDUs out, execution on the executor (RFC 7143 §4.2.3, §11.3–11.8).
 *
 * <p>Write data. A write's data arrives as immediate data (in the command PDU, if ImmediateData=Yes),
 * unsolicited Data-Out (TTT 0xffffffff, if InitialR2T=No, up to FirstBurstLength) and solicited
 * Data-Out answering our R2Ts (each at most MaxBurstLength, at most MaxOutstandingR2T outstanding
 * per task). All of it is read straight into one pooled buffer of EDTL bytes at its BufferOffset.
 * Only when every byte is in does the task go to the executor, so the reader never waits for a
 * command and any number of tasks can be collecting data, interleaved with each other and with new
 * commands. DataPDUInOrder=Yes and DataSequenceInOrder=Yes: each sequence's PDUs must come in
 * offset order with DataSN 0, 1, 2, ... (per R2T, and for the unsolicited sequence). A Data-Out
 * that breaks that fails its command (CHECK CONDITION, ABORTED COMMAND, 4B/05 DATA OFFSET ERROR or
 * 4B/02 TOO MUCH WRITE DATA) and the connection goes on: ErrorRecoveryLevel 0 cannot recover the
 * command, but need not take the other commands down with it.
 *
 * <p>Read data. The executor gives the command set a pooled buffer of EDTL bytes and sends what it
 * returns as Data-In PDUs of at most the initiator's MaxRecvDataSegmentLength, F at every
 * MaxBurstLength boundary, the status in the last one when it is GOOD without sense (phase
 * collapse) and a separate SCSI Response otherwise; residuals come from fullDataInLength vs EDTL for
 * reads and from the command set's dataOutLength vs EDTL for writes.
 * The whole answer goes to the writer as one batch (one gathering write, one lock round).
 *
 * <p>Threads: {@link #onScsiCommand}, {@link #onDataOut} and {@link #abort} run on the reader
 * thread; {@link #execute} runs on a virtual thread of the server's {@link TaskThreads}, one per
 * running task.
 */
final class TaskEngine {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEngine.class);

    private final IscsiConnection conn;
    private final IscsiSession session;
    private final ScsiCommandSet commandSet;
    private final BufferPool pool;
    private final Executor executor;
    private final NegotiatedParameters params;
    private final int maxTransferLength;
    /** Target transfer tags for R2Ts, 1..0x3fffffff. Reader thread only. */
    private int nextTtt = 1;
    /** Tasks handed to the executor and not finished: incremented by the reader, decremented by executor threads. */
    final AtomicInteger executing = new AtomicInteger();
    /**
     * Whether a task whose response is ready while other tasks of the connection are queued or
     * running lets them queue theirs before writing (see {@link PduWriter#send(List, boolean)}):
     * under load one gathering write then carries many responses. On by default;
     * {@code -Djzram.iscsi.coalesceResponses=false} turns it off.
     */
    static final boolean COALESCE_RESPONSES =
            !"false".equals(System.getProperty("jzram.iscsi.coalesceResponses"));

    TaskEngine(IscsiConnection conn, IscsiSession session, ScsiCommandSet commandSet, BufferPool pool,
            Executor executor, int maxTransferLength) {
        this.conn = conn;
        this.session = session;
        this.commandSet = commandSet;
        this.pool = pool;
        this.executor = executor;
        this.params = session.params;
        this.maxTransferLength = maxTransferLength;
    }

    // ---------------------------------------------------------------- reader thread

    void onScsiCommand(PduReader in) throws IOException {
        ByteBuffer h = in.header();
        int flags = Bhs.flags(h);
        boolean fin = (flags & 0x80) != 0;
        boolean read = (flags & 0x40) != 0;
        boolean write = (flags & 0x20) != 0;
        boolean immediate = Bhs.immediate(h);
        int itt = h.getInt(Bhs.ITT);
        int edtl = h.getInt(Bhs.EDTL);
        int cmdSn = h.getInt(Bhs.CMD_CMDSN);
        int dsl = in.dataLength();

        if (!immediate && !session.acceptNonImmediate(cmdSn, true)) {
            LOG.warn("{}: dropping SCSI command itt={} CmdSN {} outside the window (ExpCmdSN {}, MaxCmdSN {})",
                    conn, Integer.toHexString(itt), Integer.toUnsignedString(cmdSn),
                    Integer.toUnsignedString(session.expCmdSn()), Integer.toUnsignedString(session.maxCmdSn()));
            in.skipData();
            return;
        }
        if (immediate && session.tasks.size() >= 2 * session.window) {
            // immediate commands take no window slot; bound them anyway
            in.skipData();
            conn.reject(ReasonCode.IMMEDIATE_COMMAND_REJECT, h);
            return;
        }
        byte[] cdb = cdb(in);
        ScsiTask t = new ScsiTask(itt, Bhs.lun(h), Bhs.rawLun(h), cdb, edtl, read, write, immediate, cmdSn);
        if (LOG.isTraceEnabled()) {
            LOG.trace("{}: SCSI command itt={} CmdSN {} flags {} edtl {} immediate data {} cdb {}", conn,
                    Integer.toHexString(itt), Integer.toUnsignedString(cmdSn), Integer.toHexString(flags), edtl, dsl,
                    java.util.HexFormat.of().formatHex(cdb));
        }
        session.commands.incrementAndGet();

        if (itt == Bhs.RESERVED_TAG || session.tasks.putIfAbsent(itt, t) != null) {
            // Ends here: never in the table, nobody else sees it; it ends ABORTED (its window slot
            // is freed) and the initiator gets a Reject instead of a status.
            in.skipData();
            t.abort();
            finish(t);
            conn.reject(ReasonCode.INVALID_PDU_FIELD, h);
            return;
        }
        if (edtl < 0 || edtl > maxTransferLength || (read && write) || dsl > edtl
                || (dsl > 0 && !write) || (dsl > 0 && !params.immediateData())
                || dsl > params.firstBurstLength()) {
            LOG.debug("{}: refusing {} (edtl {}, dsl {})", conn, t, edtl, dsl);
            in.skipData();
            failTask(t); // ends with a Target Failure response, DONE
            return;
        }
        if (write && edtl > 0) {
            t.writeData = pool.acquire(edtl);
            if (dsl > 0) {
                in.readData(t.writeData);
            }
            t.received = dsl;
            t.unsolicitedLimit = Math.min(params.firstBurstLength(), edtl);
            t.unsolicitedOffset = dsl;
            t.unsolicitedOpen = !fin && dsl < t.unsolicitedLimit;
            if (!t.unsolicitedOpen) {
                t.nextR2tOffset = t.received;
            }
            if (t.received == edtl) {
                queue(t);
            } else if (!t.unsolicitedOpen) {
                sendR2ts(t);
            }
        } else {
            in.skipData();
            queue(t);
        }
    }

    private byte[] cdb(PduReader in) throws MalformedPduException {
        ByteBuffer h = in.header();
        int ahs = in.ahsLength();
        byte[] extra = null;
        int pos = Bhs.LENGTH;
        int end = Bhs.LENGTH + ahs;
        while (pos + 4 <= end) {
            int len = h.getShort(pos) & 0xffff;
            int type = h.get(pos + 2) & 0xff;
            int total = (3 + len + 3) & ~3;
            if (pos + total > end) {
                throw new MalformedPduException(MalformedPduException.Kind.PROTOCOL, "AHS overruns TotalAHSLength");
            }
            if (type == 1 && len > 1) { // extended CDB: a reserved byte, then CDB bytes 16..
                extra = new byte[len - 1];
                h.get(pos + 4, extra);
            }
            pos += total;
        }
        byte[] cdb = new byte[16 + (extra == null ? 0 : extra.length)];
        h.get(Bhs.CDB, cdb, 0, 16);
        if (extra != null) {
            System.arraycopy(extra, 0, cdb, 16, extra.length);
        }
        return cdb;
    }

    void onDataOut(PduReader in) throws IOException {
        ByteBuffer h = in.header();
        int itt = h.getInt(Bhs.ITT);
        int ttt = h.getInt(Bhs.TTT);
        int offset = h.getInt(Bhs.BUFFER_OFFSET);
        boolean fin = Bhs.finalBit(h);
        int len = in.dataLength();
        ScsiTask t = session.tasks.get(itt);
        if (t == null || t.state() != ScsiTask.State.RECEIVING) { // only the reader moves it out of RECEIVING
            // aborted or finished task (or an initiator bug): drop the data quietly
            LOG.debug("{}: Data-Out for unknown or aborted task itt={}", conn, Integer.toHexString(itt));
            in.skipData();
            return;
        }
        int dataSn = h.getInt(Bhs.DATA_SN);
        if (ttt == Bhs.RESERVED_TAG) {
            if (!t.unsolicitedOpen || offset != t.unsolicitedOffset || offset + len > t.unsolicitedLimit || offset < 0
                    || dataSn != t.unsolicitedDataSn) {
                dataPhaseError(in, t, "unsolicited Data-Out DataSN " + dataSn + " at " + offset + "+" + len,
                        offset + len > t.unsolicitedLimit ? ASC_TOO_MUCH_WRITE_DATA : ASC_DATA_OFFSET_ERROR);
                return;
            }
            t.unsolicitedDataSn++;
            readInto(in, t, offset);
            t.unsolicitedOffset += len;
            if (fin || t.unsolicitedOffset >= t.unsolicitedLimit) {
                t.unsolicitedOpen = false;
                t.nextR2tOffset = Math.max(t.nextR2tOffset, t.unsolicitedOffset);
            }
        } else {
            ScsiTask.R2t r = t.findR2t(ttt);
            if (r == null || offset != r.offset + r.received || len > r.length - r.received || offset < 0
                    || dataSn != r.nextDataSn) {
                dataPhaseError(in, t, "Data-Out ttt=" + Integer.toHexString(ttt) + " DataSN " + dataSn + " at "
                        + offset + "+" + len, r != null && len > r.length - r.received ? ASC_TOO_MUCH_WRITE_DATA
                        : ASC_DATA_OFFSET_ERROR);
                return;
            }
            r.nextDataSn++;
            readInto(in, t, offset);
            r.received += len;
            if (r.received == r.length) {
                t.r2tAnswered(r);
            }
        }
        if (t.received == t.edtl) {
            queue(t);
        } else if (!t.unsolicitedOpen) {
            sendR2ts(t);
        }
    }

    /** ASC/ASCQ of the iSCSI transport errors reported as ABORTED COMMAND (RFC 7143 §11.4.7.2). */
    static final int ASC_DATA_OFFSET_ERROR = 0x4b05;
    static final int ASC_TOO_MUCH_WRITE_DATA = 0x4b02;

    /**
     * A Data-Out that does not fit its task (wrong DataSN, offset, length or TTT). The PDU is
     * dropped, the task ends with CHECK CONDITION / ABORTED COMMAND (DONE) and the connection goes
     * on; further Data-Out for the task is dropped as data for an unknown task. If the send fails the
     * task still ends (DONE) and the IOException closes the connection.
     *
     * @param ascq ASC in the high byte, ASCQ in the low byte
     */
    private void dataPhaseError(PduReader in, ScsiTask t, String what, int ascq) throws IOException {
        LOG.warn("{}: {} does not fit {}; failing the command", conn, what, t);
        in.skipData();
        if (!t.failDataPhase()) {
            return; // not receiving any more: whoever moved it on ends it
        }
        session.leave(t); // before the status: see ScsiTask
        byte[] sense = SenseData.of(SenseData.ABORTED_COMMAND, ascq >>> 8, ascq & 0xff);
        ByteBuffer data = ByteBuffer.allocate(2 + sense.length);
        data.putShort((short) sense.length).put(sense).flip();
        try {
            conn.send(List.of(new PduWriter.Out(TargetPdus.scsiResponse(TargetPdus.COMPLETED, 0x02, 0, 0, t.itt,
                    t.r2tSn), data, PduWriter.Sn.ADVANCE)));
        } finally {
            t.finishSending();
            finish(t);
        }
    }

    private void readInto(PduReader in, ScsiTask t, int offset) throws IOException {
        ByteBuffer b = t.writeData;
        b.position(offset);
        in.readData(b);
        t.received += in.dataLength();
    }

    /** Sends R2Ts until MaxOutstandingR2T are outstanding or all data is asked for. */
    private void sendR2ts(ScsiTask t) throws IOException {
        List<PduWriter.Out> out = null;
        while (t.outstandingR2ts() < params.maxOutstandingR2t() && t.nextR2tOffset < t.edtl) {
            int len = Math.min(params.maxBurstLength(), t.edtl - t.nextR2tOffset);
            int ttt = nextTtt++;
            if (nextTtt >= 0x40000000) { // R2T tags 1..0x3fffffff; text and ping tags use the ranges above
                nextTtt = 1;
            }
            t.addR2t(new ScsiTask.R2t(ttt, t.nextR2tOffset, len));
            if (out == null) {
                out = new ArrayList<>(2);
            }
            out.add(new PduWriter.Out(TargetPdus.r2t(t.rawLun, t.itt, ttt, t.r2tSn++, t.nextR2tOffset, len), null,
                    PduWriter.Sn.PEEK));
            t.nextR2tOffset += len;
        }
        if (out != null) {
            conn.send(out);
        }
    }

    private void queue(ScsiTask t) {
        if (!t.queue()) {
            return; // not receiving any more: whoever moved it on ends it
        }
        executing.incrementAndGet();
        try {
            executor.execute(() -> execute(t));
        } catch (RuntimeException e) {
            // Executor shut down: the connection is going away. The task ends ABORTED here, without a
            // status, if we take it from QUEUED; should the executor have run it after all (an
            // executor that throws after accepting), execute() won startExecuting() and ends it.
            executing.decrementAndGet();
            if (t.abort() == ScsiTask.State.QUEUED) {
                finish(t);
            }
        }
    }

    /**
     * Aborts a task (reader thread). Returns a future that completes once the task has left the
     * session: at once if it was still receiving data or queued, after its execution if it was
     * executing (its result is then dropped), after its status went out if it was already responding.
     */
    CompletableFuture<Void> abort(ScsiTask t) {
        ScsiTask.State from = t.abort();
        if (from == ScsiTask.State.RECEIVING || from == ScsiTask.State.QUEUED) {
            finish(t); // ends here, ABORTED, no status
        }
        // EXECUTING: the executor ends it (ABORTED, no status) when the command set returns;
        // null (RESPONDING or over): it ends on its own, DONE with its status
        return t.done;
    }

    /** Aborts every task matching {@code which}; returns futures of their completion. */
    List<CompletableFuture<Void>> abortAll(Predicate<ScsiTask> which) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (ScsiTask t : session.tasks.values()) {
            if (which.test(t)) {
                waits.add(abort(t));
            }
        }
        return waits;
    }

    /** Ends a task that reached ABORTED or DONE: the one place every task ends (see ScsiTask). */
    private void finish(ScsiTask t) {
        session.finish(t, pool);
    }

    /**
     * A task refused in its command PDU (too large, inconsistent flags): iSCSI response Target
     * Failure. Ends DONE, also if the send fails (the IOException then closes the connection).
     */
    private void failTask(ScsiTask t) throws IOException {
        if (!t.failDataPhase()) {
            // cannot happen: the task was created RECEIVING on this thread a moment ago and only the
            // reader moves it out of RECEIVING; if it did, whoever moved it ends it
            return;
        }
        session.leave(t); // before the status: see ScsiTask
        try {
            conn.send(List.of(new PduWriter.Out(TargetPdus.scsiResponse(TargetPdus.TARGET_FAILURE, 0, 0, 0, t.itt, 0),
                    null, PduWriter.Sn.ADVANCE)));
        } finally {
            t.finishSending();
            finish(t);
        }
    }

    // ---------------------------------------------------------------- executor threads

    private void execute(ScsiTask t) {
        try {
            if (!t.startExecuting()) {
                return; // aborted while queued: the reader ended it (and released its buffers)
            }
            run(t);
        } catch (Throwable e) {
            // Ends ABORTED (if still executing) or DONE (if responding), and the connection closes.
            // This thread owns the task in either state; finish does nothing if it already ran.
            LOG.error("{}: unexpected failure executing {}", conn, t, e);
            if (t.abort() == null) {
                t.finishSending();
            }
            finish(t);
            conn.close();
        } finally {
            executing.decrementAndGet();
        }
    }

    /** Runs an EXECUTING task to its end (this thread owns it, see ScsiTask). */
    private void run(ScsiTask t) {
        ByteBuffer dataOut = t.writeData; // ours from here on: the reader no longer touches it
        if (dataOut != null) {
            dataOut.clear().limit(t.edtl);
        }
        ByteBuffer dataIn = null;
        if (t.read && t.edtl > 0) {
            dataIn = t.readData = pool.acquire(t.edtl);
        }
        ScsiResponse r;
        try {
            r = commandSet.execute(session.handle, t.lun, t.cdb, dataOut, dataIn);
        } catch (RuntimeException e) {
            LOG.error("{}: command set failed on {}", conn, t, e);
            r = null; // answered with Target Failure below
        }
        if (dataIn != null) {
            dataIn.clear().limit(t.edtl); // whatever the command set did with position and limit
        }
        if (!t.startResponding()) {
            finish(t); // aborted during execution: ends here, ABORTED, no status
            return;
        }
        List<PduWriter.Out> out = r == null
                ? List.of(new PduWriter.Out(TargetPdus.scsiResponse(TargetPdus.TARGET_FAILURE, 0, 0, 0, t.itt, 0),
                        null, PduWriter.Sn.ADVANCE))
                : response(t, r, dataIn);
        session.leave(t); // before the status: see ScsiTask
        try {
            // other tasks queued or running: queue our response, let them run first and
            // queue theirs, then one gathering write carries them all (PduWriter's group commit)
            conn.send(out, COALESCE_RESPONSES && executing.get() > 1);
        } catch (IOException e) {
            // the status is lost with the connection (send closed it); the task still ends DONE
            LOG.debug("{}: status of {} not sent: {}", conn, t, e.toString());
        }
        t.finishSending();
        finish(t); // after the send: the Data-In went out of t.readData
    }

    /** The Data-In PDUs and status for a finished command. */
    List<PduWriter.Out> response(ScsiTask t, ScsiResponse r, ByteBuffer dataIn) {
        int sent = 0;
        if (t.read && dataIn != null) {
            sent = Math.max(0, Math.min(r.dataInLength(), t.edtl));
        }
        int residualFlags = 0;
        int residual = 0;
        if (t.read || r.fullDataInLength() > 0) {
            long full = r.fullDataInLength();
            if (full > t.edtl) {
                residualFlags = TargetPdus.RESIDUAL_OVERFLOW;
                residual = (int) Math.min(full - t.edtl, 0xffffffffL);
            } else if (t.read && sent < t.edtl) {
                residualFlags = TargetPdus.RESIDUAL_UNDERFLOW;
                residual = t.edtl - sent;
            }
        } else if (t.write && r.dataOutLength() >= 0) {
            // Write residuals (RFC 7143 11.4.5): what the CDB asked for against what the initiator said it would send.
            long wanted = r.dataOutLength();
            if (wanted > t.edtl) {
                residualFlags = TargetPdus.RESIDUAL_OVERFLOW;
                residual = (int) Math.min(wanted - t.edtl, 0xffffffffL);
            } else if (wanted < t.edtl) {
                residualFlags = TargetPdus.RESIDUAL_UNDERFLOW;
                residual = (int) (t.edtl - wanted);
            }
        }
        byte[] sense = r.sense();
        boolean collapse = sent > 0 && r.status() == 0 && (sense == null || sense.length == 0);
        int segment = params.initiatorMaxRecvDataSegmentLength();
        int burst = params.maxBurstLength();
        List<PduWriter.Out> out = new ArrayList<>(sent / segment + 2);
        int dataSn = 0;
        int offset = 0;
        int burstStart = 0;
        while (offset < sent) {
            int len = Math.min(segment, sent - offset);
            len = Math.min(len, burstStart + burst - offset);
            boolean last = offset + len == sent;
            boolean burstEnd = offset + len == burstStart + burst;
            // the last PDU carries dataIn itself, bounded to its bytes: one object less per read,
            // and a read of one PDU (most) needs no view at all; earlier PDUs carry slices
            ByteBuffer slice = last ? dataIn.limit(offset + len).position(offset) : dataIn.slice(offset, len);
            if (last && collapse) {
                out.add(new PduWriter.Out(TargetPdus.dataIn(true, r.status(), residualFlags, residual, t.rawLun, t.itt,
                        dataSn++, offset), slice, PduWriter.Sn.ADVANCE));
            } else {
                out.add(new PduWriter.Out(TargetPdus.dataIn(last || burstEnd, -1, 0, 0, t.rawLun, t.itt, dataSn++,
                        offset), slice, PduWriter.Sn.NONE));
            }
            offset += len;
            if (burstEnd) {
                burstStart = offset;
            }
        }
        if (!collapse) {
            ByteBuffer senseData = null;
            if (sense != null && sense.length > 0) {
                senseData = ByteBuffer.allocate(2 + sense.length);
                senseData.putShort((short) sense.length).put(sense).flip();
            }
            int expDataSn = t.read ? dataSn : t.r2tSn;
            out.add(new PduWriter.Out(TargetPdus.scsiResponse(TargetPdus.COMPLETED, r.status(), residualFlags, residual,
                    t.itt, expDataSn), senseData, PduWriter.Sn.ADVANCE));
        }
        return out;
    }
}
