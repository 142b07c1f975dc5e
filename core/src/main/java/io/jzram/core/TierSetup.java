package io.jzram.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The tier settings of a {@link DeviceSetup}, as plain values in the kernel's syntax: they are
 * checked when the set-up applies them (each by its step), not here.
 *
 * @param recompAlgorithms the recompression algorithms, highest priority first (priority 1, 2, 3),
 *     as zram-generator's algorithm list after its first entry
 * @param algorithmParams lines as written to {@code algorithm_params}, e.g. {@code algo=zstd level=8 dict=/etc/d}
 * @param backingDev {@code backing_dev}; null for none
 * @param writebackLimit {@code writeback_limit} in 4 KiB pages, enabling it; -1 for no limit
 * @param policy what the device does in the background
 */
public record TierSetup(List<String> recompAlgorithms, List<String> algorithmParams, Path backingDev, long writebackLimit,
        TieringPolicy policy) {

    /** No recompression, no backing device, no background work. */
    public static final TierSetup NONE = new TierSetup(List.of(), List.of(), null, -1, TieringPolicy.NONE);

    public TierSetup {
        recompAlgorithms = List.copyOf(recompAlgorithms);
        algorithmParams = List.copyOf(algorithmParams);
        Objects.requireNonNull(policy, "policy");
        if (recompAlgorithms.size() > ZramDevice.MAX_ALGORITHMS - 1) {
            throw new IllegalArgumentException("at most " + (ZramDevice.MAX_ALGORITHMS - 1) + " recompression algorithms: " + recompAlgorithms);
        }
        if (writebackLimit < -1) {
            throw new IllegalArgumentException("writeback_limit must be >= 0, or -1 for none: " + writebackLimit);
        }
    }
}
