package io.jzram.config;

import java.util.Comparator;

/**
 * One problem with a configuration file, printed the way compilers print theirs:
 * {@code site.toml:12:9: size "4Q": unknown unit (use K, M, G, T, or KiB…)}, or
 * {@code site.toml: message} when it belongs to no place in the file.
 *
 * @param file the file's name as the user gave it
 * @param position where, or null
 * @param message what is wrong, starting with the key or value concerned
 */
public record ConfigError(String file, Position position, String message) {
    /** In file order; errors without a position first. */
    public static final Comparator<ConfigError> ORDER = Comparator.comparing(ConfigError::position,
            Comparator.nullsFirst(Comparator.naturalOrder()));

    @Override
    public String toString() {
        return position == null ? file + ": " + message : file + ":" + position + ": " + message;
    }
}
