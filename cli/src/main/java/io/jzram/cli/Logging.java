package io.jzram.cli;

/**
 * Logging goes to stderr through slf4j-simple (the server's libraries, the iSCSI target among
 * them, log through slf4j): one line per event with time, level and logger, at level info,
 * debug with {@code --verbose}, warn with {@code --quiet}. Any {@code -Dorg.slf4j.simpleLogger.*}
 * property given to the JVM wins. Must run before the first logger is made.
 */
final class Logging {
    private static final String P = "org.slf4j.simpleLogger.";

    private Logging() {}

    static void configure(boolean verbose, boolean quiet) {
        setDefault("logFile", "System.err");
        setDefault("defaultLogLevel", verbose ? "debug" : quiet ? "warn" : "info");
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
