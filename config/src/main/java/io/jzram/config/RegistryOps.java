package io.jzram.config;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@link DeviceOps} on a {@link ZramRegistry}. */
public final class RegistryOps implements DeviceOps {
    private final ZramRegistry registry;
    private final Duration drainTimeout;

    /** @param drainTimeout how long a forced reset or removal waits for in-flight I/O */
    public RegistryOps(ZramRegistry registry, Duration drainTimeout) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    @Override
    public List<LiveDevice> devices() {
        return registry.devices().stream().map(RegistryOps::live).toList();
    }

    /** A device's settings and holders now. */
    public static LiveDevice live(ZramDevice d) {
        return new LiveDevice(d.id(), new DeviceSettings(d.diskSize(), d.algorithm(), d.memLimit(), d.streams()), d.openCount());
    }

    /**
     * The device's default (ZramDevice's DEFAULT_STREAMS, private there): one stream per CPU of
     * this JVM, as {@code Runtime.availableProcessors()} counts them.
     */
    @Override
    public int defaultStreams() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The registry only adds the device with the lowest free id (as the kernel's hot_add does), so
     * a device above a gap is reached through placeholders: the ids below it that are free are
     * added, then removed again (forced: sessions hold every new device, and these have no data).
     * Initiators may see their LUNs come and go. A {@code ZramRegistry.hotAdd(int id)} would do
     * without them (proposed to core).
     */
    @Override
    public void add(int id) throws ZramException, InterruptedException {
        List<ZramDevice> placeholders = new ArrayList<>();
        try {
            while (true) {
                if (registry.find(id).isPresent()) {
                    throw new ZramException(ZramException.Reason.BUSY, "zram" + id + ": exists already");
                }
                ZramDevice d = registry.hotAdd();
                if (d.id() == id) {
                    return;
                }
                placeholders.add(d);
                if (d.id() > id) { // another client took the id meanwhile
                    throw new ZramException(ZramException.Reason.BUSY, "zram" + id + ": exists already");
                }
            }
        } finally {
            for (ZramDevice p : placeholders) {
                registry.hotRemove(p.id(), true, drainTimeout);
            }
        }
    }

    @Override
    public void remove(int id, boolean force) throws ZramException, InterruptedException {
        registry.hotRemove(id, force, drainTimeout);
    }

    @Override
    public void reset(int id, boolean force) throws ZramException, InterruptedException {
        registry.lookup(Integer.toString(id)).reset(force, drainTimeout);
    }

    @Override
    public void setStreams(int id, int streams) throws ZramException {
        registry.lookup(Integer.toString(id)).setStreams(streams);
    }

    @Override
    public void setAlgorithm(int id, String algorithm) throws ZramException {
        registry.lookup(Integer.toString(id)).setAlgorithm(algorithm);
    }

    @Override
    public void setMemLimit(int id, long bytes) throws ZramException {
        registry.lookup(Integer.toString(id)).setMemLimit(bytes);
    }

    @Override
    public void init(int id, long size) throws ZramException {
        registry.lookup(Integer.toString(id)).init(size);
    }
}
