package io.jzram.cli;

/**
 * Process signals (SIGTERM, SIGINT) for the server's clean shutdown. The JVM's own handling would
 * run the shutdown hooks but end with status 143 (130 for SIGINT), and systemd and scripts expect
 * a server stopped on request to exit 0. JLine's {@link org.jline.utils.Signals} registers the
 * handler (through sun.misc.Signal, by reflection).
 */
public final class Signals {
    private Signals() {}

    /**
     * Runs {@code action} (on a JVM signal thread) when {@code name} arrives.
     *
     * @return what puts the previous handler back
     */
    public static Runnable handle(String name, Runnable action) {
        Object previous = org.jline.utils.Signals.register(name, action);
        return () -> org.jline.utils.Signals.unregister(name, previous);
    }
}
