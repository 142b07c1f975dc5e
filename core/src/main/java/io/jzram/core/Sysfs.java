package io.jzram.core;

import io.jzram.core.compress.CompressionAlgorithms;
import io.jzram.core.mem.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * A device's attributes by the names and in the syntax of the kernel's
 * {@code /sys/block/zramN/} (Documentation/admin-guide/blockdev/zram.rst), so that an admin who
 * knows those files needs nothing new: reads give exactly the file's text (with its newline),
 * writes take what one would echo into it.
 *
 * <table>
 *   <caption>attributes</caption>
 *   <tr><th>name</th><th>access</th><th>read</th><th>write</th></tr>
 *   <tr><td>disksize</td><td>RW</td><td>bytes</td><td>a size (memparse: K, M, G, T, P, E), only while not set up: it sets the device up</td></tr>
 *   <tr><td>initstate</td><td>RO</td><td>0 or 1</td><td></td></tr>
 *   <tr><td>comp_algorithm</td><td>RW</td><td>the algorithms, the current one in brackets</td><td>a name, only while not set up</td></tr>
 *   <tr><td>max_comp_streams</td><td>RW</td><td>the number of streams</td><td>a number, only while not set up
 *       (kernels since 4.x keep one stream per CPU and dropped the file in 6.x; jzram's streams are real,
 *       and zramctl's STREAMS column reads them)</td></tr>
 *   <tr><td>mem_limit</td><td>WO</td><td></td><td>a size; 0 removes the limit</td></tr>
 *   <tr><td>mem_used_max</td><td>WO</td><td></td><td>0: reset to the current mem_used_total</td></tr>
 *   <tr><td>reset</td><td>WO</td><td></td><td>a non-zero number: reset (busy while held)</td></tr>
 *   <tr><td>compact</td><td>WO</td><td></td><td>anything: compact</td></tr>
 *   <tr><td>mm_stat, io_stat, bd_stat</td><td>RO</td><td>the kernel's fields</td><td></td></tr>
 *   <tr><td>recomp_algorithm</td><td>RW</td><td>a line per priority: {@code #1: lz4 lz4hc [zstd] deflate}</td>
 *       <td>{@code algo=NAME [priority=1..3]} (priority 1 if not given), only while not set up</td></tr>
 *   <tr><td>algorithm_params</td><td>WO</td><td></td><td>{@code [algo=NAME|priority=N] [level=N] [dict=PATH]}
 *       (the primary algorithm's when neither is given),
 *       only while not set up; a level for lz4 and a dictionary for anything but zstd are refused
 *       (lz4-java has neither), where the kernel would take them</td></tr>
 *   <tr><td>idle</td><td>WO</td><td></td><td>{@code all}, or an age in seconds</td></tr>
 *   <tr><td>recompress</td><td>WO</td><td></td><td>{@code [type=idle|huge|huge_idle] [threshold=BYTES]
 *       [max_pages=N] [algo=NAME|priority=N]}</td></tr>
 *   <tr><td>backing_dev</td><td>RW</td><td>the path, or {@code none}</td><td>a file or block device,
 *       only while not set up ({@code none} removes it: jzram's, the kernel has no way to)</td></tr>
 *   <tr><td>writeback</td><td>WO</td><td></td><td>{@code idle}, {@code huge}, {@code huge_idle},
 *       {@code incompressible}, {@code page_index=N}, {@code page_indexes=LO-HI}</td></tr>
 *   <tr><td>writeback_limit</td><td>RW</td><td>pages left</td><td>pages (4 KiB)</td></tr>
 *   <tr><td>writeback_limit_enable</td><td>RW</td><td>0 or 1</td><td>0 or 1</td></tr>
 *   <tr><td>recompress_idle_after, writeback_idle_after</td><td>RW</td><td>seconds, or {@code off}</td>
 *       <td>an age ({@code 600}, {@code 10m}, {@code 1h}, {@code 1d}) or {@code off}: jzram's
 *       background policy, which the kernel does not have</td></tr>
 *   <tr><td>tiering_cpu_budget</td><td>RW</td><td>a share of one core</td><td>0.01 to 1</td></tr>
 * </table>
 *
 * Every failure is a {@link ZramException} with the errno the kernel's file would give: reading a
 * write-only attribute or writing a read-only one is EACCES (the files' modes say so), an unknown
 * attribute ENOENT, a value that does not parse EINVAL, a setting the device refuses while set up
 * EBUSY. Writing {@code disksize} sets the device up with the settings written before it, as the kernel does.
 */
public final class Sysfs {
    private Sysfs() {}

    /** The attributes, in the kernel documentation's order. */
    public static final List<String> ATTRIBUTES = List.of("disksize", "initstate", "reset", "mem_limit", "mem_used_max",
            "writeback_limit", "writeback_limit_enable", "max_comp_streams", "comp_algorithm", "algorithm_params", "compact",
            "backing_dev", "idle", "recomp_algorithm", "recompress", "writeback", "io_stat", "mm_stat", "bd_stat",
            "recompress_idle_after", "writeback_idle_after", "tiering_cpu_budget");

    private static final List<String> WRITE_ONLY = List.of("reset", "mem_limit", "mem_used_max", "compact", "algorithm_params",
            "idle", "recompress", "writeback");
    private static final List<String> READ_ONLY = List.of("initstate", "io_stat", "mm_stat", "bd_stat");

    /**
     * The text of attribute {@code name}, as {@code cat /sys/block/zramN/name} prints it.
     *
     * @throws ZramException NO_SUCH_DEVICE for an unknown attribute (ENOENT); PERMISSION for a write-only one
     */
    public static String read(ZramDevice device, String name) throws ZramException {
        check(name);
        if (WRITE_ONLY.contains(name)) {
            throw denied(device, name, "write-only");
        }
        return switch (name) {
            case "disksize" -> device.diskSize() + "\n";
            case "initstate" -> (device.isInitialized() ? 1 : 0) + "\n";
            case "max_comp_streams" -> device.streams() + "\n";
            // As the kernel prints it: every name followed by a space, the current one in brackets.
            case "comp_algorithm" -> CompressionAlgorithms.availableNames().stream()
                    .map(a -> (a.equals(device.algorithm()) ? "[" + a + "]" : a) + " ").collect(Collectors.joining()) + "\n";
            case "mm_stat" -> device.mmStat() + "\n";
            case "io_stat" -> device.ioStat() + "\n";
            case "bd_stat" -> device.bdStat() + "\n";
            case "recomp_algorithm" -> recompAlgorithms(device);
            case "backing_dev" -> (device.backingDev() == null ? "none" : device.backingDev().toString()) + "\n";
            case "writeback_limit" -> device.writebackLimit() + "\n";
            case "writeback_limit_enable" -> (device.isWritebackLimitEnabled() ? 1 : 0) + "\n";
            case "recompress_idle_after" -> age(device.tieringPolicy().recompressIdleAfter()) + "\n";
            case "writeback_idle_after" -> age(device.tieringPolicy().writebackIdleAfter()) + "\n";
            case "tiering_cpu_budget" -> device.tieringPolicy().cpuBudget() + "\n";
            default -> throw new IllegalStateException(name);
        };
    }

    /** As the kernel prints recomp_algorithm: for each priority that has one, {@code #N: } and the comp_algorithm list. */
    private static String recompAlgorithms(ZramDevice device) {
        StringBuilder b = new StringBuilder();
        for (int p = 1; p < ZramDevice.MAX_ALGORITHMS; p++) {
            AlgorithmChoice c = device.algorithmChoice(p);
            if (c != null) {
                b.append('#').append(p).append(": ").append(CompressionAlgorithms.availableNames().stream()
                        .map(a -> (a.equals(c.name()) ? "[" + a + "]" : a) + " ").collect(Collectors.joining())).append('\n');
            }
        }
        return b.toString();
    }

    private static String age(Duration d) {
        return d == null ? "off" : Long.toString(d.toSeconds());
    }

    /**
     * Writes {@code value} to attribute {@code name}, as {@code echo value > /sys/block/zramN/name}
     * does (surrounding white space, the echo's newline included, is ignored).
     *
     * @throws ZramException as the kernel's write would fail; nothing changed
     * @throws InterruptedException while a reset drained in-flight I/O
     */
    public static void write(ZramRegistry registry, ZramDevice device, String name, String value)
            throws ZramException, InterruptedException {
        check(name);
        if (READ_ONLY.contains(name)) {
            throw denied(device, name, "read-only");
        }
        String v = value.strip();
        switch (name) {
            case "disksize" -> {
                long size = memparse(device, name, v);
                // The kernel's disksize_store sets the device up with the settings written before
                // the size (algorithms, parameters, backing device): only the size's step, under
                // the registry's set-up lock, so no other set-up runs meanwhile. A DeviceSetup
                // would start with a reset, which forgets those settings.
                if (device.isInitialized()) {
                    // The kernel's disksize_store: EBUSY on a set-up device (reset it first).
                    throw new ZramException(ZramException.Reason.BUSY,
                            device.name() + ": cannot change disksize of an initialized device; reset it first");
                }
                try (ZramRegistry.Exclusive ignored = registry.exclusive()) {
                    device.init(size);
                }
            }
            case "comp_algorithm" -> device.setAlgorithm(v);
            case "max_comp_streams" -> {
                long n = number(device, name, v);
                if (n < 1 || n > Integer.MAX_VALUE) {
                    throw invalid(device, name, v);
                }
                device.setStreams((int) n);
            }
            case "mem_limit" -> device.setMemLimit(memparse(device, name, v));
            case "mem_used_max" -> {
                if (number(device, name, v) != 0) {
                    throw invalid(device, name, v); // the kernel takes only 0
                }
                device.resetMemUsedMax();
            }
            case "reset" -> {
                if (number(device, name, v) == 0) {
                    return; // the kernel resets on a non-zero number only
                }
                device.reset(false, registry.drainTimeout());
            }
            case "compact" -> {
                requireSetUp(device, name);
                device.compact();
            }
            case "recomp_algorithm" -> setRecompAlgorithm(device, v);
            case "algorithm_params" -> setAlgorithmParams(device, v);
            case "backing_dev" -> device.setBackingDev(v.equals("none") ? null : Path.of(v));
            case "writeback_limit" -> device.setWritebackLimit(number(device, name, v));
            case "writeback_limit_enable" -> {
                long n = number(device, name, v);
                if (n != 0 && n != 1) {
                    throw invalid(device, name, v);
                }
                device.setWritebackLimitEnabled(n == 1);
            }
            case "idle" -> {
                requireSetUp(device, name);
                device.markIdle(v.equals("all") ? OptionalLong.empty() : OptionalLong.of(number(device, name, v)));
            }
            case "recompress" -> {
                requireSetUp(device, name);
                device.recompress(named(device, RecompressRequest::parse, v));
            }
            case "writeback" -> {
                requireSetUp(device, name);
                device.writeback(named(device, WritebackRequest::parse, v));
            }
            case "recompress_idle_after" -> device.setTieringPolicy(device.tieringPolicy().withRecompressIdleAfter(parseAge(device, name, v)));
            case "writeback_idle_after" -> device.setTieringPolicy(device.tieringPolicy().withWritebackIdleAfter(parseAge(device, name, v)));
            case "tiering_cpu_budget" -> {
                double b;
                try {
                    b = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw invalid(device, name, v);
                }
                if (!(b >= 0.01 && b <= 1)) {
                    throw invalid(device, name, v);
                }
                device.setTieringPolicy(device.tieringPolicy().withCpuBudget(b));
            }
            default -> throw new IllegalStateException(name);
        }
    }

    /** The kernel answers EINVAL to these on a device that is not set up. */
    private static void requireSetUp(ZramDevice device, String name) throws ZramException {
        if (!device.isInitialized()) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, device.name() + ": " + name + ": not set up");
        }
    }

    private interface Parser<T> {
        T parse(String v) throws ZramException;
    }

    /** Parses with {@code parser}, naming the device in a failure. */
    private static <T> T named(ZramDevice device, Parser<T> parser, String v) throws ZramException {
        try {
            return parser.parse(v);
        } catch (ZramException e) {
            throw new ZramException(e.reason(), device.name() + "/" + e.getMessage(), e);
        }
    }

    /** recomp_algorithm: {@code algo=NAME [priority=N]}. */
    private static void setRecompAlgorithm(ZramDevice device, String v) throws ZramException {
        String algo = null;
        long priority = 1;
        for (String token : Attributes.tokens(v)) {
            switch (Attributes.key(token)) {
                case "algo" -> algo = Attributes.value(token);
                case "priority" -> priority = named(device, x -> Attributes.number("recomp_algorithm", token, x, 1,
                        ZramDevice.MAX_ALGORITHMS - 1), Attributes.value(token));
                default -> throw invalid(device, "recomp_algorithm", token);
            }
        }
        if (algo == null || algo.isEmpty()) {
            throw invalid(device, "recomp_algorithm", v);
        }
        device.setRecompAlgorithm((int) priority, algo);
    }

    /**
     * Applies one {@code algorithm_params} line, {@code [algo=NAME|priority=N] [level=N] [dict=PATH]},
     * to a device that is not set up (the set-up sequence's ALGORITHM_PARAMS step uses it too).
     */
    static void setAlgorithmParams(ZramDevice device, String v) throws ZramException {
        int priority = 0; // the kernel's default: the primary algorithm
        long level = 0;
        Path dict = null;
        for (String token : Attributes.tokens(v)) {
            String val = Attributes.value(token);
            switch (Attributes.key(token)) {
                case "algo" -> {
                    priority = device.priorityOf(val);
                    if (priority < 0) {
                        throw new ZramException(ZramException.Reason.INVALID_ARGUMENT,
                                device.name() + "/algorithm_params: the device has no algorithm " + val);
                    }
                }
                case "priority" -> priority = (int) (long) named(device, x -> Attributes.number("algorithm_params", token, x, 0,
                        ZramDevice.MAX_ALGORITHMS - 1), val);
                case "level" -> level = named(device, x -> Attributes.number("algorithm_params", token, x, -131072, 22), val);
                case "dict" -> dict = Path.of(val);
                default -> throw invalid(device, "algorithm_params", token);
            }
        }
        if (device.algorithmChoice(priority) == null) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, device.name() + "/algorithm_params: no algorithm of priority " + priority);
        }
        device.setAlgorithmParams(priority, (int) level, dict);
    }

    private static Duration parseAge(ZramDevice device, String name, String v) throws ZramException {
        try {
            return parseAge(v);
        } catch (IllegalArgumentException e) {
            throw invalid(device, name, v);
        }
    }

    /**
     * An age as the policy's attributes and configuration keys take it: {@code off}, or a whole
     * number with an optional unit {@code s}, {@code m}, {@code h} or {@code d} (seconds if none).
     *
     * @return null for {@code off}
     * @throws IllegalArgumentException for anything else, or more than 2^31 seconds
     */
    public static Duration parseAge(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.equals("off")) {
            return null;
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 's' -> unit = 1;
                case 'm' -> unit = 60;
                case 'h' -> unit = 3600;
                case 'd' -> unit = 86400;
                default -> unit = 0;
            }
            if (unit != 0) {
                s = s.substring(0, s.length() - 1);
            } else {
                unit = 1;
            }
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 12) {
            throw new IllegalArgumentException("not an age: '" + v + "' (a whole number of s, m, h or d, or off)");
        }
        long seconds = Long.parseLong(s) * unit;
        if (seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("age too large: '" + v + "'");
        }
        return Duration.ofSeconds(seconds);
    }

    /** An age as {@link #parseAge} reads it back: the largest whole unit ({@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}), or {@code off}. */
    public static String formatAge(Duration d) {
        if (d == null) {
            return "off";
        }
        long s = d.toSeconds();
        if (s != 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static void check(String name) throws ZramException {
        if (!ATTRIBUTES.contains(name)) {
            throw new ZramException(ZramException.Reason.NO_SUCH_ATTRIBUTE, name + ": no such attribute (" + String.join(", ", ATTRIBUTES) + ")");
        }
    }

    private static ZramException denied(ZramDevice device, String name, String what) {
        return new ZramException(ZramException.Reason.PERMISSION, device.name() + "/" + name + ": " + what);
    }

    private static ZramException invalid(ZramDevice device, String name, String value) {
        return new ZramException(ZramException.Reason.INVALID_ARGUMENT, device.name() + "/" + name + ": invalid value '" + value + "'");
    }

    private static long number(ZramDevice device, String name, String v) throws ZramException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(device, name, v);
        }
    }

    /**
     * The kernel's memparse: digits (decimal, or 0x hex, or 0 octal) and an optional K, M, G, T, P
     * or E (powers of 1024, either case). Rounded to pages as the device does.
     */
    static long memparse(ZramDevice device, String name, String v) throws ZramException {
        String s = v.toUpperCase(Locale.ROOT);
        int shift = 0;
        if (!s.isEmpty()) {
            int at = "KMGTPE".indexOf(s.charAt(s.length() - 1));
            if (at >= 0) {
                shift = 10 * (at + 1);
                s = s.substring(0, s.length() - 1);
            }
        }
        long n;
        try {
            n = s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16)
                    : s.length() > 1 && s.startsWith("0") ? Long.parseUnsignedLong(s.substring(1), 8) : Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw invalid(device, name, v);
        }
        if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE - Page.SIZE) >>> shift)) {
            throw invalid(device, name, v);
        }
        return n << shift;
    }
}
