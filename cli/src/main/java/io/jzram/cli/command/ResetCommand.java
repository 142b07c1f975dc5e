package io.jzram.cli.command;

import io.jzram.cli.Version;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import picocli.CommandLine.Command;

/** sysfs {@code reset}: frees a device's memory and settings; the device stays, not set up. */
@Command(name = "reset",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Reset devices (sysfs reset).",
        description = "Frees each DEVICE's data and memory and restores its defaults (lz4, no memory limit), "
                + "like writing 1 to /sys/block/zramN/reset; the device stays, not set up. A device that "
                + "initiators have open is busy unless --force.")
final class ResetCommand extends DeviceDrainCommand {

    @Override
    String verb() {
        return "reset";
    }

    @Override
    String progress(ZramDevice device) {
        return "resetting " + device.name();
    }

    @Override
    void apply(Engine engine, ZramDevice device) throws ZramException, InterruptedException {
        device.reset(force, engine.drainTimeout());
    }
}
