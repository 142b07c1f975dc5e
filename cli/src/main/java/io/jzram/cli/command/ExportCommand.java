package io.jzram.cli.command;

import io.jzram.cli.Version;
import picocli.CommandLine.Command;

/** Publishes devices as the iSCSI LUNs with their numbers again (the target's export switch). */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Publish devices as iSCSI LUNs.",
        description = {
            "Publishes each DEVICE as the iSCSI LUN with its number, after 'jzram unexport' or a configuration "
                    + "file's exported = false. Logged-in initiators are told (REPORTED LUNS DATA HAS CHANGED) and see "
                    + "the LUN when they rescan (iscsiadm -m session -R). A device that is exported already is left alone.",
            "",
            "Every device is exported unless told otherwise; a device removed and created again starts exported.",
        })
final class ExportCommand extends ExportSettingCommand {

    @Override
    boolean exported() {
        return true;
    }

    @Override
    boolean force() {
        return false;
    }
}
