package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.core.ZramDevice;
import picocli.CommandLine.Command;

/** sysfs {@code hot_add}: creates a device that is not set up yet. */
@Command(name = "hot-add",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Add a device (sysfs hot_add).",
        description = "Creates a device with the lowest free number, not set up yet (set it up with "
                + "'zramctl DEVICE -s SIZE'), like reading /sys/class/zram-control/hot_add, and prints its name.")
final class HotAddCommand extends ServerCommand {

    @Override
    public Integer call() {
        ZramDevice d = engine().registry().hotAdd();
        out().println(d.name());
        out().flush();
        return ExitCodes.OK;
    }
}
