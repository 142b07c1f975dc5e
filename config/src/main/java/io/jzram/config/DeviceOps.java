package io.jzram.config;

import io.jzram.core.DeviceSetup;
import io.jzram.core.DeviceSetupException;
import io.jzram.core.TieringPolicy;
import io.jzram.core.ZramException;
import java.util.List;
import java.util.Optional;

/**
 * What plan steps do to devices (and to the target's access list), one primitive a method: the registry behind an interface, so
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

    /**
     * Sets device {@code id} up: the registry's one sequence (reset, streams, algorithm,
     * mem_limit, disksize; see {@link DeviceSetup}). The reset is busy while the device is held
     * and set up, unless {@code force}.
     */
    void setUp(int id, DeviceSetup setup, boolean force) throws ZramException, DeviceSetupException, InterruptedException;

    /** mem_limit of a live device: no reset, its data stays. */
    void setMemLimit(int id, long bytes) throws ZramException;

    /**
     * writeback_limit of a live device, in 4 KiB pages, enabling the limit; -1 disables it
     * ({@code writeback_limit_enable = 0}). No reset, its data stays.
     */
    void setWritebackLimit(int id, long pages) throws ZramException;

    /** The background tiering policy of a live device: no reset, its data stays. */
    void setTieringPolicy(int id, TieringPolicy policy) throws ZramException;

    /**
     * Publishes or withdraws device {@code id}'s LUN (the id needs no device: withdrawn before
     * the device is added, it never appears). Idempotent. Withdrawing a LUN that logged-in
     * sessions have is BUSY unless {@code force}.
     */
    void setExported(int id, boolean exported, boolean force) throws ZramException;

    /** Who may log in now: the target's access list and discovery CHAP ({@link AccessConfig#OPEN} without a target). */
    AccessConfig access();

    /**
     * Replaces who may log in, at once: sessions of initiators no longer allowed end, LUNs taken
     * from an initiator's list go away from its sessions.
     *
     * @throws ZramException INVALID_ARGUMENT when there is no iSCSI target to give the list to
     */
    void setAccess(AccessConfig access) throws ZramException;
}
