package io.jzram.cli;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** sysfs {@code reset}: frees a device's memory and settings; the device stays, not set up. */
@Command(name = "reset",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Reset devices (sysfs reset).",
        description = "Frees each DEVICE's data and memory and restores its defaults (lz4, no memory limit), "
                + "like writing 1 to /sys/block/zramN/reset; the device stays, not set up. A device that "
                + "initiators have open is busy unless --force.")
final class ResetCommand extends ServerCommand {

    @Option(names = "--force", description = "reset even while initiators use the device, after their in-flight I/O")
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
                Progress.runVoid(err(), context().terminal() && force, "resetting " + d.name() + ": draining in-flight I/O", () -> {
                    d.reset(force, engine.drainTimeout());
                    return null;
                });
            } catch (ZramException e) {
                warn(Devices.failed(d, "reset", e, !force));
                rc = ExitCodes.FAILURE;
            } catch (InterruptedException e) {
                return fail(ExitCodes.INTERRUPTED, d.name() + ": failed to reset: Interrupted system call");
            } catch (Exception e) {
                warn(d.name() + ": failed to reset: " + e);
                rc = ExitCodes.FAILURE;
            }
        }
        return rc;
    }
}
