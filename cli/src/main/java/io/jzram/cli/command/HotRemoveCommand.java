package io.jzram.cli.command;

import io.jzram.cli.Version;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import picocli.CommandLine.Command;

/** sysfs {@code hot_remove}: resets and removes devices. */
@Command(name = "hot-remove",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Remove devices (sysfs hot_remove).",
        description = "Resets and removes each DEVICE, like writing its number to "
                + "/sys/class/zram-control/hot_remove. A device that initiators have open is busy unless --force.")
final class HotRemoveCommand extends DeviceDrainCommand {

    @Override
    String verb() {
        return "remove";
    }

    @Override
    String progress(ZramDevice device) {
        return "removing " + device.name();
    }

    @Override
    void apply(Engine engine, ZramDevice device) throws ZramException, InterruptedException {
        engine.registry().hotRemove(device.id(), force, engine.drainTimeout());
    }
}
