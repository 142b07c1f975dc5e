package io.jzram.config;

/**
 * A device as it is now, read from the registry (and, for the export setting, the iSCSI target).
 *
 * @param id the device number
 * @param settings its configuration, its export setting included
 * @param holders how many hold it open (each logged-in iSCSI session holds every exported device;
 *     none holds an unexported one)
 */
public record LiveDevice(int id, DeviceSettings settings, int holders) {
    public String name() {
        return "zram" + id;
    }

    /** Whether it is published as the iSCSI LUN with its id. */
    public boolean exported() {
        return settings.exported();
    }
}
