package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.format.HumanSize;
import io.jzram.cli.format.Table;
import io.jzram.cli.server.Engine;
import io.jzram.core.BdStat;
import io.jzram.core.IoCounters;
import io.jzram.core.IoStat;
import io.jzram.core.MmStat;
import io.jzram.core.TierStat;
import io.jzram.core.ZramDevice;
import io.jzram.core.mem.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The kernel's mm_stat, io_stat and bd_stat of devices: the sysfs lines as they are, then each
 * field named, then where the stored pages are (per algorithm, huge, same, written back).
 */
@Command(name = "stat",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Show a device's statistics (sysfs mm_stat, io_stat and bd_stat).",
        description = {
            "Prints, for each DEVICE, a summary line, the mm_stat, io_stat and bd_stat lines exactly as the kernel's "
                    + "/sys/block/zramN/mm_stat, io_stat and bd_stat show them, then every field by name: sizes for "
                    + "people (or in bytes with -b), counts as they are (bd_stat's are counts of 4 KiB pages).",
            "",
            "Then the device's tiers: the pages compressed by each algorithm (the primary one, priority 0, then "
                    + "the recompression algorithms by priority, as recomp_algorithm sets them), the pages stored raw "
                    + "(huge), same-filled (same) and on the backing device (wb), each with the uncompressed size of its "
                    + "data. The pages add up to orig_data_size; zramctl's TIERS column shows the same split.",
        })
final class StatCommand extends ServerCommand {

    @Option(names = {"-b", "--bytes"}, description = "print sizes in bytes, not in human-readable form")
    boolean bytes;

    @Parameters(paramLabel = "DEVICE", arity = "1..*", description = "zramN, /dev/zramN or N")
    List<String> devices = new ArrayList<>();

    @Override
    public Integer call() {
        Engine engine = engine();
        List<ZramDevice> found = devices.stream().map(d -> Devices.lookup(engine, d)).toList();
        StringBuilder sb = new StringBuilder();
        for (ZramDevice d : found) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(render(d, engine.lun(d), engine.luns() != null, bytes));
        }
        out().print(sb);
        out().flush();
        return ExitCodes.OK;
    }

    /**
     * @param lun the LUN the device is exported as, or null
     * @param target whether there is an iSCSI target: then a device without a LUN is said to be
     *     {@code not exported} (without a target no device is, and saying it of each is noise)
     */
    static String render(ZramDevice d, Integer lun, boolean target, boolean bytes) {
        MmStat mm = d.mmStat();
        IoStat io = d.ioStat();
        IoCounters c = d.ioCounters();
        BdStat bd = d.bdStat();
        TierStat tiers = d.tierStat();
        StringBuilder sb = new StringBuilder();
        sb.append(d.name()).append(": ");
        if (d.isInitialized()) {
            sb.append("disksize ").append(size(d.diskSize(), bytes));
        } else {
            sb.append("not set up");
        }
        sb.append(", algorithm ").append(d.algorithm())
                .append(", streams ").append(d.streams());
        if (lun != null) {
            sb.append(", LUN ").append(lun);
        } else if (target) {
            sb.append(", not exported");
        }
        sb.append(", holders ").append(d.openCount()).append('\n');
        sb.append("mm_stat ").append(mm).append('\n');
        sb.append("io_stat ").append(io).append('\n');
        sb.append("bd_stat ").append(bd).append('\n');
        Table t = new Table(List.of(new Table.Column("FIELD", 0, false), new Table.Column("VALUE", 0, true)));
        t.addRow("orig_data_size", size(mm.origDataSize(), bytes));
        t.addRow("compr_data_size", size(mm.comprDataSize(), bytes));
        t.addRow("mem_used_total", size(mm.memUsedTotal(), bytes));
        t.addRow("mem_limit", size(mm.memLimit(), bytes));
        t.addRow("mem_used_max", size(mm.memUsedMax(), bytes));
        t.addRow("same_pages", Long.toString(mm.samePages()));
        t.addRow("pages_compacted", Long.toString(mm.pagesCompacted()));
        t.addRow("huge_pages", Long.toString(mm.hugePages()));
        t.addRow("huge_pages_since", Long.toString(mm.hugePagesSince()));
        t.addRow("failed_reads", Long.toString(io.failedReads()));
        t.addRow("failed_writes", Long.toString(io.failedWrites()));
        t.addRow("invalid_io", Long.toString(io.invalidIo()));
        t.addRow("notify_free", Long.toString(io.notifyFree()));
        t.addRow("reads", Long.toString(c.reads()));
        t.addRow("writes", Long.toString(c.writes()));
        t.addRow("discards", Long.toString(c.discards()));
        t.addRow("bytes_read", size(c.bytesRead(), bytes));
        t.addRow("bytes_written", size(c.bytesWritten(), bytes));
        t.addRow("bd_count", Long.toString(bd.count()));
        t.addRow("bd_reads", Long.toString(bd.reads()));
        t.addRow("bd_writes", Long.toString(bd.writes()));
        sb.append(t.render());
        sb.append('\n').append(tiers(tiers, bytes).render());
        return sb.toString();
    }

    /** Where the stored pages are: each algorithm with its priority, then huge, same and wb (written back). */
    static Table tiers(TierStat tiers, boolean bytes) {
        Table t = new Table(List.of(new Table.Column("TIER", 0, false), new Table.Column("PRIORITY", 0, true),
                new Table.Column("PAGES", 0, true), new Table.Column("DATA", 0, true)));
        tiers.algorithms().stream().sorted(Comparator.comparingInt(TierStat.AlgorithmPages::priority)).forEach(a ->
                t.addRow(a.algorithm(), Integer.toString(a.priority()), Long.toString(a.pages()), size(a.pages() * Page.SIZE, bytes)));
        t.addRow("huge", null, Long.toString(tiers.hugePages()), size(tiers.hugePages() * Page.SIZE, bytes));
        t.addRow("same", null, Long.toString(tiers.samePages()), size(tiers.samePages() * Page.SIZE, bytes));
        t.addRow("wb", null, Long.toString(tiers.writtenBackPages()), size(tiers.writtenBackPages() * Page.SIZE, bytes));
        return t;
    }

    private static String size(long v, boolean bytes) {
        return bytes ? Long.toUnsignedString(v) : HumanSize.format(v);
    }
}
