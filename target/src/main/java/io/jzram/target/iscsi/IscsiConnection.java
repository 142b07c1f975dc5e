package io.jzram.target.iscsi;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jscsi.parser.login.LoginStatus;
import org.jscsi.parser.logout.LogoutResponse;
import org.jscsi.parser.reject.RejectParser.ReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection of the target: login, then full feature phase until logout, error or stop.
 *
 * <p>Threads. A reader (virtual) thread owns the socket's read side: it runs the login, then reads
 * PDUs one after the other and dispatches them; it never waits for a command to execute (SCSI
 * commands go to the executor once their data is in). Every thread may send through the
 * {@link PduWriter}, which serialises sends. A watchdog (virtual) thread enforces the login timeout
 * and, in full feature phase, pings an idle initiator with a NOP-In and closes the connection when
 * nothing at all has come back within the timeout.
 *
 * <p>States: LOGIN → FULL_FEATURE → CLOSED. {@link #close()} may be called from any thread (server
 * stop, watchdog, cold reset, session reinstatement, fatal send error) and only closes the socket;
 * the reader then falls out of its loop and tears down: aborts the session's tasks, waits (bounded)
 * for executing ones, closes the nexus handle and unregisters, in that order. So a nexus handle is
 * closed exactly once, after its last command.
 *
 * <p>Errors. A malformed PDU (bad header digest, oversize data segment, impossible fields, bad
 * data digest) closes this connection, after a Reject where RFC 7143 asks for one; an unknown opcode
 * or a SNACK (ErrorRecoveryLevel 0) is rejected and the connection goes on. A RuntimeException
 * anywhere in here closes this connection only, never the server.
 */
final class IscsiConnection {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiConnection.class);
    private static final long TEARDOWN_WAIT_SECONDS = 10;

    final long id;
    private final IscsiServer server;
    private final SocketChannel channel;
    private final IscsiServerSettings settings;
    final SocketAddress remote;
    final InetSocketAddress local;
    private final PduReader in;
    private final PduWriter out;
    private final long startNanos = System.nanoTime();

    /** Set once by the reader when the session opens at the end of login; read by watchdog, server snapshots, teardown. */
    private volatile IscsiSession session;
    /** Set by the reader after login; used by the reader (and, through their lambdas, executor threads). */
    private TaskEngine engine;
    /** Reader thread only. */
    private TaskManagement taskManagement;
    /** Reader thread only. */
    private TextExchange text;

    private final AtomicBoolean closed = new AtomicBoolean();
    /** Last time any PDU arrived (watchdog liveness). */
    private volatile long lastReceiveNanos = System.nanoTime();
    /** Time the outstanding NOP-In ping went out, or 0. */
    private volatile long pingSentNanos;
    private final AtomicInteger nextPingTtt = new AtomicInteger(0x80000000);
    /** Written once in {@link #start()} before either thread runs; volatile for {@link #close()} from other threads. */
    private volatile Thread reader;
    private volatile Thread watchdog;
    /** Completes when the reader has finished its teardown. */
    final CompletableFuture<Void> finished = new CompletableFuture<>();

    IscsiConnection(long id, IscsiServer server, SocketChannel channel, IscsiServerSettings settings) throws IOException {
        this.id = id;
        this.server = server;
        this.channel = channel;
        this.settings = settings;
        this.remote = channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.in = new PduReader(channel, settings.maxRecvDataSegmentLength());
        this.out = new PduWriter(channel, ThreadLocalRandom.current().nextInt(), null);
    }

    void start() {
        reader = server.threads().newThread(this::run, "jzram-iscsi-conn-" + id);
        watchdog = server.threads().newThread(this::watch, "jzram-iscsi-watchdog-" + id);
        reader.start();
        watchdog.start();
    }

    IscsiSession session() {
        return session;
    }

    /** The server's bounded count of pre-login trouble lines: -1 means log at debug only (see {@link LogThrottle#admit}). */
    long troubleLine() {
        return server.troubleLine();
    }

    long bytesIn() {
        return in.bytesRead();
    }

    long bytesOut() {
        return out.bytesWritten();
    }

    void send(List<PduWriter.Out> pdus) throws IOException {
        send(pdus, false);
    }

    void send(List<PduWriter.Out> pdus, boolean coalesce) throws IOException {
        try {
            out.send(pdus, coalesce);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Sends a Reject carrying the offending header (RFC 7143 §11.17). */
    void reject(ReasonCode reason, ByteBuffer header) throws IOException {
        byte[] copy = new byte[Bhs.LENGTH];
        header.get(0, copy);
        send(List.of(new PduWriter.Out(TargetPdus.reject(reason.value() & 0xff), ByteBuffer.wrap(copy),
                PduWriter.Sn.ADVANCE)));
    }

    /** How long after a Logout Response we wait for the initiator to close the connection. */
    static final long LOGOUT_CLOSE_WAIT_MS = 2000;

    /** Set by the reader thread when a logout completed; read by the same thread in lingeringClose. */
    private boolean loggedOut;

    /** Closes the socket; the reader tears down. Idempotent, any thread. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("{}: close: {}", this, e.toString());
            }
            Thread w = watchdog;
            if (w != null && w != Thread.currentThread()) {
                w.interrupt();
            }
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    // ------------------------------------------------------------------ reader thread

    private void run() {
        try {
            LoginPhase login = new LoginPhase(this, in, out, settings, server.accessPolicy(), (params, isid, tsih, cmdSn, c) -> {
                IscsiSession opened = server.openSession(params, isid, tsih, cmdSn, c);
                session = opened; // from here on teardown owns it, even if the final response fails
                // The access list may have changed since this login read it: a list put in force
                // before this point finds the session open and ends it (IscsiServer.endSessions),
                // one put in force after the session was set up sees it here. Either way a login
                // never survives a list that no longer allows it. Ends in a 02/02 reject; teardown
                // closes the session just opened.
                if (server.deniesNow(params)) {
                    throw new LoginRejectException(LoginStatus.AUTHORIZATION_FAILURE,
                            "the access list changed during the login and no longer allows this initiator");
                }
                return opened;
            });
            IscsiSession s = login.run();
            if (s == null) {
                return;
            }
            NegotiatedParameters p = s.params;
            in.setDigests(p.headerDigest(), p.dataDigest());
            in.setMaxDataSegmentLength(p.targetMaxRecvDataSegmentLength());
            out.setDigests(p.headerDigest(), p.dataDigest());
            engine = new TaskEngine(this, s, server.commandSet(), server.pool(), server.executor(),
                    settings.maxTransferLength());
            taskManagement = new TaskManagement(this, s, engine, server.commandSet(), server.executor(),
                    server::dropAllConnections);
            text = new TextExchange(this, s, settings.targetName(), () -> server.targetAddresses(local));
            LOG.info("{}: {} session {} of {} (isid {}, tsih {}) logged in; auth {}, digests {}/{}, MRDSL {}/{}, "
                            + "burst {}/{}, ImmediateData {}, InitialR2T {}, MaxOutstandingR2T {}",
                    this, s.discovery() ? "discovery" : "normal", s.nexusId, p.initiatorName(), s.isidHex, s.tsih, p.auth(),
                    p.headerDigest() ? "CRC32C" : "None", p.dataDigest() ? "CRC32C" : "None",
                    p.initiatorMaxRecvDataSegmentLength(), p.targetMaxRecvDataSegmentLength(), p.firstBurstLength(),
                    p.maxBurstLength(), p.immediateData(), p.initialR2t(), p.maxOutstandingR2t());
            in.fullSize();
            out.fullSize();
            fullFeaturePhase(s);
        } catch (MalformedPduException e) {
            long suppressed = session == null ? server.troubleLine() : 0; // before login: bounded, a client may loop
            if (suppressed >= 0) {
                LOG.warn("{}: malformed PDU ({}): {}; closing the connection{}", this, e.kind(), e.getMessage(),
                        LogThrottle.more(suppressed));
            } else {
                LOG.debug("{}: malformed PDU ({}): {}; closing the connection", this, e.kind(), e.getMessage());
            }
            rejectMalformed(e);
        } catch (EOFException | ClosedChannelException e) {
            LOG.debug("{}: closed: {}", this, e.toString());
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.info("{}: connection lost: {}", this, e.toString());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: internal error; closing this connection", this, e);
        } finally {
            lingeringClose();
            teardown();
        }
    }

    /**
     * Closes after our last PDU (a login reject, a Reject, a Logout Response) has a chance to
     * arrive: drain what the initiator sends until it closes or a deadline passes, then close.
     * Closing with unread input would send an RST, and an RST can make the initiator's stack drop
     * our last PDU unread. After a Logout Response the initiator closes the connection itself
     * (RFC 7143 11.14), so we leave that to it for up to {@link #LOGOUT_CLOSE_WAIT_MS} and do not
     * half-close first, as tgtd does: Debian 12's iscsi_tcp with recv_from_iscsi_q=Y was seen to
     * crash (NULL dereference in iscsi_sw_tcp_recv_data_work) when our FIN raced its processing
     * of the Logout Response. Otherwise we half-close at once and wait 200 ms.
     */
    private void lingeringClose() {
        if (closed.get()) {
            return;
        }
        try {
            if (!loggedOut) {
                channel.shutdownOutput();
            }
            channel.configureBlocking(false);
            ByteBuffer sink = ByteBuffer.allocate(16 * 1024);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(loggedOut ? LOGOUT_CLOSE_WAIT_MS : 200);
            while (System.nanoTime() < deadline && !closed.get()) {
                sink.clear();
                int n = channel.read(sink);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    Thread.sleep(5);
                }
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private void rejectMalformed(MalformedPduException e) {
        if (e.kind() == MalformedPduException.Kind.HEADER_DIGEST || closed.get()) {
            return;
        }
        ReasonCode reason = e.kind() == MalformedPduException.Kind.DATA_DIGEST ? ReasonCode.DATA_DIGEST_ERROR
                : ReasonCode.PROTOCOL_ERROR;
        try {
            ByteBuffer h = in.header();
            if (session == null) {
                // still logging in: the answer is a Login Response (02/00), not a Reject
                if (Bhs.opcode(h) == Bhs.OP_LOGIN_REQ) {
                    byte[] isid = new byte[6];
                    h.get(8, isid);
                    send(List.of(new PduWriter.Out(TargetPdus.loginResponse(false, false, (Bhs.flags(h) >>> 2) & 3, 0,
                            isid, 0, h.getInt(Bhs.ITT), 2, 0), null, PduWriter.Sn.ADVANCE)));
                }
                return;
            }
            reject(reason, h);
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    private void fullFeaturePhase(IscsiSession s) throws IOException {
        while (in.readHeader()) {
            lastReceiveNanos = System.nanoTime();
            pingSentNanos = 0;
            ByteBuffer h = in.header();
            int opcode = Bhs.opcode(h);
            switch (opcode) {
                case Bhs.OP_SCSI_CMD -> {
                    if (s.discovery()) {
                        in.skipData();
                        reject(ReasonCode.PROTOCOL_ERROR, h);
                    } else {
                        engine.onScsiCommand(in);
                    }
                }
                case Bhs.OP_DATA_OUT -> {
                    if (s.discovery()) {
                        in.skipData();
                        reject(ReasonCode.PROTOCOL_ERROR, h);
                    } else {
                        engine.onDataOut(in);
                    }
                }
                case Bhs.OP_NOP_OUT -> onNopOut(s, h);
                case Bhs.OP_TMF_REQ -> {
                    in.skipData();
                    if (s.discovery()) {
                        reject(ReasonCode.PROTOCOL_ERROR, h);
                    } else if (sequenced(s, h)) {
                        taskManagement.onRequest(h, h.getInt(Bhs.CMD_SN));
                    }
                }
                case Bhs.OP_TEXT_REQ -> {
                    byte[] data = in.readDataBytes();
                    if (sequenced(s, h)) {
                        text.onRequest(h, data);
                    }
                }
                case Bhs.OP_LOGOUT_REQ -> {
                    in.skipData();
                    if (sequenced(s, h) && onLogout(s, h)) {
                        loggedOut = true;
                        return;
                    }
                }
                case Bhs.OP_SNACK -> {
                    in.skipData();
                    reject(ReasonCode.PROTOCOL_ERROR, h); // ErrorRecoveryLevel 0: no SNACK
                }
                case Bhs.OP_LOGIN_REQ -> {
                    in.skipData();
                    reject(ReasonCode.PROTOCOL_ERROR, h);
                }
                default -> {
                    in.skipData();
                    reject(ReasonCode.COMMAND_NOT_SUPPORTED, h);
                }
            }
        }
    }

    /** CmdSN check of a non-SCSI request; false: drop it (out of window). */
    private boolean sequenced(IscsiSession s, ByteBuffer h) {
        if (Bhs.immediate(h)) {
            return true;
        }
        int cmdSn = h.getInt(Bhs.CMD_SN);
        if (s.acceptNonImmediate(cmdSn, false)) {
            return true;
        }
        LOG.warn("{}: dropping opcode 0x{} with CmdSN {} outside the window (ExpCmdSN {})", this,
                Integer.toHexString(Bhs.opcode(h)), Integer.toUnsignedString(cmdSn),
                Integer.toUnsignedString(s.expCmdSn()));
        return false;
    }

    private void onNopOut(IscsiSession s, ByteBuffer h) throws IOException {
        int itt = h.getInt(Bhs.ITT);
        if (itt == Bhs.RESERVED_TAG) {
            in.skipData(); // an answer to our ping (TTT) or a bare CmdSN update: no response
            return;
        }
        byte[] data = in.readDataBytes();
        if (!sequenced(s, h)) {
            return;
        }
        int echo = Math.min(data.length, s.params.initiatorMaxRecvDataSegmentLength());
        ByteBuffer payload = echo == 0 ? null : ByteBuffer.wrap(data, 0, echo);
        send(List.of(new PduWriter.Out(TargetPdus.nopIn(Bhs.rawLun(h), itt, Bhs.RESERVED_TAG), payload,
                PduWriter.Sn.ADVANCE)));
    }

    /** @return true when the connection is to close now */
    private boolean onLogout(IscsiSession s, ByteBuffer h) throws IOException {
        int itt = h.getInt(Bhs.ITT);
        int reason = Bhs.flags(h) & 0x7f;
        NegotiatedParameters p = s.params;
        if (reason == 2) {
            send(List.of(new PduWriter.Out(TargetPdus.logoutResponse(
                    LogoutResponse.CONNECTION_RECOVERY_NOT_SUPPORTED.value() & 0xff, itt, 0, 0), null,
                    PduWriter.Sn.ADVANCE)));
            return false;
        }
        if (reason > 2) {
            reject(ReasonCode.INVALID_PDU_FIELD, h);
            return false;
        }
        // Close session / close connection (the same with one connection per session): no further
        // commands come; tasks still waiting for data are aborted, executing ones finish first.
        if (engine != null) {
            waitFor(engine.abortAll(t -> t.state() == ScsiTask.State.RECEIVING));
            waitFor(s.tasks.values().stream().map(t -> t.done).toList());
        }
        send(List.of(new PduWriter.Out(TargetPdus.logoutResponse(
                LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY.value() & 0xff, itt, p.defaultTime2Wait(),
                p.defaultTime2Retain()), null, PduWriter.Sn.ADVANCE)));
        LOG.info("{}: logout (reason {})", this, reason);
        return true;
    }

    private void waitFor(List<CompletableFuture<Void>> waits) {
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(TEARDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: tasks still running after {} s", this, TEARDOWN_WAIT_SECONDS);
        }
    }

    private void teardown() {
        try {
            IscsiSession s = session;
            if (s != null) {
                if (engine != null) {
                    waitFor(engine.abortAll(t -> true));
                }
                if (s.handle != null) {
                    try {
                        s.handle.close();
                    } catch (RuntimeException e) {
                        LOG.warn("{}: closing the nexus handle", this, e);
                    }
                }
                server.sessionClosed(s);
            }
            Thread w = watchdog;
            if (w != null) {
                w.interrupt();
                try {
                    w.join(TimeUnit.SECONDS.toMillis(TEARDOWN_WAIT_SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            server.connectionClosed(this);
            finished.complete(null);
        }
    }

    // ------------------------------------------------------------------ watchdog thread

    private void watch() {
        long interval = settings.nopInInterval().toNanos();
        long timeout = settings.nopInTimeout().toNanos();
        long login = settings.loginTimeout().toNanos();
        long tick = Math.clamp(Math.min(interval, timeout) / 4, TimeUnit.MILLISECONDS.toNanos(10),
                TimeUnit.SECONDS.toNanos(1));
        try {
            while (!closed.get()) {
                TimeUnit.NANOSECONDS.sleep(tick);
                long now = System.nanoTime();
                IscsiSession s = session;
                if (s == null) {
                    if (now - startNanos > login) {
                        long suppressed = server.troubleLine();
                        if (suppressed >= 0) {
                            LOG.info("{}: login not finished within {}; closing{}", this, settings.loginTimeout(), LogThrottle.more(suppressed));
                        } else {
                            LOG.debug("{}: login not finished within {}; closing", this, settings.loginTimeout());
                        }
                        close();
                    }
                    continue;
                }
                long idle = now - lastReceiveNanos;
                if (idle > interval + timeout) {
                    LOG.warn("{}: no answer to NOP-In for {} ms; closing", this, TimeUnit.NANOSECONDS.toMillis(idle));
                    close();
                } else if (idle > interval && pingSentNanos == 0) {
                    pingSentNanos = now;
                    int ttt = nextPingTtt.getAndIncrement();
                    if (ttt == Bhs.RESERVED_TAG) {
                        nextPingTtt.set(0x80000000);
                        ttt = nextPingTtt.getAndIncrement();
                    }
                    try {
                        out.send(List.of(new PduWriter.Out(TargetPdus.nopIn(0, Bhs.RESERVED_TAG, ttt), null,
                                PduWriter.Sn.PEEK)));
                    } catch (IOException e) {
                        close();
                    }
                }
            }
        } catch (InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("{}: watchdog failed", this, e);
            close();
        }
    }

    @Override
    public String toString() {
        return "iscsi-conn-" + id + "[" + remote + "]";
    }
}
