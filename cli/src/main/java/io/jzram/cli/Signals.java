package io.jzram.cli;

/**
 * Process signals (SIGTERM, SIGINT) for the server's clean shutdown, through sun.misc.Signal:
 * the JVM's own handling would run the shutdown hooks but end with status 143, and systemd and
 * scripts expect a server stopped on request to exit 0.
 */
@SuppressWarnings("restriction")
final class Signals {
    private Signals() {}

    /**
     * Runs {@code action} (on a JVM signal thread) when {@code name} arrives.
     *
     * @return what puts the previous handler back (a no-op where the signal cannot be handled)
     */
    static Runnable handle(String name, Runnable action) {
        try {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> action.run());
            return () -> sun.misc.Signal.handle(signal, previous);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return () -> {};
        }
    }
}
