package io.jzram.core;

import java.time.Duration;

/**
 * What a device does by itself, in the background, to move cold pages down (jzram's own; the
 * kernel only does these things when someone writes to sysfs): pages not accessed for
 * {@code recompressIdleAfter} are recompressed with the recompression algorithms, pages not
 * accessed for {@code writebackIdleAfter} are written to the backing device (within
 * {@code writeback_limit}, if enabled). {@link TieringDaemon} does the work within {@code cpuBudget}.
 *
 * @param recompressIdleAfter how long a page must go unaccessed before it is recompressed; null = never
 * @param writebackIdleAfter how long a page must go unaccessed before it is written back; null = never
 * @param cpuBudget the share of one core the background work may use, from 0.01 to 1
 */
public record TieringPolicy(Duration recompressIdleAfter, Duration writebackIdleAfter, double cpuBudget) {

    /** The default budget: a tenth of one core. */
    public static final double DEFAULT_CPU_BUDGET = 0.1;

    /** Nothing in the background. */
    public static final TieringPolicy NONE = new TieringPolicy(null, null, DEFAULT_CPU_BUDGET);

    public TieringPolicy {
        if (recompressIdleAfter != null && (recompressIdleAfter.isNegative() || recompressIdleAfter.toSeconds() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("recompress_idle_after out of range: " + recompressIdleAfter);
        }
        if (writebackIdleAfter != null && (writebackIdleAfter.isNegative() || writebackIdleAfter.toSeconds() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("writeback_idle_after out of range: " + writebackIdleAfter);
        }
        if (!(cpuBudget >= 0.01 && cpuBudget <= 1)) {
            throw new IllegalArgumentException("tiering_cpu_budget must be from 0.01 to 1: " + cpuBudget);
        }
    }

    /** Whether the policy asks for any background work. */
    public boolean isActive() {
        return recompressIdleAfter != null || writebackIdleAfter != null;
    }

    public TieringPolicy withRecompressIdleAfter(Duration d) {
        return new TieringPolicy(d, writebackIdleAfter, cpuBudget);
    }

    public TieringPolicy withWritebackIdleAfter(Duration d) {
        return new TieringPolicy(recompressIdleAfter, d, cpuBudget);
    }

    public TieringPolicy withCpuBudget(double b) {
        return new TieringPolicy(recompressIdleAfter, writebackIdleAfter, b);
    }
}
