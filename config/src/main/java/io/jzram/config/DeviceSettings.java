package io.jzram.config;

/**
 * What configures a device: the four settings a file gives and a running device has. The plan
 * compares these; the device's data is not part of them.
 *
 * @param size disksize in bytes, 0 = not set up
 * @param algorithm compression algorithm
 * @param memLimit mem_limit in bytes, 0 = none
 * @param streams compression streams (resolved: never 0 here)
 */
public record DeviceSettings(long size, String algorithm, long memLimit, int streams) {

    public boolean isSetUp() {
        return size > 0;
    }

    /**
     * Whether going from this to {@code other} needs a reset: the device is rebuilt for a new
     * disksize, algorithm or number of streams (the kernel refuses to change them on a set-up
     * device); mem_limit alone changes live.
     */
    public boolean needsReset(DeviceSettings other) {
        return size != other.size || !algorithm.equals(other.algorithm) || streams != other.streams;
    }

    /** {@code size 4G, algorithm lz4[, mem_limit 1G][, streams 2]}: mem_limit when set, streams when not the default. */
    public String describe(int defaultStreams) {
        StringBuilder b = new StringBuilder();
        b.append(isSetUp() ? "size " + Sizes.format(size) : "not set up").append(", algorithm ").append(algorithm);
        if (memLimit != 0) {
            b.append(", mem_limit ").append(Sizes.format(memLimit));
        }
        if (streams != defaultStreams) {
            b.append(", streams ").append(streams);
        }
        return b.toString();
    }
}
