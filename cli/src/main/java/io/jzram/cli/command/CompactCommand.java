package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.server.Engine;
import io.jzram.core.mem.Page;
import io.jzram.cli.format.HumanSize;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** sysfs {@code compact}: compacts devices' allocators and says how much memory came back. */
@Command(name = "compact",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Compact devices' memory (sysfs compact).",
        description = "Moves compressed pages together so that whole 4 KiB pages of the allocator are freed, "
                + "like writing to /sys/block/zramN/compact, and prints how many pages were freed.")
final class CompactCommand extends ServerCommand {

    @Parameters(paramLabel = "DEVICE", arity = "1..*", description = "zramN, /dev/zramN or N")
    List<String> devices = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Engine engine = engine();
        List<ZramDevice> found = devices.stream().map(d -> Devices.lookup(engine, d)).toList();
        int rc = ExitCodes.OK;
        for (ZramDevice d : found) {
            try {
                long pages = Progress.run(err(), context().terminal(), "compacting " + d.name(), d::compact);
                out().println(d.name() + ": " + pages + " page" + (pages == 1 ? "" : "s") + " freed ("
                        + HumanSize.format(pages * Page.SIZE) + ")");
                out().flush();
            } catch (ZramException e) {
                warn(Devices.failed(d, "compact", e, false));
                rc = ExitCodes.FAILURE;
            }
        }
        return rc;
    }
}
