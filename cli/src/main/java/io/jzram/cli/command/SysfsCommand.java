package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.core.Sysfs;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sysfs DEVICE ATTRIBUTE [VALUE]}: a device attribute by the kernel's name and syntax, read
 * like {@code cat /sys/block/zramN/ATTRIBUTE} or written like {@code echo VALUE > ...}. The work is
 * {@link Sysfs}'s; this prints or reports.
 */
@Command(name = "sysfs",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Read or write a device attribute by its kernel sysfs name.",
        description = {
            "Without VALUE prints the attribute as 'cat /sys/block/zramN/ATTRIBUTE' would; with VALUE writes it as "
                    + "'echo VALUE > /sys/block/zramN/ATTRIBUTE' would, in the kernel's syntax (sizes as memparse reads "
                    + "them: 4G, 512M, 0x1000).",
            "",
            "Attributes: disksize (RW), initstate (RO), reset (WO: 1 resets; busy while held), mem_limit (WO), "
                    + "mem_used_max (WO: 0), max_comp_streams (RW), comp_algorithm (RW: the list, the current one in "
                    + "brackets), compact (WO), io_stat (RO), mm_stat (RO). A failure says what the kernel's file says: "
                    + "Permission denied (a write-only attribute read, a read-only one written), Device or resource busy, "
                    + "Invalid argument.",
        })
final class SysfsCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "DEVICE", description = "zramN, /dev/zramN or N")
    String device;

    @Parameters(index = "1", paramLabel = "ATTRIBUTE", completionCandidates = AttributeNames.class, description = "the attribute's sysfs name")
    String attribute;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE", description = "the value to write")
    String value;

    /** The attribute names, for completion and help. */
    static final class AttributeNames extends java.util.ArrayList<String> {
        AttributeNames() {
            super(Sysfs.ATTRIBUTES);
        }
    }

    @Override
    public Integer call() {
        ZramDevice d = Devices.lookup(engine(), device);
        String file = d.name() + "/" + attribute;
        try {
            if (value == null) {
                out().print(Sysfs.read(d, attribute));
                out().flush();
            } else {
                Sysfs.write(engine().registry(), d, attribute, value);
            }
            return ExitCodes.OK;
        } catch (ZramException e) {
            // Ends here, nothing changed: the errno's text, as cat or echo would print it.
            return fail(file + ": " + (value == null ? "" : "write error: ") + e.reason().strerror());
        } catch (InterruptedException e) {
            return fail(ExitCodes.INTERRUPTED, file + ": write error: Interrupted system call");
        }
    }
}
