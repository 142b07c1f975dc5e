package io.jzram.config;

import java.util.Map;

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
 * @param at where the {@code [[device]]} header is
 * @param positions where each key's value is
 */
public record DeviceConfig(int id, long size, String algorithm, long memLimit, int streams, boolean exported, Position at,
        Map<String, Position> positions) {

    public DeviceConfig {
        positions = Map.copyOf(positions);
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
