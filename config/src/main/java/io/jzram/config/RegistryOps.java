package io.jzram.config;

import io.jzram.core.DeviceSetup;
import io.jzram.core.AlgorithmChoice;
import io.jzram.core.DeviceSetupException;
import io.jzram.core.TierSetup;
import io.jzram.core.TieringPolicy;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link DeviceOps} on a {@link ZramRegistry} and, for the export setting, the iSCSI target's
 * {@link ExportSwitch}. Without a target (a registry no initiator can reach) every device reads
 * as exported, publishing is a no-op and withdrawing fails: there is nothing to withdraw from, and
 * pretending it worked would let a file's {@code exported = false} read as done.
 */
public final class RegistryOps implements DeviceOps {
    private final ZramRegistry registry;
    /** Null: no iSCSI target. */
    private final ExportSwitch target;
    /** Null: no iSCSI target. */
    private final AccessSwitch access;
    private final Duration drainTimeout;

    /**
     * @param target the export switch of the iSCSI target over {@code registry}, or null when there is none
     * @param drainTimeout how long a forced reset or removal waits for in-flight I/O
     */
    public RegistryOps(ZramRegistry registry, ExportSwitch target, Duration drainTimeout) {
        this(registry, target, null, drainTimeout);
    }

    /** @param access the target's access list, or null when there is no target (everything is open, nothing can be restricted) */
    public RegistryOps(ZramRegistry registry, ExportSwitch target, AccessSwitch access, Duration drainTimeout) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.target = target;
        this.access = access;
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    @Override
    public List<LiveDevice> devices() {
        return registry.devices().stream().map(this::live).toList();
    }

    /** A device's settings and holders now. */
    private LiveDevice live(ZramDevice d) {
        boolean exported = target == null || target.isExported(d.id());
        return new LiveDevice(d.id(), new DeviceSettings(d.diskSize(), d.algorithm(), d.memLimit(), d.streams(), exported, tiers(d)),
                d.openCount());
    }

    /**
     * A device's tier settings in {@link DeviceSettings}' canonical form: the recompression
     * algorithms it has, in priority order; one {@code algo=NAME PARAMS} line for each algorithm
     * whose parameters are not the defaults; writeback_limit when enabled, else -1.
     */
    static TierSetup tiers(ZramDevice d) {
        List<String> recomp = new ArrayList<>();
        List<String> params = new ArrayList<>();
        for (int priority = 0; priority < ZramDevice.MAX_ALGORITHMS; priority++) {
            AlgorithmChoice c = d.algorithmChoice(priority);
            if (c == null) {
                continue;
            }
            if (priority > 0) {
                recomp.add(c.name());
            }
            if (!c.params().isEmpty()) {
                params.add("algo=" + c.name() + " " + c.params());
            }
        }
        return new TierSetup(recomp, params, d.backingDev(), d.isWritebackLimitEnabled() ? d.writebackLimit() : -1, d.tieringPolicy());
    }

    @Override
    public int defaultStreams() {
        return ZramDevice.DEFAULT_STREAMS;
    }

    /** Adds exactly device {@code id}: BUSY if it exists already (another client may have taken it). */
    @Override
    public void add(int id) throws ZramException {
        registry.hotAdd(id);
    }

    @Override
    public void remove(int id, boolean force) throws ZramException, InterruptedException {
        registry.hotRemove(id, force, drainTimeout);
    }

    /** The registry's one set-up sequence ({@link ZramRegistry#setUp}). */
    @Override
    public void setUp(int id, DeviceSetup setup, boolean force) throws ZramException, DeviceSetupException, InterruptedException {
        registry.setUp(registry.lookup(Integer.toString(id)), setup, force);
    }

    @Override
    public void setMemLimit(int id, long bytes) throws ZramException {
        registry.lookup(Integer.toString(id)).setMemLimit(bytes);
    }

    /** writeback_limit then writeback_limit_enable, as one writes them to sysfs; -1 disables the limit. */
    @Override
    public void setWritebackLimit(int id, long pages) throws ZramException {
        ZramDevice d = registry.lookup(Integer.toString(id));
        if (pages < 0) {
            d.setWritebackLimitEnabled(false);
            return;
        }
        d.setWritebackLimit(pages);
        d.setWritebackLimitEnabled(true);
    }

    @Override
    public void setTieringPolicy(int id, TieringPolicy policy) throws ZramException {
        registry.lookup(Integer.toString(id)).setTieringPolicy(policy);
    }

    /**
     * The target's switch ({@link ExportSwitch#setExported}): BUSY when withdrawing a LUN
     * sessions have, without {@code force}. Without a target, publishing is a no-op (every device
     * reads as exported already) and withdrawing fails with INVALID_ARGUMENT.
     */
    @Override
    public void setExported(int id, boolean exported, boolean force) throws ZramException {
        if (target == null) {
            if (!exported) {
                throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, "zram" + id + ": cannot unexport: no iSCSI target");
            }
            return;
        }
        target.setExported(id, exported, force);
    }

    @Override
    public AccessConfig access() {
        return access == null ? AccessConfig.OPEN : access.access();
    }

    /** The target's swap; without a target only the open list can be "put in force" (it is already). */
    @Override
    public void setAccess(AccessConfig wanted) throws ZramException {
        if (access == null) {
            if (!wanted.isOpen() || wanted.discovery() != null) {
                // Ends here: nothing changed; the plan rolls back with this reason.
                throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, "cannot restrict logins: no iSCSI target");
            }
            return;
        }
        access.setAccess(wanted);
    }
}
