package io.jzram.config;

import io.jzram.core.DeviceSetup;
import io.jzram.core.Sysfs;
import io.jzram.core.TierSetup;
import io.jzram.core.TieringPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What configures a device: the settings a file gives and a running device has. The plan
 * compares these; the device's data is not part of them.
 *
 * <p>The tier settings ({@code tiers}) are compared in a canonical form, the same whether read
 * from a file or from a device: the recompression algorithms in priority order; the
 * {@code algorithm_params} as one line per algorithm whose parameters are not the defaults, in
 * priority order, {@code algo=NAME[ level=N][ dict=PATH]}; writeback_limit in 4 KiB pages, -1
 * when the limit is not enabled.
 *
 * @param size disksize in bytes, 0 = not set up
 * @param algorithm compression algorithm (the primary one, priority 0)
 * @param memLimit mem_limit in bytes, 0 = none
 * @param streams compression streams (resolved: never 0 here)
 * @param exported whether the device is published as the iSCSI LUN with its id (a server
 *     without an iSCSI target reads every device as exported)
 * @param tiers recompression algorithms, algorithm_params, backing_dev, writeback_limit, tiering policy
 */
public record DeviceSettings(long size, String algorithm, long memLimit, int streams, boolean exported, TierSetup tiers) {

    public DeviceSettings {
        Objects.requireNonNull(tiers, "tiers");
    }

    /** Settings without tiers: no recompression, no backing device, no background work. */
    public DeviceSettings(long size, String algorithm, long memLimit, int streams, boolean exported) {
        this(size, algorithm, memLimit, streams, exported, TierSetup.NONE);
    }

    public boolean isSetUp() {
        return size > 0;
    }

    /**
     * Whether going from this to {@code other} needs a reset: the device is rebuilt for a new
     * disksize, algorithm (primary or recompression), algorithm parameters, backing device or
     * number of streams (the kernel refuses to change them on a set-up device); mem_limit,
     * writeback_limit, the tiering policy and the export setting change live.
     */
    public boolean needsReset(DeviceSettings other) {
        return size != other.size || !algorithm.equals(other.algorithm) || streams != other.streams
                || !tiers.recompAlgorithms().equals(other.tiers.recompAlgorithms())
                || !tiers.algorithmParams().equals(other.tiers.algorithmParams())
                || !Objects.equals(tiers.backingDev(), other.tiers.backingDev());
    }

    /** The device set-up these settings ask for (the export setting is the target's, not the device's). */
    public DeviceSetup setup() {
        return new DeviceSetup(streams, algorithm, memLimit, isSetUp() ? OptionalLong.of(size) : OptionalLong.empty(), tiers);
    }

    /** These settings with {@code exported} instead of theirs. */
    public DeviceSettings withExported(boolean exported) {
        return new DeviceSettings(size, algorithm, memLimit, streams, exported, tiers);
    }

    /** The tiering policy. */
    public TieringPolicy policy() {
        return tiers.policy();
    }

    /** writeback_limit in 4 KiB pages; -1 = not enabled. */
    public long writebackLimit() {
        return tiers.writebackLimit();
    }

    /**
     * {@code size 4G, algorithm lz4[, recompression zstd][, mem_limit 1G][, streams 2][, not exported]}:
     * each optional setting when it is not the default.
     */
    public String describe(int defaultStreams) {
        StringBuilder b = new StringBuilder();
        b.append(isSetUp() ? "size " + Sizes.format(size) : "not set up").append(", algorithm ").append(algorithm);
        if (!tiers.recompAlgorithms().isEmpty()) {
            b.append(", recompression ").append(String.join(" ", tiers.recompAlgorithms()));
        }
        if (!tiers.algorithmParams().isEmpty()) {
            b.append(", algorithm_params ").append(params(tiers));
        }
        if (tiers.backingDev() != null) {
            b.append(", backing_dev ").append(tiers.backingDev());
        }
        if (memLimit != 0) {
            b.append(", mem_limit ").append(Sizes.format(memLimit));
        }
        if (streams != defaultStreams) {
            b.append(", streams ").append(streams);
        }
        for (String change : liveTierSettings(tiers)) {
            b.append(", ").append(change);
        }
        if (!exported) {
            b.append(", not exported");
        }
        return b.toString();
    }

    /**
     * The set-up tier settings that differ between {@code had} and {@code want}, as
     * {@code KEY OLD -> NEW}: recompression algorithms, algorithm_params, backing_dev.
     */
    static List<String> tierChanges(TierSetup had, TierSetup want) {
        List<String> changes = new ArrayList<>();
        if (!had.recompAlgorithms().equals(want.recompAlgorithms())) {
            changes.add("recompression " + recomp(had) + " -> " + recomp(want));
        }
        if (!had.algorithmParams().equals(want.algorithmParams())) {
            changes.add("algorithm_params " + params(had) + " -> " + params(want));
        }
        if (!Objects.equals(had.backingDev(), want.backingDev())) {
            changes.add("backing_dev " + (had.backingDev() == null ? "none" : had.backingDev()) + " -> "
                    + (want.backingDev() == null ? "none" : want.backingDev()));
        }
        return changes;
    }

    /** The live tier settings that differ: writeback_limit, recompress_idle_after, writeback_idle_after, tiering_cpu_budget. */
    static List<String> liveTierChanges(TierSetup had, TierSetup want) {
        List<String> changes = new ArrayList<>();
        if (had.writebackLimit() != want.writebackLimit()) {
            changes.add("writeback_limit " + pages(had.writebackLimit()) + " -> " + pages(want.writebackLimit()));
        }
        TieringPolicy h = had.policy();
        TieringPolicy w = want.policy();
        if (!Objects.equals(h.recompressIdleAfter(), w.recompressIdleAfter())) {
            changes.add("recompress_idle_after " + Sysfs.formatAge(h.recompressIdleAfter()) + " -> " + Sysfs.formatAge(w.recompressIdleAfter()));
        }
        if (!Objects.equals(h.writebackIdleAfter(), w.writebackIdleAfter())) {
            changes.add("writeback_idle_after " + Sysfs.formatAge(h.writebackIdleAfter()) + " -> " + Sysfs.formatAge(w.writebackIdleAfter()));
        }
        if (Double.compare(h.cpuBudget(), w.cpuBudget()) != 0) {
            changes.add("tiering_cpu_budget " + h.cpuBudget() + " -> " + w.cpuBudget());
        }
        return changes;
    }

    /** The live tier settings that are not the defaults, as {@code KEY VALUE}. */
    private static List<String> liveTierSettings(TierSetup tiers) {
        List<String> out = new ArrayList<>();
        if (tiers.writebackLimit() >= 0) {
            out.add("writeback_limit " + pages(tiers.writebackLimit()));
        }
        TieringPolicy p = tiers.policy();
        if (p.recompressIdleAfter() != null) {
            out.add("recompress_idle_after " + Sysfs.formatAge(p.recompressIdleAfter()));
        }
        if (p.writebackIdleAfter() != null) {
            out.add("writeback_idle_after " + Sysfs.formatAge(p.writebackIdleAfter()));
        }
        if (Double.compare(p.cpuBudget(), TieringPolicy.DEFAULT_CPU_BUDGET) != 0) {
            out.add("tiering_cpu_budget " + p.cpuBudget());
        }
        return out;
    }

    private static String recomp(TierSetup t) {
        return t.recompAlgorithms().isEmpty() ? "none" : String.join(" ", t.recompAlgorithms());
    }

    private static String params(TierSetup t) {
        return t.algorithmParams().isEmpty() ? "none" : "[" + String.join("; ", t.algorithmParams()) + "]";
    }

    private static String pages(long pages) {
        return pages < 0 ? "none" : Sizes.format(pages * 4096);
    }
}
