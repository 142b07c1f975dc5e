package io.jzram.cli;

import io.jzram.cli.server.Engine;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a command runs. In a <b>client</b> (the {@code jzram} process a user started) there is no
 * engine: commands that need one are sent to the server over the control socket. In a
 * <b>server</b> (a control connection, or the shell inside {@code jzram serve}) the engine is
 * here and every command runs against it.
 *
 * @param engine the devices and target; null in a client
 * @param env the environment variables (for the default control socket)
 * @param stdin what {@code jzram shell} reads a script from
 * @param stdinTerminal whether stdin is a terminal (interactive shell rather than a script)
 * @param terminal whether output goes to a terminal (colours, spinners)
 * @param inShell whether the command is a line of a shell or script (serve and shell are refused)
 * @param historyFile the interactive shell's history file
 */
public record CliContext(Engine engine, Map<String, String> env, InputStream stdin, boolean stdinTerminal,
        boolean terminal, boolean inShell, Path historyFile) {

    public CliContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(stdin, "stdin");
    }

    /** The context of the process a user started. */
    public static CliContext client(Map<String, String> env, InputStream stdin, boolean stdinTerminal, boolean terminal) {
        return new CliContext(null, env, stdin, stdinTerminal, terminal, false, defaultHistory(env));
    }

    /** The same environment running inside a server, against {@code engine}. */
    public CliContext inServer(Engine engine, boolean terminal, boolean inShell) {
        return new CliContext(engine, env, InputStream.nullInputStream(), false, terminal, inShell, historyFile);
    }

    public CliContext withHistoryFile(Path file) {
        return new CliContext(engine, env, stdin, stdinTerminal, terminal, inShell, file);
    }

    public boolean isServer() {
        return engine != null;
    }

    static Path defaultHistory(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".jzram_history");
    }
}
