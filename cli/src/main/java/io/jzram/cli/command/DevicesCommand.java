package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.core.ZramDevice;
import picocli.CommandLine.Command;

/**
 * The names of all devices, set up or not, one a line. Hidden: the client shell completes device
 * names with it; people use zramctl.
 */
@Command(name = "devices", hidden = true, header = "List all device names, one a line (for completion).")
final class DevicesCommand extends ServerCommand {

    @Override
    public Integer call() {
        for (ZramDevice d : engine().registry().devices()) {
            out().println(d.name());
        }
        out().flush();
        return ExitCodes.OK;
    }
}
