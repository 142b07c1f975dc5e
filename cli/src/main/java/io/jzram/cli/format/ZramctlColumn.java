package io.jzram.cli.format;

import io.jzram.core.MmStat;
import io.jzram.core.TierStat;
import io.jzram.core.mem.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * zramctl's output columns (util-linux sys-utils/zramctl.c, {@code infos[]}), with its names,
 * width hints, alignment and help texts, and {@code LUN} in place of {@code MOUNTPOINT}.
 *
 * <p>Departures from zramctl, each because its output would be wrong for us:
 * <ul>
 *   <li>{@code LUN} replaces {@code MOUNTPOINT}: a jzram device is not mounted here but exported
 *       as the iSCSI LUN with its number; {@code MOUNTPOINT} is still accepted in {@code -o} as
 *       another name for it. Right-aligned, since it is a number. Empty for a device that is not
 *       exported (unexported, or no target), as {@code MOUNTPOINT} is for one not mounted.</li>
 *   <li>{@code MIGRATED} is a count of pages; zramctl formats it as a size in human mode
 *       ({@code 5B}); we print the count, like {@code ZERO-PAGES}.</li>
 *   <li>{@code COMP-RATIO} is DATA/TOTAL with four decimals as in zramctl; when TOTAL is 0 the
 *       ratio is undefined and zramctl prints glibc's {@code -nan} or {@code inf}: we leave the
 *       cell empty, as zramctl does for any value it cannot read.</li>
 * </ul>
 *
 * <p>jzram's own column, not zramctl's, and so not among the defaults (like zramctl's optional
 * columns, it is asked for with {@code -o}, {@code -o +TIERS} or {@code --output-all}):
 * <ul>
 *   <li>{@code TIERS}: where the stored data is (memory tiering: recompression and writeback), as
 *       the uncompressed size of the pages in each tier, {@code lz4:120M zstd:40M huge:8M same:2M
 *       wb:300M}: the primary algorithm's pages, then each recompression algorithm's by priority
 *       (their names; an algorithm used at two priorities is named twice), then pages stored raw
 *       ({@code huge}, mm_stat's huge_pages), same-filled pages ({@code same}, mm_stat's
 *       same_pages) and pages on the backing device ({@code wb}, bd_stat's bd_count); only the
 *       parts that are not zero, sizes as the other size columns print them (bytes with
 *       {@code -b}). The parts add up to DATA. Empty for a device that stores nothing (one not set
 *       up among them). Its cell has spaces, which {@code --raw} writes as {@code \x20}, as
 *       libsmartcols writes any blank.</li>
 * </ul>
 */
public enum ZramctlColumn {
    NAME("NAME", 0.25, false, "zram device name"),
    DISKSIZE("DISKSIZE", 5, true, "limit on the uncompressed amount of data"),
    DATA("DATA", 5, true, "uncompressed size of stored data"),
    COMPR("COMPR", 5, true, "compressed size of stored data"),
    ALGORITHM("ALGORITHM", 3, false, "the selected compression algorithm"),
    STREAMS("STREAMS", 3, true, "number of concurrent compress operations"),
    ZERO_PAGES("ZERO-PAGES", 3, true, "empty pages with no allocated memory"),
    TOTAL("TOTAL", 5, true, "all memory including allocator fragmentation and metadata overhead"),
    MEM_LIMIT("MEM-LIMIT", 5, true, "memory limit used to store compressed data"),
    MEM_USED("MEM-USED", 5, true, "peak memory usage to store compressed data"),
    MIGRATED("MIGRATED", 5, true, "number of objects migrated by compaction"),
    COMP_RATIO("COMP-RATIO", 5, true, "compression ratio: DATA/TOTAL"),
    LUN("LUN", 3, true, "the iSCSI LUN the device is exported as, empty when it is not (zramctl: MOUNTPOINT)"),
    TIERS("TIERS", 0.25, false, "uncompressed size of stored data per tier: algorithms, huge, same, wb");

    /** zramctl's default columns, with LUN where zramctl has MOUNTPOINT. */
    public static final List<ZramctlColumn> DEFAULTS = List.of(NAME, ALGORITHM, DISKSIZE, DATA, COMPR, TOTAL, STREAMS, LUN);

    private final String header;
    private final double widthHint;
    private final boolean right;
    private final String help;

    ZramctlColumn(String header, double widthHint, boolean right, String help) {
        this.header = header;
        this.widthHint = widthHint;
        this.right = right;
        this.help = help;
    }

    public String header() {
        return header;
    }

    public String help() {
        return help;
    }

    public Table.Column tableColumn() {
        return new Table.Column(header, widthHint, right);
    }

    /** The column called {@code name}, case-insensitively; MOUNTPOINT is LUN. */
    public static Optional<ZramctlColumn> byName(String name) {
        if (name.equalsIgnoreCase("MOUNTPOINT")) {
            return Optional.of(LUN);
        }
        return Arrays.stream(values()).filter(c -> c.header.equalsIgnoreCase(name)).findFirst();
    }

    /** The headers of all columns, in zramctl's order (for completion and help). */
    public static List<String> headers() {
        return Arrays.stream(values()).map(ZramctlColumn::header).toList();
    }

    /** Thrown for an unknown name in an {@code -o} list; the message is zramctl's. */
    public static final class UnknownColumnException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownColumnException(String name) {
            super("unknown column: " + name);
        }
    }

    /**
     * Applies an {@code -o} argument as util-linux's {@code string_add_to_idarray} does: a list
     * starting with {@code +} is appended to {@code current}, any other list replaces it.
     */
    public static List<ZramctlColumn> apply(List<ZramctlColumn> current, String list) throws UnknownColumnException {
        boolean append = list.startsWith("+");
        String names = append ? list.substring(1) : list;
        List<ZramctlColumn> result = new ArrayList<>(append ? current : List.of());
        if (names.isEmpty()) {
            throw new UnknownColumnException(names);
        }
        List<String> items = new ArrayList<>(Arrays.asList(names.split(",", -1)));
        if (items.size() > 1 && items.getLast().isEmpty()) {
            items.removeLast(); // "NAME," is NAME, as in util-linux
        }
        for (String name : items) {
            result.add(byName(name).orElseThrow(() -> new UnknownColumnException(name)));
        }
        return result;
    }

    /**
     * What one row shows: a snapshot of one device.
     *
     * @param tiers where its stored pages are ({@link TierStat#EMPTY} while not set up)
     */
    public record DeviceRow(String path, long diskSize, String algorithm, int streams, MmStat mm, Integer lun, TierStat tiers) {
        public DeviceRow {
            tiers = tiers == null ? TierStat.EMPTY : tiers;
        }
    }

    /** The cell of this column for {@code row}; null for an empty cell. */
    public String cell(DeviceRow row, boolean bytes) {
        MmStat mm = row.mm();
        return switch (this) {
            case NAME -> row.path();
            case DISKSIZE -> size(row.diskSize(), bytes);
            case DATA -> size(mm.origDataSize(), bytes);
            case COMPR -> size(mm.comprDataSize(), bytes);
            case ALGORITHM -> row.algorithm();
            case STREAMS -> Integer.toString(row.streams());
            case ZERO_PAGES -> Long.toString(mm.samePages());
            case TOTAL -> size(mm.memUsedTotal(), bytes);
            case MEM_LIMIT -> size(mm.memLimit(), bytes);
            case MEM_USED -> size(mm.memUsedMax(), bytes);
            case MIGRATED -> Long.toString(mm.pagesCompacted());
            case COMP_RATIO -> mm.memUsedTotal() == 0 ? null
                    : String.format(Locale.ROOT, "%.4f", (double) mm.origDataSize() / mm.memUsedTotal());
            case LUN -> row.lun() == null ? null : row.lun().toString();
            case TIERS -> tiers(row.tiers(), bytes);
        };
    }

    /** The TIERS cell: {@code lz4:120M zstd:40M huge:8M same:2M wb:300M}, the parts that are not zero; null for none. */
    static String tiers(TierStat t, boolean bytes) {
        StringJoiner j = new StringJoiner(" ");
        t.algorithms().stream().sorted(Comparator.comparingInt(TierStat.AlgorithmPages::priority))
                .forEach(a -> part(j, a.algorithm(), a.pages(), bytes));
        part(j, "huge", t.hugePages(), bytes);
        part(j, "same", t.samePages(), bytes);
        part(j, "wb", t.writtenBackPages(), bytes);
        return j.length() == 0 ? null : j.toString();
    }

    private static void part(StringJoiner j, String name, long pages, boolean bytes) {
        if (pages != 0) {
            j.add(name + ":" + size(pages * Page.SIZE, bytes));
        }
    }

    private static String size(long value, boolean bytes) {
        return bytes ? Long.toUnsignedString(value) : HumanSize.format(value);
    }

    /** A table of {@code rows} with {@code columns}. */
    public static Table table(List<ZramctlColumn> columns, List<DeviceRow> rows, boolean bytes) {
        Table t = new Table(columns.stream().map(ZramctlColumn::tableColumn).toList());
        for (DeviceRow row : rows) {
            t.addRow(columns.stream().map(c -> c.cell(row, bytes)).toArray(String[]::new));
        }
        return t;
    }
}
