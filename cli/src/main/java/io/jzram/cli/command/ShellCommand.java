package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.control.ControlPaths;
import io.jzram.cli.control.NoServerException;
import io.jzram.cli.dispatch.ClientDispatcher;
import io.jzram.cli.dispatch.Dispatcher;
import io.jzram.cli.dispatch.LocalDispatcher;
import io.jzram.cli.shell.ScriptRunner;
import io.jzram.cli.shell.Shell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A shell on a running server, or a script from stdin. */
@Command(name = "shell",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Run commands against a running server: interactively, or a script from stdin.",
        description = {
            "On a terminal: the interactive shell, connected to the server at the control socket "
                    + "(history in ~/.jzram_history, Tab completion of commands, options and device names). "
                    + "Leaving it leaves the server running.",
            "With stdin not a terminal ('jzram shell < FILE'): runs the lines as a script, like --script, "
                    + "stopping at the first failing line (reported as <stdin>:LINE: ...).",
        })
final class ShellCommand extends BaseCommand {

    @Option(names = "--continue-on-error", description = "in a script: run the remaining lines after a failing one (exit status 1)")
    boolean continueOnError;

    @Override
    public Integer call() throws IOException {
        if (context().isServer()) {
            return fail("shell: already in a shell");
        }
        Path socket = ControlPaths.resolve(root.controlSocket, context().env());
        if (!context().stdinTerminal()) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(context().stdin(), StandardCharsets.UTF_8));
            try (ClientDispatcher d = new ClientDispatcher(context(), false, 0, socket)) {
                return ScriptRunner.run("<stdin>", reader, d, continueOnError, out(), err());
            }
        }
        try (ClientDispatcher d = new ClientDispatcher(context(), context().terminal(), 0, socket)) {
            try {
                d.connect();
            } catch (NoServerException e) {
                return fail(ExitCodes.NO_SERVER, e.getMessage());
            } catch (IOException e) {
                return fail(ExitCodes.NO_SERVER, "cannot connect to " + socket + ": " + e.getMessage());
            }
            try (Terminal terminal = TerminalBuilder.builder().system(true).name("jzram").build()) {
                LocalDispatcher local = new LocalDispatcher(context(), false, terminal.getWidth());
                Shell shell = new Shell(terminal, context().historyFile(),
                        local.commandLine(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter())),
                        clientBackend(d), Shell.banner(Version.number(), "server at " + socket));
                shell.run();
            }
        }
        return ExitCodes.OK;
    }

    /** The shell of a client: commands go to the server; leaving leaves it running. */
    static Shell.Backend clientBackend(ClientDispatcher d) {
        return new Shell.Backend() {
            @Override
            public Dispatcher dispatcher() {
                return d;
            }

            @Override
            public List<String> deviceNames() {
                StringWriter names = new StringWriter();
                PrintWriter w = new PrintWriter(names);
                if (d.run(List.of("devices"), w, new PrintWriter(Writer.nullWriter())) != ExitCodes.OK) {
                    return List.of();
                }
                w.flush();
                return Arrays.stream(names.toString().split("\n")).filter(s -> !s.isBlank()).toList();
            }

            @Override
            public void interrupt(Thread shellThread) {
                d.interrupt();
            }

            @Override
            public String leaveQuestion() {
                return null;
            }
        };
    }
}
