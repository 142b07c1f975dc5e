package io.jzram.cli.command;

import io.jzram.cli.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Withdraws devices' iSCSI LUNs (the target's export switch): the devices stay, initiators lose them. */
@Command(name = "unexport",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Withdraw devices' iSCSI LUNs.",
        description = {
            "Withdraws the LUN of each DEVICE: initiators no longer see it (REPORT LUNS leaves it out; logged-in "
                    + "initiators are told, REPORTED LUNS DATA HAS CHANGED) and no session holds the device, so it can "
                    + "be reset without --force. The device and its data stay on the server; 'jzram export' publishes "
                    + "it again. A device that is unexported already is left alone.",
            "",
            "Withdrawing a LUN that logged-in initiators have is as disruptive for them as hot-removing the disk: "
                    + "the device is busy unless --force. The setting lasts while the device exists (save-config writes "
                    + "it as exported = false); a device removed and created again starts exported.",
        })
final class UnexportCommand extends ExportSettingCommand {

    @Option(names = "--force", description = "withdraw the LUN even from logged-in initiators")
    boolean force;

    @Override
    boolean exported() {
        return false;
    }

    @Override
    boolean force() {
        return force;
    }
}
