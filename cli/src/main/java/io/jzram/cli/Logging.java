package io.jzram.cli;

import io.jzram.config.LogLevel;

/**
 * Logging goes to stderr through slf4j-simple (the server's libraries, the iSCSI target among
 * them, log through slf4j): one line per event with time, level and logger, at level info,
 * debug with {@code --verbose}, warn with {@code --quiet}, or a configuration file's {@code log_level}. Any {@code -Dorg.slf4j.simpleLogger.*}
 * property given to the JVM wins. Must run before the first logger is made.
 */
public final class Logging {
    private static final String P = "org.slf4j.simpleLogger.";

    private Logging() {}

    /** @param level the server's level (-v / -q, else the configuration file's log_level, else info) */
    public static void configure(LogLevel level) {
        setDefault("logFile", "System.err");
        setDefault("defaultLogLevel", level.text());
        setDefault("showDateTime", "true");
        setDefault("dateTimeFormat", "yyyy-MM-dd HH:mm:ss");
        setDefault("showThreadName", "false");
        setDefault("showShortLogName", "true");
        setDefault("levelInBrackets", "false");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(P + key) == null) {
            System.setProperty(P + key, value);
        }
    }
}
