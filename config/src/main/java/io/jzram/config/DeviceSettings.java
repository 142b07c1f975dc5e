package io.jzram.config;

import io.jzram.core.DeviceSetup;
import java.util.OptionalLong;

/**
 * What configures a device: the five settings a file gives and a running device has. The plan
 * compares these; the device's data is not part of them.
 *
 * @param size disksize in bytes, 0 = not set up
 * @param algorithm compression algorithm
 * @param memLimit mem_limit in bytes, 0 = none
 * @param streams compression streams (resolved: never 0 here)
 * @param exported whether the device is published as the iSCSI LUN with its id (a server
 *     without an iSCSI target reads every device as exported)
 */
public record DeviceSettings(long size, String algorithm, long memLimit, int streams, boolean exported) {

    public boolean isSetUp() {
        return size > 0;
    }

    /**
     * Whether going from this to {@code other} needs a reset: the device is rebuilt for a new
     * disksize, algorithm or number of streams (the kernel refuses to change them on a set-up
     * device); mem_limit and the export setting change live.
     */
    public boolean needsReset(DeviceSettings other) {
        return size != other.size || !algorithm.equals(other.algorithm) || streams != other.streams;
    }

    /** The device set-up these settings ask for (the export setting is the target's, not the device's). */
    public DeviceSetup setup() {
        return new DeviceSetup(streams, algorithm, memLimit, isSetUp() ? OptionalLong.of(size) : OptionalLong.empty());
    }

    /** These settings with {@code exported} instead of theirs. */
    public DeviceSettings withExported(boolean exported) {
        return new DeviceSettings(size, algorithm, memLimit, streams, exported);
    }

    /**
     * {@code size 4G, algorithm lz4[, mem_limit 1G][, streams 2][, not exported]}: mem_limit when
     * set, streams when not the default, the export setting when not the default.
     */
    public String describe(int defaultStreams) {
        StringBuilder b = new StringBuilder();
        b.append(isSetUp() ? "size " + Sizes.format(size) : "not set up").append(", algorithm ").append(algorithm);
        if (memLimit != 0) {
            b.append(", mem_limit ").append(Sizes.format(memLimit));
        }
        if (streams != defaultStreams) {
            b.append(", streams ").append(streams);
        }
        if (!exported) {
            b.append(", not exported");
        }
        return b.toString();
    }
}
