package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramRegistry;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.target.scsi.LunMap;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * The shape shared by {@code export} and {@code unexport}: the target's export switch
 * ({@link LunMap#setExported}) on each named device. Each device is tried in turn; the
 * status is the worst outcome. A device that already is as asked is left alone and is no failure
 * (the switch is idempotent). The switch is flipped under the registry's set-up lock: the export
 * setting is part of what {@code apply} plans from, so it never changes between a plan and its
 * steps.
 */
abstract class ExportSettingCommand extends ServerCommand {

    @Parameters(paramLabel = "DEVICE", arity = "1..*", description = "zramN, /dev/zramN or N")
    List<String> devices = new ArrayList<>();

    /** What the command sets: true for export. */
    abstract boolean exported();

    /** Whether withdrawing goes ahead while sessions have the LUN. */
    abstract boolean force();

    /** The verb in messages: "export", "unexport". */
    final String verb() {
        return exported() ? "export" : "unexport";
    }

    @Override
    public final Integer call() {
        Engine engine = engine();
        LunMap target = engine.luns();
        int rc = ExitCodes.OK;
        for (String name : devices) {
            ZramDevice d = lookupOrWarn(engine, name);
            if (d == null) {
                rc = ExitCodes.FAILURE;
                continue;
            }
            if (target == null) {
                // Ends here for this device: with no target no device is a LUN, there is nothing to switch.
                warn(d.name() + ": failed to " + verb() + ": no iSCSI target");
                rc = ExitCodes.FAILURE;
                continue;
            }
            try {
                try (ZramRegistry.Exclusive held = engine.registry().exclusive()) {
                    target.setExported(d, exported(), force());
                }
            } catch (ZramException e) {
                // BUSY: logged-in sessions have the LUN; the message counts them and says --force helps.
                warn(Devices.failed(d, verb(), e, !force(), target.sessionsUsing(d.id())));
                rc = ExitCodes.FAILURE;
            }
        }
        return rc;
    }
}
