package io.jzram.cli;

import io.jzram.cli.dispatch.LocalDispatcher;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramRegistry;
import io.jzram.target.iscsi.SessionInfo;
import io.jzram.target.scsi.ItNexus;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ScsiCommandSet;
import io.jzram.target.scsi.ZramCommandSet;
import java.net.InetSocketAddress;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs commands as the server runs them, against a registry of its own and the target's SCSI
 * layer over it (no iSCSI server: {@link #login} attaches a session as a login would).
 */
public final class Harness implements AutoCloseable {
    public final ZramRegistry registry = new ZramRegistry();
    public final List<SessionInfo> sessions = new ArrayList<>();
    /**
     * The SCSI layer of a target, without the iSCSI server: sessions attach to it directly
     * ({@link #login}). Null for {@link #withoutTarget()}.
     */
    public final ZramCommandSet target;
    public final Engine engine;
    public final CliContext context;
    public final LocalDispatcher dispatcher;
    private final java.util.concurrent.atomic.AtomicLong nexusIds = new java.util.concurrent.atomic.AtomicLong();

    public Harness() {
        this(true);
    }

    private Harness(boolean withTarget) {
        target = withTarget ? new ZramCommandSet(registry, new LunIdentity("iqn.2026-11.io.jzram:test")) : null;
        engine = new Engine(registry, () -> List.copyOf(sessions), target == null ? null : target.luns(), Duration.ofSeconds(5));
        context = CliContext.client(Map.of("HOME", System.getProperty("java.io.tmpdir")), InputStream.nullInputStream(), false, false)
                .inServer(engine, false, true);
        dispatcher = new LocalDispatcher(context, false, 0);
    }

    /** A harness whose engine has no iSCSI target: no device is a LUN. */
    public static Harness withoutTarget() {
        return new Harness(false);
    }

    public record Result(int status, String out, String err) {}

    public Result run(String... argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = dispatcher.run(List.of(argv), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    /** Runs a command that must succeed and returns its stdout. */
    public String ok(String... argv) {
        Result r = run(argv);
        if (r.status() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed with " + r.status() + ": " + r.err());
        }
        return r.out();
    }

    /** A logged-in initiator as the SCSI layer sees it: it has (and holds) every exported device. */
    public ScsiCommandSet.NexusHandle login(String initiator) {
        return target.attach(new ItNexus(nexusIds.incrementAndGet(), initiator, "400001370000",
                InetSocketAddress.createUnresolved("127.0.0.1", 40000)));
    }

    @Override
    public void close() throws Exception {
        if (target != null) {
            target.close();
        }
        for (var d : registry.devices()) {
            registry.hotRemove(d.id(), true, Duration.ofSeconds(5));
        }
    }
}
