package io.jzram.config;

import io.jzram.core.ZramException;
import java.util.List;
import java.util.Optional;

/**
 * What plan steps do to devices, one primitive a method: the registry behind an interface, so
 * that tests can make any primitive fail and check that the applier rolls back.
 * {@link RegistryOps} is the real one.
 */
public interface DeviceOps {
    /** The devices, sorted by id. */
    List<LiveDevice> devices();

    default Optional<LiveDevice> find(int id) {
        return devices().stream().filter(d -> d.id() == id).findFirst();
    }

    /** The number of streams a device has after a reset (one per CPU). */
    int defaultStreams();

    /** Creates device {@code id}, not set up. Fails if it exists. */
    void add(int id) throws ZramException, InterruptedException;

    /** hot_remove: resets and removes; busy while held unless forced. */
    void remove(int id, boolean force) throws ZramException, InterruptedException;

    /** reset: frees the data and restores the defaults; busy while held unless forced. */
    void reset(int id, boolean force) throws ZramException, InterruptedException;

    void setStreams(int id, int streams) throws ZramException;

    void setAlgorithm(int id, String algorithm) throws ZramException;

    void setMemLimit(int id, long bytes) throws ZramException;

    /** disksize: sets the device up. */
    void init(int id, long size) throws ZramException;

    /**
     * Publishes or withdraws device {@code id}'s LUN (the id needs no device: withdrawn before
     * the device is added, it never appears). Idempotent. Withdrawing a LUN that logged-in
     * sessions have is BUSY unless {@code force}.
     */
    void setExported(int id, boolean exported, boolean force) throws ZramException;
}
