package io.jzram.cli.server;

import io.jzram.config.AccessSwitch;
import io.jzram.config.RegistryOps;
import io.jzram.config.ServerConfig;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramRegistry;
import io.jzram.target.iscsi.SessionInfo;
import io.jzram.target.scsi.LunMap;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What server-side commands act on: the device registry and, when a target is running, its
 * sessions and its LUN map (which devices are exported as LUNs, to whom). Commands stay thin: the
 * logic is in {@link ZramRegistry}, {@link ZramDevice}, {@link LunMap} and the iSCSI
 * server; commands only parse, call and format.
 */
public final class Engine {
    private final ZramRegistry registry;
    private final Supplier<List<SessionInfo>> sessions;
    /** The iSCSI target's LUN map, or null when there is no target. */
    private final LunMap luns;
    /** The iSCSI target's access list, or null when there is no target. */
    private final AccessSwitch access;
    private final Duration drainTimeout;
    private final ServerConfig serverConfig;

    /**
     * @param registry the devices
     * @param sessions the target's sessions (empty when there is no target)
     * @param luns the iSCSI target's LUN map over {@code registry}: each device it exports is the
     *     LUN with its id; null when there is no target (no device is a LUN)
     * @param drainTimeout how long forced resets wait for in-flight I/O
     */
    public Engine(ZramRegistry registry, Supplier<List<SessionInfo>> sessions, LunMap luns, Duration drainTimeout) {
        this(registry, sessions, luns, drainTimeout, null);
    }

    /** @param serverConfig the server's settings as save-config writes them, or null when there is no server */
    public Engine(ZramRegistry registry, Supplier<List<SessionInfo>> sessions, LunMap luns, Duration drainTimeout,
            ServerConfig serverConfig) {
        this(registry, sessions, luns, null, drainTimeout, serverConfig);
    }

    /** @param access the target's access list (who may log in, LUN masking), or null when there is no target */
    public Engine(ZramRegistry registry, Supplier<List<SessionInfo>> sessions, LunMap luns, AccessSwitch access, Duration drainTimeout,
            ServerConfig serverConfig) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.luns = luns;
        this.access = access;
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
        this.serverConfig = serverConfig;
    }

    /** An engine over {@code registry} with no target (tests, and a registry not yet exported). */
    public static Engine standalone(ZramRegistry registry) {
        return new Engine(registry, List::of, null, registry.drainTimeout());
    }

    public ZramRegistry registry() {
        return registry;
    }

    public List<SessionInfo> sessions() {
        return sessions.get();
    }

    /** Logged-in sessions that are not discovery sessions. */
    public List<SessionInfo> normalSessions() {
        return sessions.get().stream().filter(s -> !s.discovery()).toList();
    }

    /** The LUN a device is exported as (its id), or null when it is not: unexported, or no target. */
    public Integer lun(ZramDevice device) {
        return luns != null && luns.isExported(device.id()) ? device.id() : null;
    }

    /** The iSCSI target's LUN map: the export switch, LUN masking and who uses each LUN. Null when there is no target. */
    public LunMap luns() {
        return luns;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** The running server's settings (listen, advertise, iqn, control socket, log level), or null without a server. */
    public ServerConfig serverConfig() {
        return serverConfig;
    }

    /** The devices as plan steps change them. */
    public RegistryOps ops() {
        return new RegistryOps(registry, TargetExportSwitch.of(luns), access, drainTimeout);
    }
}
