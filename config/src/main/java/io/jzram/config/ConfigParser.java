package io.jzram.config;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads a configuration file's TOML into {@link Document}: the {@code [server]} table, the
 * {@code [[device]]} tables, the {@code [[initiator]]} tables and the {@code [discovery]} table,
 * every value with the place it was written. This layer knows the
 * file's shape (which tables, which keys); what the values mean is {@link ConfigValidator}'s.
 *
 * <p>Errors are collected, not thrown: every TOML syntax error tomlj finds (it recovers at the
 * next line), and every unknown key with the closest known one suggested. An unknown key is an
 * error, never ignored: a misspelt {@code mem_limt} silently ignored would leave a device without
 * the limit its admin wrote down.
 *
 * <p>Positions: tomlj gives the position of each key and of each array element; the value of a
 * {@code key = value} pair is found on the key's line, after the {@code =} (TOML puts a key and
 * the start of its value on one line), so messages about a value point at the value.
 *
 * <p>Secrets: a TOML syntax error on a line that sets a secret ({@link #SECRET_KEYS}) is reported
 * without tomlj's message, which may quote the text around the error: only the place and that the
 * value could not be read.
 */
public final class ConfigParser {

    /** The top-level keys: one {@code [server]}, any number of {@code [[device]]} and {@code [[initiator]]}, one {@code [discovery]}. */
    public static final List<String> TOP_KEYS = List.of("server", "device", "initiator", "discovery");
    /** The keys of {@code [server]}. */
    public static final List<String> SERVER_KEYS = List.of("listen", "advertise", "iqn", "control_socket", "log_level",
            "allow_any_initiator", "max_connections", "max_connections_per_address");
    /** The keys of {@code [[device]]}. */
    public static final List<String> DEVICE_KEYS = List.of("id", "name", "size", "algorithm", "algorithm_params", "mem_limit", "streams",
            "backing_dev", "writeback_limit", "recompress_idle_after", "writeback_idle_after", "tiering_cpu_budget", "exported", "lun");

    /** The keys of {@code [[initiator]]}. */
    public static final List<String> INITIATOR_KEYS = List.of("name", "chap_user", "chap_secret", "chap_secret_file",
            "mutual_user", "mutual_secret", "mutual_secret_file", "devices");
    /** The keys of {@code [discovery]}. */
    public static final List<String> DISCOVERY_KEYS = List.of("chap_user", "chap_secret", "chap_secret_file",
            "mutual_user", "mutual_secret", "mutual_secret_file");
    /** Keys whose values are secrets: never shown in a message. */
    public static final List<String> SECRET_KEYS = List.of("chap_secret", "mutual_secret");

    /** What people may write for a top-level key. */
    static final Map<String, String> TOP_ALIASES = Map.of("devices", "device", "zram", "device", "target", "server", "iscsi", "server",
            "initiators", "initiator", "acl", "initiator", "client", "initiator", "sendtargets", "discovery");
    /** Other names for [[initiator]] and [discovery] keys: open-iscsi's and targetcli's words. */
    static final Map<String, String> INITIATOR_ALIASES = Map.of("iqn", "name", "initiator_name", "name", "username", "chap_user",
            "password", "chap_secret", "userid", "chap_user", "username_in", "mutual_user", "password_in", "mutual_secret",
            "mutual_userid", "mutual_user", "luns", "devices", "lun", "devices");
    /** Other names for [server] keys: iSCSI's and serve's option names. */
    static final Map<String, String> SERVER_ALIASES = Map.of("portal", "listen", "address", "listen", "bind", "listen",
            "advertised_portals", "advertise", "target_name", "iqn", "targetname", "iqn", "name", "iqn",
            "socket", "control_socket", "loglevel", "log_level", "verbosity", "log_level");
    /**
     * Other names for [[device]] keys: the kernel's sysfs attributes, zramctl's and zram-generator's
     * words ({@code compression-algorithm}, {@code writeback-device}: {@code -} and {@code _} are one).
     */
    static final Map<String, String> DEVICE_ALIASES = Map.ofEntries(Map.entry("disksize", "size"), Map.entry("comp_algorithm", "algorithm"),
            Map.entry("compression", "algorithm"), Map.entry("compression_algorithm", "algorithm"), Map.entry("max_comp_streams", "streams"),
            Map.entry("device", "name"), Map.entry("dev", "name"), Map.entry("export", "exported"), Map.entry("memlimit", "mem_limit"),
            Map.entry("writeback_device", "backing_dev"), Map.entry("backing_device", "backing_dev"),
            Map.entry("writeback_limit_enable", "writeback_limit"), Map.entry("algo_params", "algorithm_params"),
            Map.entry("cpu_budget", "tiering_cpu_budget"));

    private ConfigParser() {}

    /** A value and where it is written: String, Long, Double, Boolean, a java.time value, a {@code List<Value>} or a {@link Section}. */
    public record Value(Object value, Position position) {}

    /**
     * A table: its title for messages ({@code [server]}, {@code [[device]]}), where it starts, its
     * known keys in file order.
     */
    public record Section(String title, Position at, Map<String, Value> values) {
        public Section {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        public Value get(String key) {
            return values.get(key);
        }
    }

    /**
     * What a file says, shape checked.
     *
     * @param file the file's name for messages
     * @param server the {@code [server]} table, or null
     * @param devices the {@code [[device]]} tables in file order
     * @param initiators the {@code [[initiator]]} tables in file order
     * @param discovery the {@code [discovery]} table, or null
     * @param errors syntax errors and unknown keys, in file order
     */
    public record Document(String file, Section server, List<Section> devices, List<Section> initiators, Section discovery,
            List<ConfigError> errors) {
        public Document {
            devices = List.copyOf(devices);
            initiators = List.copyOf(initiators);
            errors = errors.stream().sorted(ConfigError.ORDER).toList();
        }
    }

    /** Parses {@code text}; {@code file} names it in errors. */
    public static Document parse(String file, String text) {
        Reader r = new Reader(file, text);
        return r.read();
    }

    private static final class Reader {
        private final String file;
        private final String text;
        private final String[] lines;
        private final List<ConfigError> errors = new ArrayList<>();

        Reader(String file, String text) {
            this.file = file;
            this.text = text;
            this.lines = text.split("\r?\n", -1);
        }

        Document read() {
            TomlParseResult toml = Toml.parse(text);
            if (toml.hasErrors()) {
                // The tree of a file with syntax errors is partial: checking its keys would report
                // keys and values as missing that are only unreadable. Syntax errors alone, then.
                for (TomlParseError e : toml.errors()) {
                    Position at = position(e.position());
                    errors.add(new ConfigError(file, at, setsSecret(at) ? "cannot read the value of a secret (not shown): check its quotes"
                            : lowerFirst(e.getMessage())));
                }
                return new Document(file, null, List.of(), List.of(), null, errors);
            }
            Section server = null;
            Section discovery = null;
            List<Section> devices = new ArrayList<>();
            List<Section> initiators = new ArrayList<>();
            for (String key : toml.keySet()) {
                Position at = position(toml.inputPositionOf(key));
                Object value = toml.get(key);
                switch (key) {
                    case "server" -> {
                        if (value instanceof TomlTable t) {
                            server = section("[server]", at, t, SERVER_KEYS, SERVER_ALIASES);
                        } else if (value instanceof TomlArray) {
                            errors.add(error(at, "server: write one [server] table, not [[server]]"));
                        } else {
                            errors.add(error(valueAt(at), "server: expected the table [server], not " + typeName(value)));
                        }
                    }
                    case "device" -> tables("device", at, value, devices, DEVICE_KEYS, DEVICE_ALIASES);
                    case "initiator" -> tables("initiator", at, value, initiators, INITIATOR_KEYS, INITIATOR_ALIASES);
                    case "discovery" -> {
                        if (value instanceof TomlTable t) {
                            discovery = section("[discovery]", at, t, DISCOVERY_KEYS, INITIATOR_ALIASES);
                        } else {
                            errors.add(error(valueAt(at), "discovery: expected the table [discovery], not " + typeName(value)));
                        }
                    }
                    default -> errors.add(error(at, unknown(key, "at the top level", TOP_KEYS, TOP_ALIASES)));
                }
            }
            return new Document(file, server, devices, initiators, discovery, errors);
        }

        /** An array of tables {@code [[name]]}: each table into {@code into}, anything else an error. */
        private void tables(String name, Position at, Object value, List<Section> into, List<String> known, Map<String, String> aliases) {
            String title = "[[" + name + "]]";
            if (value instanceof TomlArray a) {
                for (int i = 0; i < a.size(); i++) {
                    Position p = position(a.inputPositionOf(i));
                    if (a.get(i) instanceof TomlTable t) {
                        into.add(section(title, p, t, known, aliases));
                    } else {
                        errors.add(error(p, name + ": expected " + title + " tables, not " + typeName(a.get(i))));
                    }
                }
            } else if (value instanceof TomlTable) {
                errors.add(error(at, name + ": write each " + name + " as " + title + " (an array of tables), not [" + name + "]"));
            } else {
                errors.add(error(valueAt(at), name + ": expected " + title + " tables, not " + typeName(value)));
            }
        }

        /** Whether the line at {@code at} assigns a secret key (its text must not reach a message). */
        private boolean setsSecret(Position at) {
            if (at == null || at.line() > lines.length) {
                return false;
            }
            String line = lines[at.line() - 1].strip();
            return SECRET_KEYS.stream().anyMatch(k -> line.startsWith(k) || line.startsWith("\"" + k));
        }

        private Section section(String title, Position at, TomlTable table, List<String> known, Map<String, String> aliases) {
            Map<String, Value> values = new LinkedHashMap<>();
            for (String key : table.keySet()) {
                Position keyAt = position(table.inputPositionOf(key));
                if (keyAt == null) {
                    keyAt = at;
                }
                if (!known.contains(key)) {
                    errors.add(error(keyAt, unknown(key, "in " + title, known, aliases)));
                    continue;
                }
                values.put(key, value(table.get(key), valueAt(keyAt), title + " " + key));
            }
            return new Section(title, at, values);
        }

        private Value value(Object v, Position at, String title) {
            if (v instanceof TomlArray a) {
                List<Value> elements = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    Position p = elementAt(position(a.inputPositionOf(i)));
                    elements.add(value(a.get(i), p == null ? at : p, title));
                }
                return new Value(List.copyOf(elements), at);
            }
            if (v instanceof TomlTable t) {
                Map<String, Value> values = new LinkedHashMap<>();
                for (String key : t.keySet()) {
                    Position p = position(t.inputPositionOf(key));
                    values.put(key, value(t.get(key), p == null ? at : valueAt(p), title));
                }
                return new Value(new Section(title, at, values), at);
            }
            return new Value(v, at);
        }

        private String unknown(String key, String where, List<String> known, Map<String, String> aliases) {
            Optional<String> suggestion = Suggestions.closest(key, known, aliases);
            return "unknown key '" + key + "' " + where + suggestion.map(s -> " (did you mean '" + s + "'?)")
                    .orElse(" (known keys: " + String.join(", ", known) + ")");
        }

        private ConfigError error(Position at, String message) {
            return new ConfigError(file, at, message);
        }

        private static Position position(TomlPosition p) {
            return p == null ? null : new Position(Math.max(1, p.line()), Math.max(1, p.column()));
        }

        /**
         * The position of the value of the {@code key = value} whose key starts at {@code key}: past
         * the (bare, quoted or dotted) key, the {@code =} and blanks. {@code key} itself when the
         * line does not read so (a table header).
         */
        private Position valueAt(Position key) {
            if (key == null || key.line() > lines.length) {
                return key;
            }
            String line = lines[key.line() - 1];
            int i = key.column() - 1;
            while (true) {
                if (i >= line.length()) {
                    return key;
                }
                char c = line.charAt(i);
                if (c == '"' || c == '\'') {
                    int close = line.indexOf(c, i + 1);
                    while (c == '"' && close > 0 && line.charAt(close - 1) == '\\') {
                        close = line.indexOf(c, close + 1);
                    }
                    if (close < 0) {
                        return key;
                    }
                    i = close + 1;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                    while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == '-')) {
                        i++;
                    }
                } else {
                    return key;
                }
                i = blanks(line, i);
                if (i < line.length() && line.charAt(i) == '.') {
                    i = blanks(line, i + 1);
                    continue;
                }
                if (i < line.length() && line.charAt(i) == '=') {
                    i = blanks(line, i + 1);
                    return i < line.length() ? new Position(key.line(), i + 1) : key;
                }
                return key;
            }
        }

        /**
         * Where an array element really starts: tomlj places an element of a multi-line array where
         * the line before it ends (after the {@code [} or the {@code ,}), so messages would point
         * at the line above. Past blanks, line ends and comments, then; {@code p} when there is
         * nothing but those.
         */
        private Position elementAt(Position p) {
            if (p == null) {
                return null;
            }
            int line = p.line();
            int col = p.column() - 1;
            while (line <= lines.length) {
                String text = lines[line - 1];
                int i = blanks(text, Math.min(col, text.length()));
                if (i < text.length() && text.charAt(i) != '#') {
                    return new Position(line, i + 1);
                }
                line++;
                col = 0;
            }
            return p;
        }

        private static int blanks(String line, int i) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            return i;
        }
    }

    static String lowerFirst(String s) {
        return s == null || s.isEmpty() ? "syntax error" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** "a string", "an integer", … for messages. */
    public static String typeName(Object v) {
        return switch (v) {
            case String s -> "a string";
            case Long l -> "an integer";
            case Double d -> "a float";
            case Boolean b -> "a boolean";
            case OffsetDateTime t -> "a date-time";
            case LocalDateTime t -> "a date-time";
            case LocalDate t -> "a date";
            case LocalTime t -> "a time";
            case List<?> l -> "an array";
            case TomlArray a -> "an array";
            case Section s -> "a table";
            case TomlTable t -> "a table";
            case null -> "nothing";
            default -> v.getClass().getSimpleName();
        };
    }
}
