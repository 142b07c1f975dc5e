package io.jzram.cli;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** sysfs {@code hot_remove}: resets and removes devices. */
@Command(name = "hot-remove",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Remove devices (sysfs hot_remove).",
        description = "Resets and removes each DEVICE, like writing its number to "
                + "/sys/class/zram-control/hot_remove. A device that initiators have open is busy unless --force.")
final class HotRemoveCommand extends ServerCommand {

    @Option(names = "--force", description = "remove even while initiators use the device, after their in-flight I/O")
    boolean force;

    @Parameters(paramLabel = "DEVICE", arity = "1..*", description = "zramN, /dev/zramN or N")
    List<String> devices = new ArrayList<>();

    @Override
    public Integer call() {
        Engine engine = engine();
        int rc = ExitCodes.OK;
        for (String name : devices) {
            ZramDevice d;
            try {
                d = Devices.lookup(engine, name);
            } catch (Failure f) {
                warn(f.getMessage());
                rc = ExitCodes.FAILURE;
                continue;
            }
            try {
                Progress.runVoid(err(), context().terminal() && force, "removing " + d.name() + ": draining in-flight I/O", () -> {
                    engine.registry().hotRemove(d.id(), force, engine.drainTimeout());
                    return null;
                });
            } catch (ZramException e) {
                warn(Devices.failed(d, "remove", e, !force));
                rc = ExitCodes.FAILURE;
            } catch (InterruptedException e) {
                return fail(ExitCodes.INTERRUPTED, d.name() + ": failed to remove: Interrupted system call");
            } catch (Exception e) {
                warn(d.name() + ": failed to remove: " + e);
                rc = ExitCodes.FAILURE;
            }
        }
        return rc;
    }
}
