package io.jzram.cli;

import io.jzram.core.ZramRegistry;
import io.jzram.target.iscsi.SessionInfo;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs commands as the server runs them, against a registry of its own (no iSCSI). */
final class Harness implements AutoCloseable {
    final ZramRegistry registry = new ZramRegistry();
    final List<SessionInfo> sessions = new ArrayList<>();
    final Engine engine = new Engine(registry, () -> List.copyOf(sessions), true, Duration.ofSeconds(5));
    final CliContext context = CliContext.client(Map.of("HOME", System.getProperty("java.io.tmpdir")), InputStream.nullInputStream(), false, false)
            .inServer(engine, false, true);
    final LocalDispatcher dispatcher = new LocalDispatcher(context, false, 0);

    record Result(int status, String out, String err) {}

    Result run(String... argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = dispatcher.run(List.of(argv), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    /** Runs a command that must succeed and returns its stdout. */
    String ok(String... argv) {
        Result r = run(argv);
        if (r.status() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed with " + r.status() + ": " + r.err());
        }
        return r.out();
    }

    @Override
    public void close() throws Exception {
        for (var d : registry.devices()) {
            registry.hotRemove(d.id(), true, Duration.ofSeconds(5));
        }
    }
}
