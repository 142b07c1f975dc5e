package io.jzram.config;

import io.jzram.core.TierSetup;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One {@code [[device]]} of a file, validated and normalised: what the device should be.
 *
 * @param id the device number: zram{id}, exported as LUN {id}
 * @param size the disksize in bytes, rounded up to 4 KiB as the device rounds it; 0 = the device
 *     exists but is not set up (like {@code hot_add} without a disksize)
 * @param algorithm the compression algorithm
 * @param memLimit mem_limit in bytes, rounded up to 4 KiB; 0 = none
 * @param streams compression streams; 0 = the default (one per CPU of the server)
 * @param exported whether the device is published as the iSCSI LUN with its id (the default);
 *     false = it exists on the server, and no initiator sees it
 * @param tiers the recompression algorithms (the rest of the {@code algorithm} list),
 *     {@code algorithm_params} in their canonical form (see {@link DeviceSettings}), backing_dev,
 *     writeback_limit in 4 KiB pages (-1 = none) and the tiering policy
 * @param at where the {@code [[device]]} header is
 * @param positions where each key's value is
 */
public record DeviceConfig(int id, long size, String algorithm, long memLimit, int streams, boolean exported, TierSetup tiers,
        Position at, Map<String, Position> positions) {

    public DeviceConfig {
        positions = Map.copyOf(positions);
        java.util.Objects.requireNonNull(tiers, "tiers");
    }

    /** A device without tier settings. */
    public DeviceConfig(int id, long size, String algorithm, long memLimit, int streams, boolean exported, Position at,
            Map<String, Position> positions) {
        this(id, size, algorithm, memLimit, streams, exported, TierSetup.NONE, at, positions);
    }

    /** The primary algorithm, then the recompression algorithms in falling priority: the {@code algorithm} list. */
    public List<String> algorithms() {
        return Stream.concat(Stream.of(algorithm), tiers.recompAlgorithms().stream()).toList();
    }

    /** A device as code (tests, the writer) wants it, at no place in a file. */
    public static DeviceConfig of(int id, long size, String algorithm, long memLimit, int streams, boolean exported) {
        return new DeviceConfig(id, size, algorithm, memLimit, streams, exported, null, Map.of());
    }

    public String name() {
        return "zram" + id;
    }

    /** Where {@code key}'s value is, else the device's header, else null. */
    public Position position(String key) {
        return positions.getOrDefault(key, at);
    }
}
