package io.jzram.core;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The settings a device is set up with, and the one order in which they are applied: every
 * caller (zramctl, the server's {@code --device} list, a configuration file's plan) sets a device
 * up through {@link ZramRegistry#setUp}, which runs {@link Step these steps} under the registry's
 * set-up lock.
 *
 * <p>The order is the kernel's: the attributes that only an unconfigured device accepts come
 * first, {@code disksize} last, because setting it is what makes the device usable (zramctl and
 * zram-generator write sysfs in this order): the recompression algorithms, their parameters and
 * the backing device, which the kernel takes only before the size, come after the algorithm.
 *
 * @param streams compression streams ({@code max_comp_streams}); 0 keeps the default (one per CPU)
 * @param algorithm {@code comp_algorithm}; null keeps the default
 * @param memLimit {@code mem_limit} in bytes; 0 = none
 * @param diskSize {@code disksize} in bytes; empty leaves the device not set up (reset, with the other settings)
 * @param tiers recompression algorithms, their parameters, backing device, writeback limit, background policy
 */
public record DeviceSetup(int streams, String algorithm, long memLimit, OptionalLong diskSize, TierSetup tiers) {

    /** The steps, in the order they run; each names what zramctl says when it fails. */
    public enum Step {
        /** Resets the device: its data is freed, its settings go back to the defaults. */
        RESET("reset"),
        STREAMS("set number of streams"),
        ALGORITHM("set algorithm"),
        RECOMP_ALGORITHM("set recompression algorithm"),
        ALGORITHM_PARAMS("set algorithm params"),
        BACKING_DEV("set backing device"),
        MEM_LIMIT("set memory limit"),
        WRITEBACK_LIMIT("set writeback limit"),
        TIERING("set tiering policy"),
        DISKSIZE("set disksize");

        private final String action;

        Step(String action) {
            this.action = action;
        }

        /** zramctl's words for the step: "failed to " + action. */
        public String action() {
            return action;
        }
    }

    public DeviceSetup {
        if (streams < 0) {
            throw new IllegalArgumentException("streams must be >= 0: " + streams);
        }
        if (memLimit < 0) {
            throw new IllegalArgumentException("mem_limit must be >= 0: " + memLimit);
        }
        Objects.requireNonNull(diskSize, "diskSize");
        Objects.requireNonNull(tiers, "tiers");
    }

    /** A set-up without tiers. */
    public DeviceSetup(int streams, String algorithm, long memLimit, OptionalLong diskSize) {
        this(streams, algorithm, memLimit, diskSize, TierSetup.NONE);
    }

    /** The same set-up with other tier settings. */
    public DeviceSetup withTiers(TierSetup newTiers) {
        return new DeviceSetup(streams, algorithm, memLimit, diskSize, newTiers);
    }

    /** A device of {@code diskSize} bytes compressed with {@code algorithm} (null: the default), other settings default. */
    public static DeviceSetup of(long diskSize, String algorithm) {
        return new DeviceSetup(0, algorithm, 0, OptionalLong.of(diskSize));
    }

    /**
     * Runs the steps on {@code device}. The caller holds the registry's set-up lock.
     *
     * <p>How it ends: every step done; or a step failed, and the device is left as that step found
     * it — reset, with the steps before applied and none after (a device that is not set up holds
     * no data, so nothing is lost; the caller reports the step and decides, e.g. a configuration
     * plan rolls back); or the reset's drain was interrupted (the device stays uninitialized, and a
     * later reset finishes the drain).
     *
     * @param forceReset reset even while holders have the device open; a device that is not set up
     *     is reset even while held whatever this says (it has no data to protect)
     * @param drainTimeout how long the reset waits for in-flight I/O
     */
    void applyTo(ZramDevice device, boolean forceReset, Duration drainTimeout) throws DeviceSetupException, InterruptedException {
        Objects.requireNonNull(device, "device");
        Step step = Step.RESET;
        try {
            device.reset(forceReset || !device.isInitialized(), drainTimeout);
            step = Step.STREAMS;
            if (streams != 0) {
                device.setStreams(streams);
            }
            step = Step.ALGORITHM;
            if (algorithm != null) {
                device.setAlgorithm(algorithm);
            }
            step = Step.RECOMP_ALGORITHM;
            for (int i = 0; i < tiers.recompAlgorithms().size(); i++) {
                device.setRecompAlgorithm(i + 1, tiers.recompAlgorithms().get(i));
            }
            step = Step.ALGORITHM_PARAMS;
            for (String params : tiers.algorithmParams()) {
                Sysfs.setAlgorithmParams(device, params);
            }
            step = Step.BACKING_DEV;
            device.setBackingDev(tiers.backingDev());
            step = Step.MEM_LIMIT;
            device.setMemLimit(memLimit);
            step = Step.WRITEBACK_LIMIT;
            if (tiers.writebackLimit() >= 0) {
                device.setWritebackLimit(tiers.writebackLimit());
                device.setWritebackLimitEnabled(true);
            }
            step = Step.TIERING;
            device.setTieringPolicy(tiers.policy());
            step = Step.DISKSIZE;
            if (diskSize.isPresent()) {
                device.init(diskSize.getAsLong());
            }
        } catch (ZramException e) {
            throw new DeviceSetupException(device, step, e);
        }
    }
}
