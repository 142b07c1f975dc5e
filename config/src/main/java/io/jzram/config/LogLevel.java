package io.jzram.config;

import java.util.Locale;

/** The server's log level ({@code log_level}; {@code serve -v} is debug, {@code -q} warn). */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR;

    /** The name in files and slf4j-simple's: {@code debug}, {@code info}, … */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level called {@code text}, or null. */
    public static LogLevel of(String text) {
        for (LogLevel l : values()) {
            if (l.text().equals(text)) {
                return l;
            }
        }
        return null;
    }
}
