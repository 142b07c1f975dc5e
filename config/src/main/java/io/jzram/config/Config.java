package io.jzram.config;

import io.jzram.core.compress.CompressionAlgorithms;
import java.util.Collection;

/** Reading a configuration file: {@link ConfigParser} then {@link ConfigValidator}. */
public final class Config {
    private Config() {}

    /**
     * Reads and checks a file against this machine's compression algorithms.
     *
     * @param name the file's name for messages, as the user gave it
     * @throws ConfigException every error, in file order
     */
    public static ConfigFile load(String name, String text) throws ConfigException {
        return load(name, text, CompressionAlgorithms.availableNames());
    }

    public static ConfigFile load(String name, String text, Collection<String> algorithms) throws ConfigException {
        return ConfigValidator.validate(ConfigParser.parse(name, text), algorithms);
    }
}
