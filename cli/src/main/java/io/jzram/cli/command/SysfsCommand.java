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
            "Attributes, their access (RW; RO: read-only; WO: write-only), what a read prints and what a write takes, "
                    + "as in the kernel's Documentation/admin-guide/blockdev/zram.rst:",
            "  disksize (RW)",
            "      read: bytes; write: a size (4G, 512M), only while not set up: sets the",
            "      device up",
            "  initstate (RO)",
            "      read: 0 or 1",
            "  reset (WO)",
            "      write: a non-zero number: resets the device (busy while held)",
            "  mem_limit (WO)",
            "      write: a size; 0 removes the limit",
            "  mem_used_max (WO)",
            "      write: 0: back to the current mem_used_total",
            "  writeback_limit (RW)",
            "      read: the pages (4 KiB) writeback may still write; write: pages",
            "  writeback_limit_enable (RW)",
            "      read: 0 or 1; write: 0 or 1",
            "  max_comp_streams (RW)",
            "      read: the number of streams; write: a number, only while not set up",
            "  comp_algorithm (RW)",
            "      read: the algorithms, the current one in brackets; write: a name, only",
            "      while not set up",
            "  algorithm_params (WO)",
            "      write: algo=NAME|priority=N [level=N] [dict=PATH], only while not set up",
            "  compact (WO)",
            "      write: anything: compacts",
            "  backing_dev (RW)",
            "      read: the path, or none; write: a file or block device (none for none),",
            "      only while not set up",
            "  idle (WO)",
            "      write: all, or an age in seconds: marks the pages not accessed for that",
            "      long idle",
            "  recomp_algorithm (RW)",
            "      read: a line per priority, #1: lz4 [zstd] ...; write: algo=NAME",
            "      [priority=1..3], only while not set up",
            "  recompress (WO)",
            "      write: [type=idle|huge|huge_idle] [threshold=BYTES] [max_pages=N]",
            "      [algo=NAME|priority=N]",
            "  writeback (WO)",
            "      write: idle, huge, huge_idle, incompressible, page_index=N or",
            "      page_indexes=LO-HI",
            "  io_stat (RO)",
            "      read: the kernel's fields (jzram stat names them)",
            "  mm_stat (RO)",
            "      read: the kernel's fields (jzram stat names them)",
            "  bd_stat (RO)",
            "      read: bd_count bd_reads bd_writes, in 4 KiB pages (jzram stat names them)",
            "  recompress_idle_after (RW)",
            "      read: seconds, or off; write: an age (600, 10m, 1h, 1d) or off: jzram's",
            "      own background recompression of the pages not accessed for that long",
            "  writeback_idle_after (RW)",
            "      read: seconds, or off; write: an age or off: jzram's own background",
            "      writeback of the pages not accessed for that long",
            "  tiering_cpu_budget (RW)",
            "      read: a share of one core; write: 0.01 to 1: the share of one core the",
            "      background work may use (default 0.1)",
            "",
            "The background tiering (recompress_idle_after, writeback_idle_after, tiering_cpu_budget) is done by the "
                    + "server's tiering worker; the kernel only recompresses and writes back when recompress or "
                    + "writeback is written.",
            "",
            "A failure says what the kernel's file says: Permission denied (a write-only attribute read, a read-only one "
                    + "written), Device or resource busy, Invalid argument, No such file or directory.",
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
