package io.jzram.cli.server;

import io.jzram.cli.CliContext;
import io.jzram.cli.Version;
import io.jzram.cli.command.DeviceSpec;
import io.jzram.cli.control.ControlServer;
import io.jzram.cli.dispatch.LocalDispatcher;
import io.jzram.config.Applier;
import io.jzram.config.ApplyFailedException;
import io.jzram.config.ConfigFile;
import io.jzram.config.LogLevel;
import io.jzram.config.Plan;
import io.jzram.config.Planner;
import io.jzram.config.RegistryOps;
import io.jzram.config.ServerConfig;
import io.jzram.config.Step;
import io.jzram.core.DeviceSetup;
import io.jzram.core.DeviceSetupException;
import io.jzram.core.TieringDaemon;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import io.jzram.target.auth.AccessControl;
import io.jzram.target.auth.AccessRules;
import io.jzram.target.iscsi.IscsiServer;
import io.jzram.target.iscsi.IscsiServerSettings;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ZramCommandSet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running jzram: the devices, the iSCSI target exporting each device as the LUN with its id
 * (unless it is unexported: a configuration's {@code exported = false}, {@code jzram unexport}),
 * and the control socket through which {@code jzram COMMAND} reaches them.
 *
 * <p>{@link #start()} creates the SCSI layer (the command set, which keeps the export setting),
 * and the access list (open until a configuration file's [[initiator]] entries are put in force
 * with its devices, before the portal opens), then the devices asked for, so that one a configuration file keeps unexported never appears as
 * a LUN; then the background tiering worker ({@link TieringDaemon}), which moves each device's
 * cold pages down as its tiering policy asks (recompress_idle_after, writeback_idle_after) and
 * whose failures (a full backing device) are logged once per device and reason, repeats at debug
 * level ({@link TieringFailures}); then binds the control socket (failing if another server
 * answers there), then the iSCSI portal. {@link #stop()} (idempotent, also from a
 * shutdown hook) undoes it all: the control socket file is removed, the target stops (sessions
 * are dropped), the tiering worker stops, the devices are reset and removed, so their memory is
 * freed at once.
 */
public final class JzramServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JzramServer.class);

    /**
     * @param iscsi the target's settings (listen address, portals, IQN)
     * @param controlSocket the control socket, or null for none
     * @param devices devices to create and set up at start, zram0 first
     * @param drainTimeout how long forced resets wait for in-flight I/O
     * @param config a configuration file whose devices are created at start (after {@code devices}), or null
     * @param logLevel the log level the server was started with (save-config writes it)
     * @param allowAnyInitiator whether the admin allowed any initiator on a listener beyond loopback
     *     (save-config writes it; the check itself is serve's, before the server is built)
     */
    public record Settings(IscsiServerSettings iscsi, Path controlSocket, List<DeviceSpec> devices, Duration drainTimeout,
            ConfigFile config, LogLevel logLevel, boolean allowAnyInitiator) {
        public Settings {
            Objects.requireNonNull(iscsi, "iscsi");
            devices = List.copyOf(devices);
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            Objects.requireNonNull(logLevel, "logLevel");
        }

        public Settings(IscsiServerSettings iscsi, Path controlSocket, List<DeviceSpec> devices, Duration drainTimeout) {
            this(iscsi, controlSocket, devices, drainTimeout, null, LogLevel.INFO, false);
        }

        /**
         * The settings as a configuration file's [server] table says them: allow_any_initiator only
         * when set, the connection caps only when they are not the defaults.
         */
        public ServerConfig serverConfig() {
            return ServerConfig.of(iscsi.listen(), iscsi.advertisedPortals(), iscsi.targetName(), controlSocket, logLevel,
                    allowAnyInitiator ? Boolean.TRUE : null,
                    iscsi.maxConnections() == IscsiServerSettings.DEFAULT_MAX_CONNECTIONS ? null : iscsi.maxConnections(),
                    iscsi.maxConnectionsPerAddress() == IscsiServerSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS
                            ? null : iscsi.maxConnectionsPerAddress());
        }
    }

    private final Settings settings;
    private final CliContext baseContext;
    private final ZramRegistry registry;
    private ZramCommandSet commandSet;
    /** Who may log in (the login's rules, LUN masking, ending sessions): the target's side of the access list. */
    private TargetAccessSwitch access;
    /** Set once in {@link #start()}; volatile for the access switch, which ends sessions from command threads without this monitor. */
    private volatile IscsiServer iscsi;
    private ControlServer control;
    /** The background tiering worker: from {@link #start()} until {@link #stop()}, null otherwise. */
    private TieringDaemon tiering;
    private Engine engine;
    private boolean started;
    private boolean stopped;

    /** @param baseContext the environment commands from the control socket run in */
    public JzramServer(Settings settings, CliContext baseContext) {
        this.settings = settings;
        this.baseContext = baseContext;
        this.registry = new ZramRegistry(settings.drainTimeout());
    }

    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            // First: the export setting lives in the command set, and a device of the file that is
            // to be unexported is withdrawn before it is created. No session can attach before the
            // portal starts, so nothing sees the devices meanwhile.
            commandSet = new ZramCommandSet(registry, new LunIdentity(settings.iscsi().targetName()));
            AccessControl rules = new AccessControl(AccessRules.open());
            // Sessions exist only once the portal runs; before that an access list has none to end.
            access = new TargetAccessSwitch(rules, commandSet.luns(), ended -> {
                IscsiServer s = iscsi;
                return s == null ? 0 : s.endSessions(ended);
            });
            for (DeviceSpec spec : settings.devices()) {
                ZramDevice d = registry.hotAdd();
                registry.setUp(d, DeviceSetup.of(spec.size(), spec.algorithm()), false);
                LOG.info("{}: {} bytes, {}", d.name(), d.diskSize(), d.algorithm());
            }
            if (settings.config() != null) {
                createDevices(settings.config());
            }
            tiering = TieringDaemon.over(registry, new TieringFailures());
            iscsi = new IscsiServer(settings.iscsi(), commandSet, rules);
            engine = new Engine(registry, iscsi::sessions, commandSet.luns(), access, settings.drainTimeout(), settings.serverConfig());
            if (settings.controlSocket() != null) {
                control = new ControlServer(settings.controlSocket(), (request, out, err) ->
                        new LocalDispatcher(baseContext.inServer(engine, request.terminal(), false), request.terminal(), request.width())
                                .run(request.argv(), out, err),
                        Version.number());
                control.start();
            }
            iscsi.start();
        } catch (DeviceSetupException e) {
            // Ends here: the server does not start, every device made so far is freed by stop().
            stop();
            throw new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting devices up", e);
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** A configuration file's devices, created as 'jzram apply' would: all of them, or none. */
    private void createDevices(ConfigFile config) throws IOException {
        RegistryOps ops = new RegistryOps(registry, TargetExportSwitch.of(commandSet.luns()), access, settings.drainTimeout());
        Plan plan = Planner.plan(config, ops.devices(), null, ops.access(), Planner.Options.DEFAULT, ops.defaultStreams());
        try {
            Applier.apply(plan, ops, new Applier.Listener() {
                @Override
                public void applied(Step step) {
                    LOG.info("{}", step.describe(plan.defaultStreams()));
                }

                @Override
                public void undone(Step step) {}
            });
        } catch (ApplyFailedException e) {
            throw new IOException(String.join("\n", e.lines()), e);
        }
    }

    public synchronized Engine engine() {
        if (engine == null) {
            throw new IllegalStateException("not started");
        }
        return engine;
    }

    public ZramRegistry registry() {
        return registry;
    }

    /** The iSCSI portal's address (the real port when the settings asked for port 0). */
    public synchronized InetSocketAddress boundAddress() {
        return iscsi.boundAddress();
    }

    public synchronized IscsiServer iscsi() {
        return iscsi;
    }

    public String targetName() {
        return settings.iscsi().targetName();
    }

    /** The control socket's path, or null when there is none. */
    public synchronized Path controlSocket() {
        return control == null ? null : control.path();
    }

    /** Stops everything and frees the devices' memory. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (control != null) {
            control.close();
        }
        if (iscsi != null) {
            iscsi.stop();
        }
        if (commandSet != null) {
            commandSet.close();
        }
        if (tiering != null) {
            // Before the devices are freed: it waits for the slice in hand, so none is walked as it goes.
            tiering.close();
            tiering = null;
        }
        for (ZramDevice d : registry.devices()) {
            try {
                registry.hotRemove(d.id(), true, settings.drainTimeout());
            } catch (ZramException e) {
                LOG.warn("{}: could not free: {}", d.name(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("{}: interrupted while freeing", d.name());
                break;
            }
        }
        LOG.info("stopped");
    }

    /** Whether the background tiering worker runs: from {@link #start()} until {@link #stop()}. */
    public synchronized boolean isTiering() {
        return tiering != null;
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    @Override
    public void close() {
        stop();
    }
}
