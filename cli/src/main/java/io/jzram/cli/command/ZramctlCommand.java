package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.format.ZramctlColumn;
import io.jzram.cli.server.Engine;
import io.jzram.config.SizeParser;
import io.jzram.core.DeviceSetup;
import io.jzram.core.TierSetup;
import io.jzram.core.TieringPolicy;
import io.jzram.core.DeviceSetupException;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * util-linux's zramctl against jzram's devices: the same options, checks, order of operations,
 * messages and exit statuses (sys-utils/zramctl.c), with these differences:
 * <ul>
 *   <li>device names are printed as zramctl prints them, {@code /dev/zramN}, so that
 *       {@code dev=$(jzram zramctl -f -s 1G)} and {@code jzram zramctl -r $dev} work as with
 *       zramctl; a device may also be given as {@code zramN} or {@code N};</li>
 *   <li>{@code --force} (ours) lets {@code -r} reset a device that initiators have open, waiting
 *       for their in-flight I/O (their later I/O fails until the device is set up again);</li>
 *   <li>{@code -s} on a device that has never been set up resets it even while initiators hold it
 *       (nothing is lost: it has no data), since every logged-in session holds every LUN;</li>
 *   <li>{@code -p/--algorithm-params} takes the kernel's {@code algorithm_params} syntax
 *       ({@code level=N}, {@code dict=PATH}; a dictionary only for zstd, a level not for lz4,
 *       whose lz4-java compressor has no acceleration setting);</li>
 *   <li>the LUN column replaces MOUNTPOINT (see {@link ZramctlColumn}).</li>
 * </ul>
 */
@Command(name = "zramctl",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Zramctl.class,
        sortOptions = false,
        customSynopsis = {
            "jzram zramctl [options] [<device>]",
            "       jzram zramctl -r <device>...",
            "       jzram zramctl [options] -f | <device> -s <size>",
        },
        header = "Set up and control zram devices.",
        description = {
            "Lists, creates and resets jzram's compressed RAM devices with the options of util-linux's zramctl(8).",
            "",
            "Without options it lists the devices that are set up; with a <device> it shows that device. "
                    + "With -s it sets a device up (-f: the first free one, printed); with -r it resets and removes devices.",
        })
final class ZramctlCommand extends ServerCommand {

    @Option(names = {"-a", "--algorithm"}, paramLabel = "<alg>", description = "compression algorithm to use",
            completionCandidates = Candidates.Algorithms.class)
    String algorithm;

    @Option(names = {"-b", "--bytes"}, description = "print sizes in bytes, not in human-readable form")
    boolean bytes;

    @Option(names = {"-f", "--find"}, description = "find a free device")
    boolean find;

    @Option(names = {"-n", "--noheadings"}, description = "don't print headings")
    boolean noHeadings;

    @Option(names = {"-o", "--output"}, paramLabel = "<list>", description = "columns to use for status output",
            completionCandidates = Candidates.Columns.class)
    String output;

    @Option(names = "--output-all", description = "output all columns")
    boolean outputAll;

    @Option(names = {"-p", "--algorithm-params"}, paramLabel = "<parameter>",
            description = "parameters for the compression algorithm, as the kernel's algorithm_params takes them: "
                    + "level=N, dict=PATH (zstd only); lz4 takes no level here")
    String algorithmParams;

    @Option(names = {"-r", "--reset"}, description = "reset the specified zram devices")
    boolean reset;

    @Option(names = "--raw", description = "use raw status output format")
    boolean raw;

    @Option(names = {"-s", "--size"}, paramLabel = "<size>", description = "device size")
    String size;

    @Option(names = {"-t", "--streams"}, paramLabel = "<number>", description = "number of compression streams")
    String streams;

    @Option(names = "--force", description = "with -r: reset even while initiators use the device, draining their in-flight I/O (jzram)")
    boolean force;

    @Parameters(paramLabel = "<device>", arity = "0..*", description = "a device: /dev/zramN, zramN or N")
    List<String> devices = new ArrayList<>();

    /**
     * The algorithms jzram has, in the kernel's order, for help and man pages. Written out rather
     * than asked of {@code CompressionAlgorithms}, which loads the native codecs to answer: a
     * client printing help need not (and the man pages must not depend on the machine). A test
     * checks that the list is the engine's; {@code -a} refuses one that is unavailable here.
     */
    static final List<String> ALGORITHMS = List.of("lz4", "lz4hc", "zstd", "deflate");

    /** zramctl's groups of mutually exclusive options: {f, o, r} and {o, r, s}. */
    private static final List<List<String>> EXCLUSIVE = List.of(
            List.of("--find", "--output", "--reset"),
            List.of("--output", "--reset", "--size"));

    private enum Action { STATUS, CREATE, FIND_ONLY, RESET }

    @Override
    String program() {
        return "zramctl";
    }

    /** The help text after the options: zramctl's arguments and columns sections. */
    static String[] footer() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Arguments:");
        lines.add(" Values for <size> may be followed by a suffix: KiB, MiB,");
        lines.add(" GiB, TiB, PiB, EiB, ZiB, or YiB (where the \"iB\" is optional).");
        lines.add(" <alg> is the name of an algorithm; supported are:");
        lines.add("   " + String.join(", ", ALGORITHMS));
        lines.add("");
        lines.add("Available output columns:");
        for (ZramctlColumn c : ZramctlColumn.values()) {
            lines.add(String.format(" %11s  %s", c.header(), c.help()));
        }
        return lines.toArray(String[]::new);
    }

    @Override
    public Integer call() {
        // Checks in command-line order, as getopt_long meets them.
        Map<Integer, String> seen = new LinkedHashMap<>();
        long sizeBytes = 0;
        long nstreams = 0;
        for (ArgSpec arg : spec.commandLine().getParseResult().matchedArgs()) {
            if (!(arg instanceof OptionSpec opt)) {
                continue;
            }
            String name = opt.longestName();
            for (int g = 0; g < EXCLUSIVE.size(); g++) {
                if (EXCLUSIVE.get(g).contains(name)) {
                    String first = seen.putIfAbsent(g, name);
                    if (first != null && !first.equals(name)) {
                        return fail("options " + first + " and " + name + " cannot be combined");
                    }
                }
            }
        }
        if (size != null) {
            try {
                sizeBytes = SizeParser.parse(size);
            } catch (SizeParser.SizeFormatException e) {
                return fail("failed to parse size: " + e.getMessage());
            }
        }
        if (streams != null) {
            try {
                nstreams = parseU64(streams);
            } catch (SizeParser.SizeFormatException e) {
                return fail("failed to parse streams: " + e.getMessage());
            }
        }

        if (find && !devices.isEmpty()) {
            return fail("option --find is mutually exclusive with <device>");
        }
        Action action = reset ? Action.RESET : size != null ? Action.CREATE : find ? Action.FIND_ONLY : Action.STATUS;
        if (action != Action.RESET && devices.size() > 1) {
            return fail("only one <device> at a time is allowed");
        }
        if ((action == Action.STATUS || action == Action.FIND_ONLY)
                && (algorithm != null || algorithmParams != null || nstreams != 0)) {
            return fail("options --algorithm, --algorithm-params, and --streams must be combined with --size");
        }
        if (force && action != Action.RESET) {
            return fail("option --force must be combined with --reset");
        }
        return switch (action) {
            case STATUS -> status();
            case RESET -> resetAll();
            case FIND_ONLY -> findOnly();
            case CREATE -> create(sizeBytes, nstreams);
        };
    }

    private int status() {
        List<ZramctlColumn> columns = outputAll ? Arrays.asList(ZramctlColumn.values()) : ZramctlColumn.DEFAULTS;
        if (output != null) {
            try {
                columns = ZramctlColumn.apply(columns, output);
            } catch (ZramctlColumn.UnknownColumnException e) {
                return fail(e.getMessage());
            }
        }
        Engine engine = engine();
        List<ZramDevice> shown;
        if (!devices.isEmpty()) {
            Optional<ZramDevice> d = lookup(devices.getFirst());
            if (d.isEmpty()) {
                return fail(devices.getFirst() + ": " + ZramException.Reason.NO_SUCH_DEVICE.strerror());
            }
            shown = List.of(d.get());
        } else {
            shown = engine.registry().devices().stream().filter(ZramDevice::isInitialized).toList();
        }
        List<ZramctlColumn.DeviceRow> rows = shown.stream()
                .map(d -> new ZramctlColumn.DeviceRow(path(d), d.diskSize(), d.algorithm(), d.streams(), d.mmStat(), engine.lun(d),
                        d.tierStat()))
                .toList();
        out().print(ZramctlColumn.table(columns, rows, bytes).raw(raw).noHeadings(noHeadings).render());
        out().flush();
        return ExitCodes.OK;
    }

    private int resetAll() {
        if (devices.isEmpty()) {
            return fail("no device specified");
        }
        Engine engine = engine();
        int rc = ExitCodes.OK;
        for (String name : devices) {
            Optional<ZramDevice> d = lookup(name);
            if (d.isEmpty()) {
                warn(name + ": failed to reset: " + ZramException.Reason.NO_SUCH_DEVICE.strerror());
                rc = ExitCodes.FAILURE;
                continue;
            }
            ZramDevice device = d.get();
            try {
                Progress.runVoid(err(), context().terminal() && force, "resetting " + path(device) + ": draining in-flight I/O",
                        () -> {
                            engine.registry().hotRemove(device.id(), force, engine.drainTimeout());
                            return null;
                        });
            } catch (ZramException e) {
                warn(path(device) + ": failed to reset: " + e.reason().strerror());
                rc = ExitCodes.FAILURE;
            } catch (InterruptedException e) {
                warn(path(device) + ": failed to reset: Interrupted system call");
                return ExitCodes.INTERRUPTED;
            } catch (Exception e) {
                warn(path(device) + ": failed to reset: " + e);
                rc = ExitCodes.FAILURE;
            }
        }
        return rc;
    }

    private int findOnly() {
        ZramDevice device = engine().registry().findFree();
        out().println(path(device));
        out().flush();
        return ExitCodes.OK;
    }

    /**
     * zramctl's set-up: the registry's one sequence (reset, streams, algorithm, disksize), on a
     * free device with --find or on the one named. A failed step is reported as zramctl reports
     * it ("failed to set algorithm: ..."); the device stays, not set up, as the kernel's does.
     */
    private int create(long sizeBytes, long nstreams) {
        ZramRegistry registry = engine().registry();
        ZramDevice named = null;
        if (!find) {
            if (devices.isEmpty()) {
                return fail("no device specified");
            }
            Optional<ZramDevice> d = lookup(devices.getFirst());
            if (d.isEmpty()) {
                return fail(devices.getFirst() + ": " + ZramException.Reason.NO_SUCH_DEVICE.strerror());
            }
            named = d.get();
        }
        // Refusals of the arguments end here, before the set-up touches a device; like zramctl's
        // they name the device (with --find, the free one zramctl would have picked).
        if (nstreams < 0 || nstreams > Integer.MAX_VALUE) {
            return fail(path(named != null ? named : registry.findFree()) + ": failed to set number of streams: "
                    + ZramException.Reason.INVALID_ARGUMENT.strerror());
        }
        DeviceSetup setup = new DeviceSetup((int) nstreams, algorithm, 0, OptionalLong.of(sizeBytes));
        if (algorithmParams != null) {
            setup = setup.withTiers(new TierSetup(List.of(), List.of(algorithmParams), null, -1, TieringPolicy.NONE));
        }
        ZramDevice device;
        try {
            if (find) {
                device = registry.setUpFree(setup);
            } else {
                device = named;
                registry.setUp(device, setup, false);
            }
        } catch (DeviceSetupException e) {
            // Ends here: the device stays, reset and not set up, as the kernel's does.
            String what = e.step() == DeviceSetup.Step.DISKSIZE
                    ? "set disksize (" + Long.toUnsignedString(sizeBytes) + " bytes)" : e.step().action();
            return fail(path(e.device()) + ": failed to " + what + ": " + e.reason().strerror());
        } catch (InterruptedException e) {
            return fail(ExitCodes.INTERRUPTED, (named != null ? path(named) + ": " : "") + "failed to reset: Interrupted system call");
        }
        if (find) {
            out().println(path(device));
            out().flush();
        }
        return ExitCodes.OK;
    }

    private Optional<ZramDevice> lookup(String name) {
        try {
            return Optional.of(engine().registry().lookup(name));
        } catch (ZramException e) {
            return Optional.empty();
        }
    }

    /** A device's name as zramctl prints it. */
    static String path(ZramDevice device) {
        return "/dev/" + device.name();
    }

    /** util-linux's strtou64_or_err: decimal digits only, at most 2^64 - 1. */
    static long parseU64(String s) throws SizeParser.SizeFormatException {
        if (!s.matches("\\+?[0-9]+")) {
            throw new SizeParser.SizeFormatException(SizeParser.Error.INVALID, s);
        }
        BigInteger v = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        if (v.bitLength() > 64) {
            throw new SizeParser.SizeFormatException(SizeParser.Error.RANGE, s);
        }
        return v.longValue();
    }
}
