package io.jzram.cli;

import io.jzram.cli.control.ControlPaths;
import io.jzram.cli.control.ControlServer;
import io.jzram.cli.shell.Shell;
import io.jzram.core.ZramDevice;
import io.jzram.target.iscsi.IscsiServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the server: devices, the iSCSI target, the control socket and, on a terminal, the shell. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        header = "Run the iSCSI target with its devices.",
        description = {
            "Creates the --device devices (zram0, zram1, ... in order), exports every device as the iSCSI "
                    + "LUN with its number, listens for initiators and for jzram commands on the control socket. "
                    + "With stdin on a terminal (and no --no-shell) it runs the interactive shell and stops when "
                    + "you leave it; otherwise it runs until SIGTERM or SIGINT.",
            "",
            "Stopping drops the sessions, stops the target, frees every device's memory and removes the "
                    + "control socket; the exit status is then 0.",
            "",
            "Logs go to stderr (info level; --verbose: debug, --quiet: warnings only).",
        })
final class ServeCommand extends BaseCommand {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:3260",
            description = "the iSCSI portal to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 or [::] for every interface, port 0 for any free port")
    String listen;

    @Option(names = "--advertise", paramLabel = "HOST:PORT",
            description = "a portal to tell initiators in discovery, instead of the one they connected to (NAT, port forwarding); repeatable")
    List<String> advertise = new ArrayList<>();

    @Option(names = "--iqn", paramLabel = "IQN", description = "the target's iSCSI name (default: iqn.2026-11.io.jzram:HOSTNAME)")
    String iqn;

    @Option(names = "--config", paramLabel = "FILE", description = "a configuration file (not supported yet)")
    Path config;

    @Option(names = "--no-shell", description = "never run the interactive shell, even on a terminal")
    boolean noShell;

    @Option(names = "--device", paramLabel = "SIZE[:ALGORITHM]",
            description = "create and set up a device at start: SIZE in zramctl's syntax (1G, 256M, 1.5G), ALGORITHM lz4 by default; repeatable")
    List<String> devices = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (context().isServer()) {
            return fail("serve: a server is already running here");
        }
        if (config != null) {
            return fail("serve: --config " + config + ": configuration files are not supported yet; give the settings as options (see 'jzram serve --help')");
        }
        List<DeviceSpec> specs = new ArrayList<>();
        IscsiServerSettings settings;
        try {
            for (String d : devices) {
                specs.add(DeviceSpec.parse(d));
            }
            settings = IscsiServerSettings.defaults().withListen(address("--listen", listen, true));
            List<InetSocketAddress> portals = new ArrayList<>();
            for (String a : advertise) {
                portals.add(address("--advertise", a, false));
            }
            settings = settings.withAdvertisedPortals(portals);
            if (iqn != null) {
                settings = settings.withTargetName(iqn);
            }
        } catch (IllegalArgumentException e) {
            return fail("serve: " + e.getMessage());
        }
        Logging.configure(root.verbose, root.quiet);
        Path socket = ControlPaths.resolve(root.controlSocket, context().env());
        JzramServer server = new JzramServer(new JzramServer.Settings(settings, socket, specs, Engine.DEFAULT_DRAIN_TIMEOUT), context());
        boolean interactive = !noShell && context().stdinTerminal();
        // Signals first: one that arrives while starting stops the server once it has started.
        CountDownLatch stop = new CountDownLatch(1);
        List<Runnable> restore = new ArrayList<>();
        if (interactive) {
            restore.add(Signals.handle("TERM", () -> {
                server.stop();
                System.exit(ExitCodes.OK);
            }));
        } else {
            restore.add(Signals.handle("TERM", stop::countDown));
            restore.add(Signals.handle("INT", stop::countDown));
        }
        Thread hook = new Thread(server::stop, "jzram-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try {
                server.start();
            } catch (ControlServer.AlreadyRunningException e) {
                return fail("serve: " + e.getMessage());
            } catch (BindException e) {
                return fail("serve: cannot listen on " + listen + ": " + e.getMessage());
            } catch (IOException e) {
                return fail("serve: " + e.getMessage());
            }
            LoggerFactory.getLogger(ServeCommand.class).info("jzram {}: target {} on {}, {} device{}, control socket {}",
                    Version.number(), server.targetName(), server.boundAddress(), specs.size(), specs.size() == 1 ? "" : "s",
                    server.controlSocket());
            if (interactive) {
                runShell(server);
            } else {
                stop.await();
            }
        } finally {
            server.stop();
            restore.forEach(Runnable::run);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return ExitCodes.OK;
    }

    private void runShell(JzramServer server) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("jzram").build()) {
            Engine engine = server.engine();
            CliContext inside = context().inServer(engine, true, true);
            boolean ansi = !context().env().containsKey("NO_COLOR") && !"dumb".equals(terminal.getType());
            LocalDispatcher dispatcher = new LocalDispatcher(inside, ansi, terminal.getWidth());
            Shell shell = new Shell(terminal, context().historyFile(),
                    dispatcher.commandLine(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter())),
                    embeddedBackend(dispatcher, engine),
                    Shell.banner(Version.number(), "serving " + server.targetName() + " on " + server.boundAddress()));
            PrintStream originalErr = System.err;
            System.setErr(new PrintStream(new AboveThePrompt(shell, originalErr), true, StandardCharsets.UTF_8));
            try {
                shell.run();
            } finally {
                System.setErr(originalErr);
            }
        }
    }

    /** The shell inside the server: commands run here; leaving stops the server. */
    static Shell.Backend embeddedBackend(Dispatcher dispatcher, Engine engine) {
        return new Shell.Backend() {
            @Override
            public Dispatcher dispatcher() {
                return dispatcher;
            }

            @Override
            public List<String> deviceNames() {
                return engine.registry().devices().stream().map(ZramDevice::name).toList();
            }

            @Override
            public void interrupt(Thread shellThread) {
                shellThread.interrupt();
            }

            @Override
            public String leaveQuestion() {
                int n = engine.normalSessions().size();
                return n == 0 ? null
                        : n + " initiator session" + (n == 1 ? " is" : "s are") + " logged in; leaving stops the server and drops "
                                + (n == 1 ? "it" : "them") + ". Stop the server?";
            }
        };
    }

    /** Log lines printed above the shell's prompt instead of through it. */
    private static final class AboveThePrompt extends OutputStream {
        private final Shell shell;
        private final PrintStream fallback;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        AboveThePrompt(Shell shell, PrintStream fallback) {
            this.shell = shell;
            this.fallback = fallback;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                LineReader reader = shell.reader();
                if (reader != null) {
                    reader.printAbove(text);
                } else {
                    fallback.println(text);
                }
            } else {
                line.write(b);
            }
        }
    }

    /** {@code HOST}, {@code HOST:PORT}, {@code [IPV6]:PORT}; the port defaults to 3260. */
    static InetSocketAddress address(String option, String text, boolean wildcardAllowed) {
        String host = text;
        int port = IscsiServerSettings.DEFAULT_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(option + " " + text + ": missing ']'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(option + " " + text + ": expected HOST:PORT");
                }
                port = port(option, text, rest.substring(1));
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                if (text.indexOf(':') != colon) {
                    throw new IllegalArgumentException(option + " " + text + ": put an IPv6 address in brackets: [ADDRESS]:PORT");
                }
                host = text.substring(0, colon);
                port = port(option, text, text.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(option + " " + text + ": no host");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + " " + text + ": unknown host " + host);
        }
        if (!wildcardAllowed && address.isAnyLocalAddress()) {
            throw new IllegalArgumentException(option + " " + text + ": cannot advertise a wildcard address");
        }
        return new InetSocketAddress(address, port);
    }

    private static int port(String option, String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text + ": bad port '" + port + "'");
        }
    }
}
