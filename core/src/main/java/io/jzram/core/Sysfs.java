package io.jzram.core;

import io.jzram.core.compress.CompressionAlgorithms;
import io.jzram.core.mem.Page;
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
 *   <tr><td>mm_stat, io_stat</td><td>RO</td><td>the kernel's fields</td><td></td></tr>
 * </table>
 *
 * Every failure is a {@link ZramException} with the errno the kernel's file would give: reading a
 * write-only attribute or writing a read-only one is EACCES (the files' modes say so), an unknown
 * attribute ENOENT, a value that does not parse EINVAL, a setting the device refuses while set up
 * EBUSY. Settings that must come before the size go through the registry's one set-up sequence.
 */
public final class Sysfs {
    private Sysfs() {}

    /** The attributes, in the kernel documentation's order. */
    public static final List<String> ATTRIBUTES = List.of("disksize", "initstate", "reset", "mem_limit", "mem_used_max",
            "max_comp_streams", "comp_algorithm", "compact", "io_stat", "mm_stat");

    private static final List<String> WRITE_ONLY = List.of("reset", "mem_limit", "mem_used_max", "compact");
    private static final List<String> READ_ONLY = List.of("initstate", "io_stat", "mm_stat");

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
            default -> throw new IllegalStateException(name);
        };
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
                // The kernel sets a device up with the settings written before its size: the one
                // set-up sequence, with them (its reset of a device not set up changes nothing).
                setUp(registry, device, new DeviceSetup(device.streams(), device.algorithm(), device.memLimit(),
                        OptionalLong.of(size)));
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
                if (!device.isInitialized()) {
                    throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, device.name() + ": compact: not set up");
                }
                device.compact();
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private static void setUp(ZramRegistry registry, ZramDevice device, DeviceSetup setup) throws ZramException, InterruptedException {
        if (device.isInitialized()) {
            // The kernel's disksize_store: EBUSY on a set-up device (reset it first).
            throw new ZramException(ZramException.Reason.BUSY, device.name() + ": cannot change disksize of an initialized device; reset it first");
        }
        try {
            registry.setUp(device, setup, false);
        } catch (DeviceSetupException e) {
            throw e.failure();
        }
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
