package io.jzram.core;

import io.jzram.core.DeviceSetup.Step;

/**
 * A {@link DeviceSetup} step that failed: which device, which step, and the device's own failure
 * ({@link #failure()}, with the {@link ZramException.Reason} callers map to an errno or a SCSI
 * status). The message reads like zramctl's: {@code zram2: failed to set algorithm: ...}.
 */
public final class DeviceSetupException extends Exception {
    private final transient ZramDevice device;
    private final Step step;

    DeviceSetupException(ZramDevice device, Step step, ZramException failure) {
        super(device.name() + ": failed to " + step.action() + ": " + withoutName(device, failure.getMessage()), failure);
        this.device = device;
        this.step = step;
    }

    /** The device's message without the device's name in front (the exception's own message has it once). */
    private static String withoutName(ZramDevice device, String message) {
        String prefix = device.name() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
    }

    public ZramDevice device() {
        return device;
    }

    public Step step() {
        return step;
    }

    /** What the device said. */
    public ZramException failure() {
        return (ZramException) getCause();
    }

    public ZramException.Reason reason() {
        return failure().reason();
    }
}
