package io.jzram.config;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.time.Duration;
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
