package io.jzram.target.iscsi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jscsi.parser.tmf.TaskManagementFunctionRequestParser.FunctionCode;
import org.jscsi.parser.tmf.TaskManagementFunctionResponseParser.ResponseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jzram.target.scsi.ScsiCommandSet;

/**
 * Task management functions (RFC 7143 §11.5) for one session.
 *
 * <p>The request is decoded and the affected tasks are aborted on the reader thread, in PDU order
 * (so "the tasks before this TMF" is exactly what the task table holds now). Tasks still receiving
 * data or queued are gone at once; tasks executing finish, but their status is dropped. Waiting
 * for those and sending the TMF response happen on an executor thread, so the reader goes on
 * reading (Data-Out of other tasks, further commands) meanwhile and the TMF response is sent after
 * the last status of any affected task that was already on its way.
 *
 * <p>Scope: ABORT TASK, ABORT TASK SET, CLEAR TASK SET and LOGICAL UNIT RESET act on this session's
 * tasks of the LUN; TARGET WARM/COLD RESET on all of this session's tasks (other sessions see the
 * reset as a unit attention from the command set); COLD RESET also drops every connection after its
 * response. CLEAR ACA and others: "function not supported"; TASK REASSIGN (ErrorRecoveryLevel 0):
 * "allegiance reassignment not supported".
 */
final class TaskManagement {
    private static final Logger LOG = LoggerFactory.getLogger(TaskManagement.class);
    private static final long WAIT_SECONDS = 30;

    private final IscsiConnection conn;
    private final IscsiSession session;
    private final TaskEngine engine;
    private final ScsiCommandSet commandSet;
    private final Executor executor;
    private final Runnable coldReset;

    TaskManagement(IscsiConnection conn, IscsiSession session, TaskEngine engine, ScsiCommandSet commandSet,
            Executor executor, Runnable coldReset) {
        this.conn = conn;
        this.session = session;
        this.engine = engine;
        this.commandSet = commandSet;
        this.executor = executor;
        this.coldReset = coldReset;
    }

    /** Reader thread. The PDU's CmdSN has been accepted by the caller. */
    void onRequest(ByteBuffer h, int tmfCmdSn) {
        int itt = h.getInt(Bhs.ITT);
        int function = Bhs.flags(h) & 0x7f;
        long lun = Bhs.lun(h);
        FunctionCode code = FunctionCode.valueOf((byte) function);
        if (code == null || code == FunctionCode.UNSET || code == FunctionCode.CLEAR_ACA) {
            respondNow(itt, ResponseCode.TASK_MANAGEMENT_FUNCTION_NOT_SUPPORTED);
            return;
        }
        switch (code) {
            case ABORT_TASK -> {
                int rtt = h.getInt(Bhs.TTT);
                int refCmdSn = h.getInt(32);
                ScsiTask t = session.tasks.get(rtt);
                if (t == null) {
                    // RFC 7143 §11.5.1 b/c: RefCmdSN inside the window [ExpCmdSN, MaxCmdSN] and before
                    // the TMF: a command not received yet (an immediate TMF overtook it), "function
                    // complete". Anything else (e.g. a command already answered, whose CmdSN is below
                    // ExpCmdSN): "task does not exist".
                    boolean notYetReceived = Bhs.serialCompare(refCmdSn, session.expCmdSn()) >= 0
                            && Bhs.serialCompare(refCmdSn, tmfCmdSn) < 0;
                    respondNow(itt, notYetReceived ? ResponseCode.FUNCTION_COMPLETE : ResponseCode.TASK_DOES_NOT_EXIST);
                    return;
                }
                LOG.debug("{}: ABORT TASK {}", conn, t);
                CompletableFuture<Void> gone = engine.abort(t);
                executor.execute(() -> {
                    await(List.of(gone));
                    // Only an abort that took the task's state (ABORTED) terminated it. A task that was
                    // already RESPONDING when the abort came finished on its own and sent its status:
                    // nothing was terminated, "task does not exist" (what LIO answers; libiscsi's
                    // AbortTaskSimpleAsync fails a target that answers both GOOD and "function complete").
                    send(itt, t.state() == ScsiTask.State.ABORTED
                            ? ResponseCode.FUNCTION_COMPLETE : ResponseCode.TASK_DOES_NOT_EXIST);
                });
            }
            case ABORT_TASK_SET, CLEAR_TASK_SET ->
                    respondAfter(itt, engine.abortAll(t -> t.lun == lun), null);
            case LUN_RESET -> respondAfter(itt, engine.abortAll(t -> t.lun == lun),
                    () -> commandSet.logicalUnitReset(session.handle, lun));
            case TARGET_WARM_RESET -> respondAfter(itt, engine.abortAll(t -> true),
                    () -> commandSet.targetReset(session.handle));
            case TARGET_COLD_RESET -> {
                List<CompletableFuture<Void>> waits = engine.abortAll(t -> true);
                executor.execute(() -> {
                    await(waits);
                    commandSet.targetReset(session.handle);
                    send(itt, ResponseCode.FUNCTION_COMPLETE);
                    coldReset.run();
                });
            }
            case TASK_REASSIGN -> respondNow(itt, ResponseCode.TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED);
            default -> respondNow(itt, ResponseCode.TASK_MANAGEMENT_FUNCTION_NOT_SUPPORTED);
        }
    }

    private void respondNow(int itt, ResponseCode code) {
        executor.execute(() -> send(itt, code));
    }

    private void respondAfter(int itt, List<CompletableFuture<Void>> waits, Runnable then) {
        executor.execute(() -> {
            await(waits);
            if (then != null) {
                try {
                    then.run();
                } catch (RuntimeException e) {
                    LOG.error("{}: reset failed", conn, e);
                    send(itt, ResponseCode.FUNCTION_REJECTED);
                    return;
                }
            }
            send(itt, ResponseCode.FUNCTION_COMPLETE);
        });
    }

    private void await(List<CompletableFuture<Void>> waits) {
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: aborted tasks still running after {} s", conn, WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: waiting for aborted tasks", conn, e);
        }
    }

    private void send(int itt, ResponseCode code) {
        try {
            conn.send(List.of(new PduWriter.Out(TargetPdus.tmfResponse(code.value() & 0xff, itt), null,
                    PduWriter.Sn.ADVANCE)));
        } catch (IOException e) {
            LOG.debug("{}: TMF response not sent: {}", conn, e.toString());
        }
    }
}
