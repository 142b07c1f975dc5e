package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The shape shared by {@code reset} and {@code hot-remove}: an operation on each named device that
 * is busy while initiators use the device unless {@code --force}, which then waits for their
 * in-flight I/O to drain (with a spinner on a terminal). Each device is tried in turn; the status
 * is the worst outcome, and an interrupt stops at once.
 */
abstract class DeviceDrainCommand extends ServerCommand {

    @Option(names = "--force", description = "${COMMAND-NAME} even while initiators use the device, after their in-flight I/O")
    boolean force;

    @Parameters(paramLabel = "DEVICE", arity = "1..*", description = "zramN, /dev/zramN or N")
    List<String> devices = new ArrayList<>();

    /** The verb in messages: "reset", "remove". */
    abstract String verb();

    /** The spinner's text while a forced operation drains, e.g. "resetting zram1". */
    abstract String progress(ZramDevice device);

    /** The operation itself. */
    abstract void apply(Engine engine, ZramDevice device) throws ZramException, InterruptedException;

    @Override
    public final Integer call() {
        Engine engine = engine();
        int rc = ExitCodes.OK;
        for (String name : devices) {
            ZramDevice d = lookupOrWarn(engine, name);
            if (d == null) {
                rc = ExitCodes.FAILURE;
                continue;
            }
            try {
                Progress.runVoid(err(), context().terminal() && force, progress(d) + ": draining in-flight I/O", () -> {
                    apply(engine, d);
                    return null;
                });
            } catch (ZramException e) {
                warn(Devices.failed(d, verb(), e, !force));
                rc = ExitCodes.FAILURE;
            } catch (InterruptedException e) {
                return fail(ExitCodes.INTERRUPTED, d.name() + ": failed to " + verb() + ": Interrupted system call");
            } catch (Exception e) {
                warn(d.name() + ": failed to " + verb() + ": " + e);
                rc = ExitCodes.FAILURE;
            }
        }
        return rc;
    }
}
