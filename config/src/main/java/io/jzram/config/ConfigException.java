package io.jzram.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file that cannot be used: every error found, in file order. Nothing was applied. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().sorted(ConfigError.ORDER).map(ConfigError::toString).collect(Collectors.joining("\n")), null, false, false);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        this.errors = errors.stream().sorted(ConfigError.ORDER).toList();
    }

    /** The errors, in file order: print each on its own line. */
    public List<ConfigError> errors() {
        return errors;
    }
}
