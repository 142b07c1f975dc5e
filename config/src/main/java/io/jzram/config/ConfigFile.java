package io.jzram.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A valid configuration file: the server's start-up settings and the devices there should be.
 *
 * @param name the file's name as the user gave it, for messages ({@code site.toml}, {@code /etc/jzram/jzram.toml})
 * @param server the {@code [server]} table ({@link ServerConfig#EMPTY} when absent)
 * @param devices the devices, sorted by id, ids unique
 * @param access the {@code [[initiator]]} entries and {@code [discovery]} table, or null when the
 *     file has neither (then a plan leaves the running server's access control as it is)
 */
public record ConfigFile(String name, ServerConfig server, List<DeviceConfig> devices, AccessConfig access) {
    public ConfigFile {
        devices = devices.stream().sorted(Comparator.comparingInt(DeviceConfig::id)).toList();
    }

    /** A file without access control. */
    public ConfigFile(String name, ServerConfig server, List<DeviceConfig> devices) {
        this(name, server, devices, null);
    }

    public Optional<DeviceConfig> device(int id) {
        return devices.stream().filter(d -> d.id() == id).findFirst();
    }
}
