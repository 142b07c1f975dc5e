package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.format.HumanSize;
import io.jzram.config.SizeParser;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** sysfs {@code mem_limit}: shows or sets the limit on a device's memory. */
@Command(name = "mem-limit",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Show or set a device's memory limit (sysfs mem_limit).",
        description = {
            "With SIZE, limits the memory the device may use for compressed data, like writing to "
                    + "/sys/block/zramN/mem_limit: later writes beyond it fail, data already stored stays. "
                    + "0 removes the limit. The limit is rounded up to 4 KiB and reset with the device.",
            "Without SIZE, prints the limit (0 = none).",
        })
final class MemLimitCommand extends ServerCommand {

    @Option(names = {"-b", "--bytes"}, description = "print the limit in bytes, not in human-readable form")
    boolean bytes;

    @Parameters(index = "0", paramLabel = "DEVICE", description = "zramN, /dev/zramN or N")
    String device;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SIZE",
            description = "the limit, in zramctl's size syntax (512M, 1.5G, 1GiB, 1GB = 10^9 bytes); 0 for none")
    String size;

    @Override
    public Integer call() {
        ZramDevice d = Devices.lookup(engine(), device);
        if (size == null) {
            long limit = d.memLimit();
            out().println(bytes ? Long.toUnsignedString(limit) : HumanSize.format(limit));
            out().flush();
            return ExitCodes.OK;
        }
        long limit;
        try {
            limit = SizeParser.parse(size);
        } catch (SizeParser.SizeFormatException e) {
            return fail("failed to parse size: " + e.getMessage());
        }
        try {
            d.setMemLimit(limit);
        } catch (ZramException e) {
            return fail(Devices.failed(d, "set mem_limit", e, false));
        }
        return ExitCodes.OK;
    }
}
