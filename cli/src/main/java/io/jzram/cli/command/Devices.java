package io.jzram.cli.command;

import io.jzram.cli.server.Engine;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;

/** Device lookups and the messages of jzram's own commands, which name devices {@code zramN}. */
final class Devices {
    private Devices() {}

    /** The device called {@code name} ({@code zramN}, {@code /dev/zramN} or {@code N}), or a Failure "name: No such device". */
    static ZramDevice lookup(Engine engine, String name) {
        try {
            return engine.registry().lookup(name);
        } catch (ZramException e) {
            throw new Failure(name + ": " + ZramException.Reason.NO_SUCH_DEVICE.strerror());
        }
    }

    /** {@code zram1: failed to reset: Device or resource busy}, with a hint where --force would help. */
    static String failed(ZramDevice device, String what, ZramException e, boolean forceHelps) {
        return failed(device, what, e, forceHelps, device.openCount());
    }

    /**
     * As {@link #failed(ZramDevice, String, ZramException, boolean)}, with the number of holders
     * that make it busy given: for unexport, the sessions that have the LUN, not every holder.
     */
    static String failed(ZramDevice device, String what, ZramException e, boolean forceHelps, int holders) {
        String message = device.name() + ": failed to " + what + ": " + e.reason().strerror();
        if (forceHelps && e.reason() == ZramException.Reason.BUSY) {
            message += " (" + (holders > 0 ? "in use by " + holders + " holder" + (holders == 1 ? "" : "s") + "; " : "")
                    + "--force to " + what + " it anyway)";
        }
        return message;
    }
}
