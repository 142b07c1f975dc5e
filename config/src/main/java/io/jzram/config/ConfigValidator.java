package io.jzram.config;

import io.jzram.config.ConfigParser.Document;
import io.jzram.config.ConfigParser.Section;
import io.jzram.config.ConfigParser.Value;
import io.jzram.core.Sysfs;
import io.jzram.core.TierSetup;
import io.jzram.core.TieringPolicy;
import io.jzram.core.ZramDevice;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a parsed {@link Document} into a {@link ConfigFile}, or into every error it has. Each
 * key's rule is in the method that reads the key. Nothing here touches a device: a file is
 * checked whole before anything is planned or applied, so an invalid file changes nothing.
 */
public final class ConfigValidator {
    /**
     * The highest device id: devices are exported as the LUN with their id, and the target's
     * single-level (flat space) LUNs go up to 16383.
     */
    public static final int MAX_ID = 16383;
    /** The largest disksize a device takes: 2^31 − 1 pages of 4 KiB (its slot table is indexed by int). */
    public static final long MAX_DISKSIZE = (long) Integer.MAX_VALUE * 4096;
    /** More compression streams than any machine has CPUs; each keeps scratch buffers. */
    public static final int MAX_STREAMS = 4096;
    /** The most iSCSI connections a server takes at once (TCP ports of one client address, roughly). */
    public static final int MAX_CONNECTIONS = 65535;
    /** A Unix socket path's limit: sun_path is 108 bytes with the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;

    private static final long PAGE = 4096;
    /** A device name: zramN or /dev/zramN (the access list's device lists read it too). */
    static final Pattern DEVICE_NAME = Pattern.compile("(?:/dev/)?zram(0|[1-9][0-9]{0,8})");
    /** iSCSI names are at most 223 bytes of UTF-8 (RFC 7143 §4.2.7.1), the target's and the initiators'. */
    static final int MAX_ISCSI_NAME_BYTES = 223;

    private final String file;
    private final Collection<String> algorithms;
    private final List<ConfigError> errors = new ArrayList<>();

    private ConfigValidator(String file, Collection<String> algorithms) {
        this.file = file;
        this.algorithms = algorithms;
    }

    /**
     * @param algorithms the compression algorithms this server has
     * @throws ConfigException with every error of the file, the parser's included
     */
    public static ConfigFile validate(Document doc, Collection<String> algorithms) throws ConfigException {
        ConfigValidator v = new ConfigValidator(doc.file(), algorithms);
        v.errors.addAll(doc.errors());
        ServerConfig server = doc.server() == null ? ServerConfig.EMPTY : v.server(doc.server());
        List<DeviceConfig> devices = v.devices(doc.devices());
        AccessConfig access = new AccessValidator(v).access(doc.initiators(), doc.discovery());
        if (!v.errors.isEmpty()) {
            throw new ConfigException(v.errors);
        }
        return new ConfigFile(doc.file(), server, devices, access);
    }

    // ------------------------------------------------------------------ [server]

    private ServerConfig server(Section s) {
        Map<String, Position> positions = new HashMap<>();
        s.values().forEach((k, v) -> positions.put(k, v.position()));
        Integer maxConnections = connections(s.get("max_connections"), "max_connections", MAX_CONNECTIONS);
        Integer perAddress = connections(s.get("max_connections_per_address"), "max_connections_per_address", MAX_CONNECTIONS);
        if (maxConnections != null && perAddress != null && perAddress > maxConnections) {
            error(s.get("max_connections_per_address"), "max_connections_per_address " + perAddress + ": more than max_connections "
                    + maxConnections);
        }
        return new ServerConfig(listen(s.get("listen")), advertise(s.get("advertise")), iqn(s.get("iqn")),
                controlSocket(s.get("control_socket")), logLevel(s.get("log_level")), allowAnyInitiator(s.get("allow_any_initiator")),
                maxConnections, perAddress, positions);
    }

    /**
     * allow_any_initiator: true lets the server listen beyond loopback with no [[initiator]]
     * entry, so that any initiator that reaches the port may log in (it warns at start-up). Only a
     * boolean.
     */
    private Boolean allowAnyInitiator(Value v) {
        if (v == null) {
            return null;
        }
        if (!(v.value() instanceof Boolean b)) {
            typeError(v, "allow_any_initiator", "true or false");
            return null;
        }
        return b;
    }

    /** max_connections, max_connections_per_address: 1 to 65535 iSCSI connections. */
    private Integer connections(Value v, String key, int max) {
        Long n = integer(v, key, "a number of connections (1 to " + max + ")");
        if (n == null) {
            return null;
        }
        if (n < 1 || n > max) {
            error(v, key + " " + n + ": out of range (1 to " + max + ")");
            return null;
        }
        return n.intValue();
    }

    /** listen: "HOST:PORT" (port 3260 when left out); 0.0.0.0 or [::] binds every interface; port 0 any free port. */
    private InetSocketAddress listen(Value v) {
        String text = string(v, "listen", "\"HOST:PORT\"");
        return text == null ? null : portal(v, "listen", text, true);
    }

    /** advertise: one "HOST:PORT" or an array of them; never a wildcard address (initiators could not connect to it). */
    private List<InetSocketAddress> advertise(Value v) {
        if (v == null) {
            return null;
        }
        List<Value> items = v.value() instanceof List<?> list ? list.stream().map(Value.class::cast).toList() : List.of(v);
        List<InetSocketAddress> portals = new ArrayList<>();
        for (Value item : items) {
            String text = string(item, "advertise", "\"HOST:PORT\" or an array of them");
            InetSocketAddress a = text == null ? null : portal(item, "advertise", text, false);
            if (a != null) {
                portals.add(a);
            }
        }
        return portals;
    }

    private InetSocketAddress portal(Value v, String key, String text, boolean wildcardAllowed) {
        try {
            return Portals.parse(text, wildcardAllowed);
        } catch (IllegalArgumentException e) {
            error(v, key + " " + quote(text) + ": " + e.getMessage());
            return null;
        }
    }

    /** iqn: an iSCSI name as the target accepts it: iqn.…, eui.… or naa.…, at most 223 bytes (RFC 7143). */
    private String iqn(Value v) {
        String text = string(v, "iqn", "an iSCSI name such as \"iqn.2026-11.com.example:storage\"");
        if (text == null) {
            return null;
        }
        if (!text.startsWith("iqn.") && !text.startsWith("eui.") && !text.startsWith("naa.")) {
            error(v, "iqn " + quote(text) + ": not an iSCSI name (iqn.YYYY-MM.reversed.domain:name, eui.… or naa.…)");
            return null;
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_ISCSI_NAME_BYTES) {
            error(v, "iqn " + quote(text) + ": too long (at most " + MAX_ISCSI_NAME_BYTES + " bytes)");
            return null;
        }
        return text;
    }

    /**
     * control_socket: an absolute path (a relative one would depend on the directory the server
     * was started in), short enough for a Unix socket address.
     */
    private Path controlSocket(Value v) {
        String text = string(v, "control_socket", "an absolute path such as \"/run/jzram/control.sock\"");
        if (text == null) {
            return null;
        }
        if (!text.startsWith("/")) {
            error(v, "control_socket " + quote(text) + ": must be an absolute path");
            return null;
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            error(v, "control_socket " + quote(text) + ": too long for a Unix socket (at most " + MAX_SOCKET_PATH + " bytes)");
            return null;
        }
        return Path.of(text);
    }

    /** log_level: debug, info (the default), warn or error. */
    private LogLevel logLevel(Value v) {
        String text = string(v, "log_level", "debug, info, warn or error");
        if (text == null) {
            return null;
        }
        LogLevel level = LogLevel.of(text);
        if (level == null) {
            List<String> names = java.util.Arrays.stream(LogLevel.values()).map(LogLevel::text).toList();
            error(v, "log_level " + quote(text) + ": unknown (use debug, info, warn or error"
                    + Suggestions.closest(text, names, Map.of("warning", "warn", "verbose", "debug", "quiet", "warn"))
                            .map(s -> "; did you mean '" + s + "'?").orElse("") + ")");
        }
        return level;
    }

    // ------------------------------------------------------------------ [[device]]

    private record Pending(Section section, Integer id, Value idSource) {}

    private List<DeviceConfig> devices(List<Section> sections) {
        // Ids first: explicit ones (id or name), each used once; then the devices without one take
        // the lowest ids left, in file order, so a file alone decides every device's id.
        List<Pending> pending = new ArrayList<>();
        Map<Integer, Position> taken = new LinkedHashMap<>();
        for (Section s : sections) {
            Value idValue = s.get("id");
            Value nameValue = s.get("name");
            Integer id = id(idValue);
            Integer named = name(nameValue);
            Value source = idValue != null ? idValue : nameValue;
            if (id != null && named != null && !id.equals(named)) {
                error(nameValue, "name " + quote((String) nameValue.value()) + ": does not match id " + id + " (give one of them)");
                named = null;
            }
            Integer resolved = id != null ? id : named;
            boolean invalid = (idValue != null && id == null) || (nameValue != null && named == null && id == null);
            if (resolved != null) {
                Position first = taken.putIfAbsent(resolved, source.position());
                if (first != null) {
                    error(source, (idValue != null ? "id " + resolved : "name " + quote((String) nameValue.value()))
                            + ": zram" + resolved + " is already described at line " + first.line());
                    resolved = null;
                    invalid = true;
                }
            }
            pending.add(new Pending(s, invalid ? Integer.valueOf(-1) : resolved, source));
        }
        List<DeviceConfig> devices = new ArrayList<>();
        int next = 0;
        for (Pending p : pending) {
            Integer id = p.id();
            if (id == null) {
                while (taken.containsKey(next)) {
                    next++;
                }
                if (next > MAX_ID) {
                    error(p.section().at(), "too many devices (ids go up to " + MAX_ID + ")");
                    continue;
                }
                id = next;
                taken.put(id, p.section().at());
            }
            DeviceConfig d = device(p.section(), id);
            if (d != null && id >= 0) {
                devices.add(d);
            }
        }
        return devices;
    }

    /** id: the device number, 0 to 16383 (the LUN it is exported as). */
    private Integer id(Value v) {
        Long n = integer(v, "id", "a device number such as 0");
        if (n == null) {
            return null;
        }
        if (n < 0 || n > MAX_ID) {
            error(v, "id " + n + ": out of range (0 to " + MAX_ID + ", the LUNs the target can address)");
            return null;
        }
        return n.intValue();
    }

    /** name: "zramN" or "/dev/zramN", another way to give the id. */
    private Integer name(Value v) {
        String text = string(v, "name", "a device name such as \"zram0\"");
        if (text == null) {
            return null;
        }
        Matcher m = DEVICE_NAME.matcher(text);
        if (!m.matches()) {
            error(v, "name " + quote(text) + ": not a device name (zramN or /dev/zramN)");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        if (n > MAX_ID) {
            error(v, "name " + quote(text) + ": out of range (zram0 to zram" + MAX_ID + ", the LUNs the target can address)");
            return null;
        }
        return (int) n;
    }

    private DeviceConfig device(Section s, int id) {
        int before = errors.size();
        Map<String, Position> positions = new HashMap<>();
        s.values().forEach((k, v) -> positions.put(k, v.position()));
        long size = size(s);
        List<String> algorithms = algorithms(s.get("algorithm"));
        long memLimit = memLimit(s.get("mem_limit"));
        int streams = streams(s.get("streams"));
        boolean exported = exported(s.get("exported"));
        lun(s.get("lun"), id);
        List<String> params = algorithmParams(s.get("algorithm_params"), algorithms);
        Path backingDev = backingDev(s.get("backing_dev"));
        long writebackLimit = writebackLimit(s.get("writeback_limit"));
        Duration recompressAfter = age(s.get("recompress_idle_after"), "recompress_idle_after");
        Duration writebackAfter = age(s.get("writeback_idle_after"), "writeback_idle_after");
        double budget = cpuBudget(s.get("tiering_cpu_budget"));
        // Rule: background work needs something to do it with.
        if (recompressAfter != null && algorithms != null && algorithms.size() < 2) {
            Value v = s.get("recompress_idle_after");
            error(v, "recompress_idle_after " + shown(v) + ": needs a recompression algorithm (make algorithm a list: the algorithm,"
                    + " then those that recompress, e.g. [\"lz4\", \"zstd\"])");
        }
        if (writebackAfter != null && s.get("backing_dev") == null) {
            Value v = s.get("writeback_idle_after");
            error(v, "writeback_idle_after " + shown(v) + ": needs backing_dev (the file or block device pages are written back to)");
        }
        if (errors.size() > before || id < 0) {
            return null;
        }
        TierSetup tiers = new TierSetup(algorithms.subList(1, algorithms.size()), params, backingDev, writebackLimit,
                new TieringPolicy(recompressAfter, writebackAfter, budget));
        return new DeviceConfig(id, size, algorithms.getFirst(), memLimit, streams, exported, tiers, s.at(), positions);
    }

    /**
     * size: required; a size ("4G", "512M", "1.5G", or an integer of bytes) up to 8T − 4K, rounded
     * up to 4 KiB as the device rounds it (so that a file and the device it made compare equal);
     * 0 = a device that exists but is not set up.
     */
    private long size(Section s) {
        Value v = s.get("size");
        if (v == null) {
            error(s.at(), "[[device]] without size (add size = \"1G\", or size = 0 for a device that is not set up)");
            return -1;
        }
        long bytes = bytes(v, "size");
        if (bytes < 0) {
            return -1;
        }
        if (bytes > MAX_DISKSIZE) {
            error(v, "size " + shown(v) + ": too large for a device (at most " + Sizes.format(MAX_DISKSIZE) + ", 8T - 4K)");
            return -1;
        }
        return Sizes.roundUp(bytes, PAGE);
    }

    /** algorithm: one this server has (lz4 when left out). */
    private String algorithm(Value v) {
        if (v == null) {
            return io.jzram.core.compress.CompressionAlgorithms.DEFAULT_NAME;
        }
        String text = string(v, "algorithm", "an algorithm name such as \"lz4\"");
        if (text == null) {
            return null;
        }
        if (!algorithms.contains(text)) {
            Optional<String> close = Suggestions.closest(text, algorithms);
            error(v, "algorithm " + quote(text) + ": not available (available: " + String.join(", ", algorithms) + ")"
                    + close.map(c -> "; did you mean '" + c + "'?").orElse(""));
            return null;
        }
        return text;
    }

    /**
     * algorithm: one name, or a list: the primary algorithm, then the recompression algorithms in
     * falling priority (1, 2, 3), as zram-generator's {@code compression-algorithm} list; at most
     * {@value ZramDevice#MAX_ALGORITHMS} names, each one this server has, none twice. Left out: lz4
     * alone.
     *
     * @return the names, the primary first; null after an error
     */
    private List<String> algorithms(Value v) {
        if (v == null || !(v.value() instanceof List<?> list)) {
            String one = algorithm(v);
            return one == null ? null : List.of(one);
        }
        List<Value> items = list.stream().map(Value.class::cast).toList();
        if (items.isEmpty()) {
            error(v, "algorithm: an empty list (give the algorithm, then any recompression algorithms: [\"lz4\", \"zstd\"])");
            return null;
        }
        if (items.size() > ZramDevice.MAX_ALGORITHMS) {
            error(v, "algorithm: " + items.size() + " algorithms, at most " + ZramDevice.MAX_ALGORITHMS
                    + " (the algorithm and " + (ZramDevice.MAX_ALGORITHMS - 1) + " recompression algorithms)");
            return null;
        }
        List<String> names = new ArrayList<>();
        boolean ok = true;
        for (Value item : items) {
            String name = algorithm(item);
            if (name == null) {
                ok = false;
            } else if (names.contains(name)) {
                error(item, "algorithm " + quote(name) + ": listed twice (a device's algorithms differ)");
                ok = false;
            } else {
                names.add(name);
            }
        }
        return ok ? List.copyOf(names) : null;
    }

    /** The keys of an {@code algorithm_params} line, the kernel's. */
    private static final List<String> PARAM_KEYS = List.of("algo", "priority", "level", "dict");
    /** The compression levels the device takes (zstd's negative ones to its highest). */
    private static final long MIN_LEVEL = -131072;
    private static final long MAX_LEVEL = 22;

    /**
     * algorithm_params: lines in the kernel's syntax, one string or a list of them:
     * {@code algo=NAME|priority=N [level=N] [dict=/PATH]}. Checked here: the keys, that the line
     * names one of the device's algorithms (by name or priority), the level (an integer,
     * {@value #MIN_LEVEL} to {@value #MAX_LEVEL}), the dictionary (an absolute path), each
     * algorithm at most once; whether the algorithm takes the level or a dictionary, and the
     * dictionary file itself, the device checks at apply.
     *
     * @param algorithms the device's algorithms (priority order), or null after an error in them
     * @return the canonical lines ({@link DeviceSettings}): one per algorithm with parameters that
     *     are not the defaults, in priority order, {@code algo=NAME[ level=N][ dict=PATH]}
     */
    private List<String> algorithmParams(Value v, List<String> algorithms) {
        if (v == null) {
            return List.of();
        }
        List<Value> items = v.value() instanceof List<?> list ? list.stream().map(Value.class::cast).toList() : List.of(v);
        Map<Integer, String> lines = new TreeMap<>();
        Map<Integer, Value> given = new HashMap<>();
        for (Value item : items) {
            String text = string(item, "algorithm_params", "lines such as [\"algo=zstd level=8\"]");
            if (text == null) {
                continue;
            }
            String at = "algorithm_params " + quote(text) + ": ";
            String algo = null;
            Long priority = null;
            long level = 0;
            String dict = null;
            boolean ok = true;
            List<String> tokens = text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
            for (String token : tokens) {
                int eq = token.indexOf('=');
                String key = eq < 0 ? token : token.substring(0, eq);
                String val = eq < 0 ? "" : token.substring(eq + 1);
                if (!PARAM_KEYS.contains(key)) {
                    error(item, at + "unknown parameter '" + key + "' (algo, priority, level or dict"
                            + Suggestions.closest(key, PARAM_KEYS, Map.of("algorithm", "algo", "prio", "priority", "dictionary", "dict"))
                                    .map(c -> "; did you mean '" + c + "'?").orElse("") + ")");
                    ok = false;
                    continue;
                }
                if (eq < 0 || val.isEmpty()) {
                    error(item, at + "'" + token + "' has no value (write " + key + "=VALUE)");
                    ok = false;
                    continue;
                }
                switch (key) {
                    case "algo" -> algo = val;
                    case "priority", "level" -> {
                        long n;
                        try {
                            n = Long.parseLong(val);
                        } catch (NumberFormatException e) {
                            error(item, at + token + ": not an integer");
                            ok = false;
                            continue;
                        }
                        if (key.equals("priority")) {
                            priority = n;
                        } else if (n < MIN_LEVEL || n > MAX_LEVEL) {
                            error(item, at + token + ": out of range (" + MIN_LEVEL + " to " + MAX_LEVEL + ")");
                            ok = false;
                        } else {
                            level = n;
                        }
                    }
                    default -> {
                        if (!val.startsWith("/")) {
                            error(item, at + token + ": the dictionary must be an absolute path");
                            ok = false;
                        } else {
                            dict = Path.of(val).toString();
                        }
                    }
                }
            }
            if (!ok || algorithms == null) {
                continue;
            }
            if (algo == null && priority == null) {
                error(item, at + "give the algorithm: algo=NAME or priority=N");
                continue;
            }
            int p;
            if (algo != null) {
                p = algorithms.indexOf(algo);
                if (p < 0) {
                    error(item, at + "algo=" + algo + " is not an algorithm of this device (its algorithms: "
                            + String.join(", ", algorithms) + ")");
                    continue;
                }
                if (priority != null && priority != p) {
                    error(item, at + "algo=" + algo + " has priority " + p + ", not " + priority);
                    continue;
                }
            } else {
                if (priority < 0 || priority >= algorithms.size()) {
                    error(item, at + "priority=" + priority + ": the device has no algorithm of that priority (it has 0"
                            + (algorithms.size() > 1 ? " to " + (algorithms.size() - 1) : "") + ")");
                    continue;
                }
                p = priority.intValue();
            }
            Value first = given.putIfAbsent(p, item);
            if (first != null) {
                error(item, at + algorithms.get(p) + " has parameters already at line " + first.position().line());
                continue;
            }
            if (level != 0 || dict != null) {
                lines.put(p, "algo=" + algorithms.get(p) + (level != 0 ? " level=" + level : "") + (dict != null ? " dict=" + dict : ""));
            }
        }
        return List.copyOf(lines.values());
    }

    /**
     * backing_dev: the file or block device written-back pages go to, an absolute path; whether it
     * exists and serves, the device checks at apply. Left out: none.
     */
    private Path backingDev(Value v) {
        String text = string(v, "backing_dev", "an absolute path such as \"/var/lib/jzram/zram0.back\"");
        if (text == null) {
            return null;
        }
        if (!text.startsWith("/")) {
            error(v, "backing_dev " + quote(text) + ": must be an absolute path");
            return null;
        }
        return Path.of(text);
    }

    /** writeback_limit: a size, as 4 KiB pages rounded up, the limit enabled with it; left out = no limit (-1). */
    private long writebackLimit(Value v) {
        if (v == null) {
            return -1;
        }
        long bytes = bytes(v, "writeback_limit");
        return bytes < 0 ? -1 : Sizes.roundUp(bytes, PAGE) / PAGE;
    }

    /**
     * recompress_idle_after, writeback_idle_after: an age as the device's attributes take it
     * ({@code "90s"}, {@code "10m"}, {@code "1h"}, {@code "2d"}, or a number of seconds), or
     * {@code "off"} (the default).
     *
     * @return null for off or after an error
     */
    private Duration age(Value v, String key) {
        if (v == null) {
            return null;
        }
        if (v.value() instanceof Long n) {
            if (n < 0 || n > Integer.MAX_VALUE) {
                error(v, key + " " + n + ": out of range (0 to " + Integer.MAX_VALUE + " seconds)");
                return null;
            }
            return Duration.ofSeconds(n);
        }
        String text = string(v, key, "an age such as \"10m\", or \"off\"");
        if (text == null) {
            return null;
        }
        try {
            return Sysfs.parseAge(text);
        } catch (IllegalArgumentException e) {
            error(v, key + " " + quote(text) + (e.getMessage().startsWith("age too large")
                    ? ": too large (at most " + Integer.MAX_VALUE + " seconds)"
                    : ": not an age (a whole number of s, m, h or d, such as \"10m\", or \"off\")"));
            return null;
        }
    }

    /** tiering_cpu_budget: the share of one core the background work may use, 0.01 to 1; left out 0.1. */
    private double cpuBudget(Value v) {
        if (v == null) {
            return TieringPolicy.DEFAULT_CPU_BUDGET;
        }
        double b;
        if (v.value() instanceof Double d) {
            b = d;
        } else if (v.value() instanceof Long n) {
            b = n;
        } else {
            typeError(v, "tiering_cpu_budget", "a share of one core such as 0.25");
            return TieringPolicy.DEFAULT_CPU_BUDGET;
        }
        if (!(b >= 0.01 && b <= 1)) {
            error(v, "tiering_cpu_budget " + shown(v) + ": out of range (0.01 to 1, a share of one core)");
            return TieringPolicy.DEFAULT_CPU_BUDGET;
        }
        return b;
    }

    /** mem_limit: a size, rounded up to 4 KiB as the device rounds it; 0 (the default) = no limit. */
    private long memLimit(Value v) {
        if (v == null) {
            return 0;
        }
        long bytes = bytes(v, "mem_limit");
        return bytes < 0 ? 0 : Sizes.roundUp(bytes, PAGE);
    }

    /** streams: compression streams, 1 to 4096; left out = one per CPU of the server (the device's default). */
    private int streams(Value v) {
        if (v == null) {
            return 0;
        }
        Long n = integer(v, "streams", "a number of streams such as 4");
        if (n == null) {
            return 0;
        }
        if (n < 1 || n > MAX_STREAMS) {
            error(v, "streams " + n + ": out of range (1 to " + MAX_STREAMS + "; leave it out for one per CPU)");
            return 0;
        }
        return n.intValue();
    }

    /**
     * exported: true (the default) publishes the device as the iSCSI LUN with its id; false keeps
     * it on the server and away from every initiator (not a LUN, not held by sessions). Only a
     * boolean: {@code "no"} or {@code 0} could be read either way.
     */
    private boolean exported(Value v) {
        if (v == null) {
            return true;
        }
        if (!(v.value() instanceof Boolean b)) {
            typeError(v, "exported", "true or false");
            return true;
        }
        return b;
    }

    /**
     * lun: must be the device's id. The target numbers each device's LUN with its id; a file that
     * asks for another LUN would be silently wrong, so it is an error until the target maps LUNs.
     * It is checked with {@code exported = false} too: the LUN the device would have if exported.
     */
    private void lun(Value v, int id) {
        Long n = integer(v, "lun", "a LUN equal to the device's id");
        if (n != null && id >= 0 && n != id) {
            error(v, "lun " + n + ": differs from the device's id " + id
                    + " (each device is exported as the LUN with its id; LUN mapping is not supported yet)");
        }
    }

    // ------------------------------------------------------------------ value types

    /** A size: a string in zramctl's syntax or an integer of bytes; -1 after an error. */
    private long bytes(Value v, String key) {
        Object o = v.value();
        if (o instanceof Long n) {
            if (n < 0) {
                error(v, key + " " + n + ": must not be negative");
                return -1;
            }
            return n;
        }
        if (o instanceof String text) {
            try {
                return Sizes.parse(text);
            } catch (Sizes.SizeException e) {
                error(v, key + " " + quote(text) + ": " + e.getMessage());
                return -1;
            }
        }
        typeError(v, key, "a size such as \"4G\" or a number of bytes");
        return -1;
    }

    String string(Value v, String key, String expected) {
        if (v == null) {
            return null;
        }
        if (v.value() instanceof String s) {
            return s;
        }
        typeError(v, key, expected);
        return null;
    }

    private Long integer(Value v, String key, String expected) {
        if (v == null) {
            return null;
        }
        if (v.value() instanceof Long n) {
            return n;
        }
        typeError(v, key, expected);
        return null;
    }

    void typeError(Value v, String key, String expected) {
        error(v, key + ": expected " + expected + ", not " + ConfigParser.typeName(v.value()));
    }

    private static String shown(Value v) {
        return v.value() instanceof String s ? quote(s) : String.valueOf(v.value());
    }

    /** A string as TOML writes it: {@code "4Q"}. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    void error(Value v, String message) {
        errors.add(new ConfigError(file, v.position(), message));
    }

    void error(Position p, String message) {
        errors.add(new ConfigError(file, p, message));
    }

    int errorCount() {
        return errors.size();
    }
}
