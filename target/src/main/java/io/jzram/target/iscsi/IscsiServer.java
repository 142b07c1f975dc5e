package io.jzram.target.iscsi;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.jscsi.parser.login.LoginStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jzram.core.concurrent.GuardedBy;
import io.jzram.target.auth.AccessControl;
import io.jzram.target.auth.AccessDecision;
import io.jzram.target.auth.AccessPolicy;
import io.jzram.target.scsi.ItNexus;
import io.jzram.target.scsi.ScsiCommandSet;

/**
 * The iSCSI target server: listens, accepts connections, keeps the registry of sessions, answers
 * discovery with our portals, and stops cleanly.
 *
 * <p>Lifecycle: NEW → {@link #start()} (binds, starts the accept thread; returns once bound) →
 * RUNNING → {@link #stop()} → STOPPED. Stop closes the listening channel (which makes a blocked
 * accept() return), closes every connection, waits for each connection's teardown (tasks ended,
 * nexus handles closed), then shuts the task executor down and joins every thread it started. A
 * server is not restartable.
 *
 * <p>Threads: one platform thread accepts; each connection has a virtual reader and a virtual
 * watchdog thread; SCSI commands and task-management responses run at once on virtual threads of
 * the task executor, {@link TaskThreads}, which reuses them. Nothing that happens on a connection
 * can stop the accept loop: failures are logged and close that connection only.
 *
 * <p>Sessions: one connection per session (MaxConnections=1). TSIHs are unique among live
 * sessions; a normal login with the InitiatorName and ISID of a live session reinstates it: the
 * old session's connection is closed and torn down before the new one attaches (RFC 7143 §6.3.5).
 *
 * <p>Access: every login asks the {@link AccessPolicy} given to the constructor (default
 * {@link AccessPolicy#OPEN}: anyone, AuthMethod=None) who may log in and whether with CHAP. Give
 * an {@link AccessControl} to change the rules while running; sessions already logged in stay.
 */
public final class IscsiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiServer.class);
    private static final long STOP_WAIT_MILLIS = 15_000;

    private final IscsiServerSettings settings;
    private final ScsiCommandSet commandSet;
    private final AccessPolicy accessPolicy;
    private final BufferPool pool = new BufferPool(256L * 1024 * 1024);
    private final TrackedThreads threads = new TrackedThreads();
    /** How many task threads may wait for work at once (see {@link TaskThreads}). */
    private static final int IDLE_TASK_THREADS = 1024;
    /** Runs SCSI commands and task-management functions, each at once on a virtual thread (reused). */
    private final TaskThreads executor = new TaskThreads(
            Thread.ofVirtual().name("jzram-iscsi-task-", 0).factory(), IDLE_TASK_THREADS);
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong nexusIds = new AtomicLong();

    /** Every connection from accept to the end of its teardown, with its place in {@link #admission}. */
    private final Map<IscsiConnection, ConnectionAdmission.Ticket> connections = new ConcurrentHashMap<>();
    /** The connection caps, asked before anything is built for an accepted connection. */
    private final ConnectionAdmission admission;
    /** Connections refused by the caps: a few lines a minute, the rest counted. */
    private final LogThrottle refusedLog = new LogThrottle(5, TimeUnit.SECONDS.toNanos(60));
    /**
     * Trouble before or during login (malformed PDUs, rejected logins, login time-outs): a client
     * in a loop must not flood the log, so at most 20 lines a minute pass, the rest are counted.
     */
    private final LogThrottle troubleLog = new LogThrottle(20, TimeUnit.SECONDS.toNanos(60));
    /** Live sessions by TSIH. Read lock-free; allocation of a TSIH under {@link #sessionLock}. */
    @GuardedBy("sessionLock") // writes
    private final Map<Integer, IscsiConnection> sessions = new ConcurrentHashMap<>();
    private final Object sessionLock = new Object();
    /** Next TSIH to try (1..65535). */
    @GuardedBy("sessionLock")
    private int nextTsih = 1;

    /** Guards start/stop transitions. */
    private final Object lifecycle = new Object();
    private ServerSocketChannel listener;
    private Thread acceptor;
    private volatile boolean stopping;
    private volatile InetSocketAddress bound;

    /** A target open to every initiator, without authentication. */
    public IscsiServer(IscsiServerSettings settings, ScsiCommandSet commandSet) {
        this(settings, commandSet, AccessPolicy.OPEN);
    }

    /** A target that asks {@code accessPolicy} who may log in, and how. */
    public IscsiServer(IscsiServerSettings settings, ScsiCommandSet commandSet, AccessPolicy accessPolicy) {
        if (accessPolicy == null) {
            throw new IllegalArgumentException("no access policy");
        }
        this.settings = settings;
        this.commandSet = commandSet;
        this.accessPolicy = accessPolicy;
        this.admission = new ConnectionAdmission(settings.maxConnections(), settings.maxConnectionsPerAddress());
    }

    public AccessPolicy accessPolicy() {
        return accessPolicy;
    }

    public IscsiServerSettings settings() {
        return settings;
    }

    /** Binds and starts accepting. Returns once the socket is bound. */
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (listener != null || stopping) {
                throw new IllegalStateException("already started");
            }
            ServerSocketChannel ch = ServerSocketChannel.open();
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(settings.listen(), 128);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            listener = ch;
            bound = (InetSocketAddress) ch.getLocalAddress();
            acceptor = Thread.ofPlatform().name("jzram-iscsi-accept-" + bound.getPort()).daemon().unstarted(this::acceptLoop);
            acceptor.start();
            LOG.info("iSCSI target {} listening on {}", settings.targetName(), bound);
        }
    }

    /** The address actually bound (the real port when the settings asked for port 0). */
    public InetSocketAddress boundAddress() {
        InetSocketAddress b = bound;
        if (b == null) {
            throw new IllegalStateException("not started");
        }
        return b;
    }

    /** A snapshot of the logged-in sessions. */
    public List<SessionInfo> sessions() {
        List<SessionInfo> list = new ArrayList<>();
        for (IscsiConnection c : sessions.values()) {
            IscsiSession s = c.session();
            if (s != null) {
                list.add(new SessionInfo(s.params.initiatorName(), s.isidHex, s.tsih, s.remote, s.since, s.discovery(),
                        c.bytesIn(), c.bytesOut(), s.commands.get(), s.activeTasks(), s.params.auth()));
            }
        }
        return list;
    }

    /**
     * Ends the normal sessions whose initiator {@code ended} picks, as an access list that no
     * longer allows them does: each session's connection is closed (its tasks aborted, its nexus
     * handle closed in the teardown, so its LUNs' holders are released); the initiator may try to
     * log in again and the access policy decides. Discovery sessions are left alone. Returns how
     * many sessions were ended; the teardowns finish in the background.
     */
    public int endSessions(Predicate<String> ended) {
        int n = 0;
        for (IscsiConnection c : sessions.values()) {
            IscsiSession s = c.session();
            if (s != null && !s.discovery() && ended.test(s.params.initiatorName())) {
                LOG.info("{}: ending the session of {}: the access list no longer allows it", c, s.params.initiatorName());
                c.close();
                n++;
            }
        }
        return n;
    }

    /** Stops: unblocks accept, drops every connection, closes nexus handles, joins all threads. Idempotent. */
    public void stop() {
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the listener", e);
        }
        try {
            if (acceptor != null) {
                acceptor.join(STOP_WAIT_MILLIS);
            }
            dropAllConnections();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
            for (IscsiConnection c : connections.keySet().toArray(IscsiConnection[]::new)) {
                long left = deadline - System.nanoTime();
                try {
                    c.finished.get(Math.max(left, 1), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    LOG.warn("{} did not finish its teardown", c);
                }
            }
            executor.shutdown();
            if (!executor.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("task threads still running after stop; interrupting");
                executor.shutdownNow();
            }
            if (!threads.joinAll(STOP_WAIT_MILLIS)) {
                LOG.warn("{} connection threads still running after stop", threads.liveCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("iSCSI target {} stopped", settings.targetName());
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop() {
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (stopping) {
                    break;
                }
                LOG.warn("accept failed", e);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    break;
                }
                continue;
            }
            ConnectionAdmission.Ticket ticket = admit(ch);
            if (ticket == null) {
                continue; // refused: closed, nothing built
            }
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                IscsiConnection c = new IscsiConnection(connectionIds.incrementAndGet(), this, ch, settings);
                connections.put(c, ticket);
                LOG.debug("{}: accepted", c);
                c.start();
                if (stopping) {
                    c.close();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("setting up an accepted connection failed", e);
                ticket.release();
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /**
     * Asks the connection caps about an accepted connection. Refused: the socket is closed at once
     * (the client sees its connection reset or closed before any PDU; there is no iSCSI way to
     * refuse before a login), the refusal logged at a bounded rate, and null returned.
     */
    private ConnectionAdmission.Ticket admit(SocketChannel ch) {
        InetAddress source = null;
        try {
            if (ch.getRemoteAddress() instanceof InetSocketAddress a) {
                source = a.getAddress();
            }
        } catch (IOException e) {
            // the peer is gone already: count it under no address, it is closed soon enough
        }
        ConnectionAdmission.Decision d = admission.admit(source == null ? InetAddress.getLoopbackAddress() : source);
        if (d.admitted()) {
            return d.ticket();
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a refused connection: nothing more to do
        }
        String why = d.refusal() == ConnectionAdmission.Refusal.TOTAL
                ? admission.max() + " connections already (max_connections)"
                : admission.perAddress() + " connections from that address already (max_connections_per_address)";
        long suppressed = refusedLog.admit();
        if (suppressed >= 0) {
            LOG.warn("refused a connection from {}: {}{}", source == null ? "?" : source.getHostAddress(), why, LogThrottle.more(suppressed));
        } else {
            LOG.debug("refused a connection from {}: {}", source, why);
        }
        return null;
    }

    /**
     * The throttle of pre-login trouble lines (see {@link #troubleLog}): -1 to log at debug only,
     * else the count of lines suppressed since the last one.
     */
    long troubleLine() {
        return troubleLog.admit();
    }

    // ------------------------------------------------------------------ for connections

    ScsiCommandSet commandSet() {
        return commandSet;
    }

    BufferPool pool() {
        return pool;
    }

    ExecutorService executor() {
        return executor;
    }

    TrackedThreads threads() {
        return threads;
    }

    /** Threads started for connections that are still alive (tests: 0 after stop). */
    int liveThreads() {
        return threads.liveCount();
    }

    int openConnections() {
        return connections.size();
    }

    /** Whether the access policy in force now refuses a normal session of {@code p}'s initiator (a login that began under older rules). */
    boolean deniesNow(NegotiatedParameters p) {
        return !p.discovery() && accessPolicy.normalSession(p.initiatorName(), settings.targetName()) instanceof AccessDecision.Denied;
    }

    /** Called by a login about to complete: assigns the TSIH, attaches a normal session to the SCSI layer. */
    IscsiSession openSession(NegotiatedParameters p, byte[] isid, int requestedTsih, int cmdSn, IscsiConnection conn)
            throws LoginRejectException {
        if (stopping) {
            throw new LoginRejectException(LoginStatus.SERVICE_UNAVAILABLE, "target is stopping");
        }
        if (!p.discovery()) {
            reinstate(p.initiatorName(), isid);
        }
        int tsih;
        synchronized (sessionLock) {
            tsih = -1;
            for (int i = 0; i < 65535; i++) {
                int candidate = nextTsih;
                nextTsih = nextTsih == 65535 ? 1 : nextTsih + 1;
                if (!sessions.containsKey(candidate)) {
                    tsih = candidate;
                    break;
                }
            }
            if (tsih < 0) {
                throw new LoginRejectException(LoginStatus.OUT_OF_RESOURCES, "no free TSIH");
            }
            sessions.put(tsih, conn);
        }
        long nexusId = nexusIds.incrementAndGet();
        ScsiCommandSet.NexusHandle handle = null;
        if (!p.discovery()) {
            try {
                handle = commandSet.attach(new ItNexus(nexusId, p.initiatorName(),
                        java.util.HexFormat.of().formatHex(isid), conn.remote));
            } catch (RuntimeException e) {
                sessions.remove(tsih, conn);
                LOG.error("{}: attaching the session to the SCSI layer failed", conn, e);
                throw new LoginRejectException(LoginStatus.TARGET_ERROR, "attach failed: " + e);
            }
        }
        return new IscsiSession(nexusId, tsih, isid, p, conn.remote, settings.commandWindow(), cmdSn, handle);
    }

    private void reinstate(String initiatorName, byte[] isid) {
        for (IscsiConnection c : sessions.values()) {
            IscsiSession s = c.session();
            if (s != null && !s.discovery() && s.params.initiatorName().equals(initiatorName)
                    && java.util.Arrays.equals(s.isid, isid)) {
                LOG.info("{}: session reinstatement: closing the old session tsih {}", c, s.tsih);
                c.close();
                try {
                    c.finished.get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    LOG.warn("{}: old session did not finish", c);
                }
            }
        }
    }

    void sessionClosed(IscsiSession s) {
        sessions.computeIfPresent(s.tsih, (k, c) -> c.session() == s ? null : c);
    }

    void connectionClosed(IscsiConnection c) {
        ConnectionAdmission.Ticket ticket = connections.remove(c);
        if (ticket != null) {
            ticket.release();
        }
    }

    /** Closes every connection (stop, TARGET COLD RESET). */
    void dropAllConnections() {
        for (IscsiConnection c : connections.keySet().toArray(IscsiConnection[]::new)) {
            c.close();
        }
    }

    /** TargetAddress values for SendTargets, as seen from a connection arriving at {@code local}. */
    List<String> targetAddresses(InetSocketAddress local) {
        List<InetSocketAddress> portals = settings.advertisedPortals();
        if (portals.isEmpty()) {
            InetSocketAddress b = boundAddress();
            if (b.getAddress().isAnyLocalAddress()) {
                portals = List.of(new InetSocketAddress(local.getAddress(), b.getPort()));
            } else {
                portals = List.of(b);
            }
        }
        List<String> out = new ArrayList<>();
        for (InetSocketAddress a : portals) {
            out.add(formatPortal(a) + "," + settings.portalGroupTag());
        }
        return out;
    }

    static String formatPortal(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host;
        if (ip == null) {
            host = a.getHostString();
        } else if (ip instanceof Inet6Address) {
            host = "[" + compactIpv6(ip.getAddress()) + "]"; // no zone id: it means nothing to the initiator
        } else {
            host = ip.getHostAddress();
        }
        return host + ":" + a.getPort();
    }

    /** RFC 5952 text form: lower case, longest run of two or more zero groups as "::". */
    static String compactIpv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
