package io.jzram.cli.command;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import io.jzram.cli.Logging;
import io.jzram.cli.Signals;
import io.jzram.cli.Version;
import io.jzram.cli.dispatch.Dispatcher;
import io.jzram.cli.dispatch.LocalDispatcher;
import io.jzram.cli.server.Engine;
import io.jzram.cli.server.JzramServer;
import io.jzram.core.ZramRegistry;
import io.jzram.cli.control.ControlPaths;
import io.jzram.cli.control.ControlServer;
import io.jzram.cli.shell.Shell;
import io.jzram.config.AccessConfig;
import io.jzram.config.Config;
import io.jzram.config.ConfigError;
import io.jzram.config.ConfigException;
import io.jzram.config.ConfigFile;
import io.jzram.config.LogLevel;
import io.jzram.config.Portals;
import io.jzram.config.ServerConfig;
import io.jzram.core.ZramDevice;
import io.jzram.target.iscsi.IscsiServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.BindException;
import java.net.InetSocketAddress;
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
            "",
            "With --config FILE, each setting comes from the command line if given there, else from FILE, else "
                    + "the default: --listen over listen, --advertise over advertise, --iqn over iqn, --control-socket over "
                    + "control_socket (then $JZRAM_CONTROL_SOCKET ...), -v/-q over log_level. FILE's devices are created "
                    + "all or none (zram ids as the file gives them); --device cannot be added to a file that lists devices.",
        })
final class ServeCommand extends BaseCommand {

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "the iSCSI portal to listen on (default: the file's listen, else 127.0.0.1:3260); 0.0.0.0 or [::] for every interface, port 0 for any free port")
    String listen;

    @Option(names = "--advertise", paramLabel = "HOST:PORT",
            description = "a portal to tell initiators in discovery, instead of the one they connected to (NAT, port forwarding); repeatable")
    List<String> advertise = new ArrayList<>();

    @Option(names = "--iqn", paramLabel = "IQN", description = "the target's iSCSI name (default: iqn.2026-11.io.jzram:HOSTNAME)")
    String iqn;

    @Option(names = "--config", paramLabel = "FILE",
            description = "a configuration file (TOML, see config/README.md): its [server] settings, where no option gives them, and its devices, created at start; an invalid file starts nothing")
    Path config;

    @Option(names = "--allow-any-initiator",
            description = "listen beyond loopback with no [[initiator]] entry: any initiator that reaches the port may log in (the file's allow_any_initiator; a warning at start-up). Without it such a server refuses to start")
    boolean allowAnyInitiator;

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
        ConfigFile file = null;
        if (config != null) {
            try {
                file = Config.load(config.toString(), SaveConfigCommand.read(config));
            } catch (Failure f) {
                return fail("serve: --config: " + f.getMessage());
            } catch (ConfigException e) {
                for (ConfigError error : e.errors()) {
                    err().println(error);
                }
                return fail("serve: " + config + ": " + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s") + ", not started");
            }
            if (!devices.isEmpty() && !file.devices().isEmpty()) {
                return fail("serve: --device cannot be combined with a configuration file that lists devices (" + config
                        + " lists " + file.devices().size() + "); add the device to the file");
            }
        }
        // Precedence: the command line, then the file, then the defaults.
        ServerConfig fromFile = file == null ? ServerConfig.EMPTY : file.server();
        List<DeviceSpec> specs = new ArrayList<>();
        IscsiServerSettings settings = IscsiServerSettings.defaults();
        try {
            for (String d : devices) {
                specs.add(DeviceSpec.parse(d));
            }
            if (listen != null) {
                settings = settings.withListen(address("--listen", listen, true));
            } else if (fromFile.listen() != null) {
                settings = settings.withListen(fromFile.listen());
            }
            List<InetSocketAddress> portals = new ArrayList<>();
            for (String a : advertise) {
                portals.add(address("--advertise", a, false));
            }
            settings = settings.withAdvertisedPortals(portals.isEmpty() && fromFile.advertise() != null ? fromFile.advertise() : portals);
            if (iqn != null) {
                settings = settings.withTargetName(iqn);
            } else if (fromFile.iqn() != null) {
                settings = settings.withTargetName(fromFile.iqn());
            }
            if (fromFile.maxConnections() != null || fromFile.maxConnectionsPerAddress() != null) {
                int max = fromFile.maxConnections() != null ? fromFile.maxConnections() : settings.maxConnections();
                int per = fromFile.maxConnectionsPerAddress() != null ? fromFile.maxConnectionsPerAddress()
                        : Math.min(settings.maxConnectionsPerAddress(), max);
                settings = settings.withConnectionLimits(max, per);
            }
        } catch (IllegalArgumentException e) {
            return fail("serve: " + e.getMessage());
        }
        // Safe by default: open to any initiator only on loopback, unless the admin says so.
        boolean allowAny = allowAnyInitiator || Boolean.TRUE.equals(fromFile.allowAnyInitiator());
        AccessConfig access = file == null || file.access() == null ? AccessConfig.OPEN : file.access();
        if (access.exposes(settings.listen(), allowAny)) {
            // Ends here: nothing was started.
            return fail("serve: refusing to listen on " + Portals.format(settings.listen()) + " with no access control: any initiator"
                    + " that reaches it could read and write every device. Name the initiators that may log in ([[initiator]]"
                    + " in a --config file, see config/README.md), listen on 127.0.0.1, or pass --allow-any-initiator");
        }
        LogLevel level = root.verbose ? LogLevel.DEBUG : root.quiet ? LogLevel.WARN
                : fromFile.logLevel() != null ? fromFile.logLevel() : LogLevel.INFO;
        Logging.configure(level);
        Path socket = ControlPaths.resolve(root.controlSocket, context().env(), fromFile.controlSocket());
        JzramServer server = new JzramServer(new JzramServer.Settings(settings, socket, specs, ZramRegistry.DEFAULT_DRAIN_TIMEOUT, file, level,
                allowAny),
                context());
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
                return fail("serve: cannot listen on " + Portals.format(settings.listen()) + ": " + e.getMessage());
            } catch (IOException e) {
                return fail("serve: " + e.getMessage());
            }
            if (access.isOpen() && !settings.listen().getAddress().isLoopbackAddress()) {
                LoggerFactory.getLogger(ServeCommand.class).warn("listening on {} with no access control (allow_any_initiator):"
                        + " any initiator that reaches it may log in", Portals.format(settings.listen()));
            }
            int count = server.registry().devices().size();
            LoggerFactory.getLogger(ServeCommand.class).info("jzram {}: target {} on {}, {} device{}, control socket {}",
                    Version.number(), server.targetName(), server.boundAddress(), count, count == 1 ? "" : "s",
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

    /** {@code HOST}, {@code HOST:PORT}, {@code [IPV6]:PORT}; the port defaults to 3260 (see {@link Portals}). */
    static InetSocketAddress address(String option, String text, boolean wildcardAllowed) {
        try {
            return Portals.parse(text, wildcardAllowed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + text + ": " + e.getMessage());
        }
    }
}
