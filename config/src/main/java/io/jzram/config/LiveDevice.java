package io.jzram.config;

/**
 * A device as it is now, read from the registry.
 *
 * @param id the device number
 * @param settings its configuration
 * @param holders how many hold it open (each logged-in iSCSI session holds every device)
 */
public record LiveDevice(int id, DeviceSettings settings, int holders) {
    public String name() {
        return "zram" + id;
    }
}
