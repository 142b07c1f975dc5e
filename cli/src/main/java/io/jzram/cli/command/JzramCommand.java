package io.jzram.cli.command;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.dispatch.ClientDispatcher;
import io.jzram.cli.dispatch.LocalDispatcher;
import io.jzram.cli.shell.ScriptRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code jzram} command: its global options and subcommands. */
@Command(name = "jzram",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        header = "Compressed RAM block devices (a user-space zram), exported over iSCSI.",
        synopsisSubcommandLabel = "[COMMAND]",
        description = {
            "Without a command, runs the main job: 'serve --device 1G:lz4', a server with one 1 GiB lz4 "
                    + "device zram0 exported on 127.0.0.1:3260, with the interactive shell when stdin is a terminal.",
            "",
            "Every other command acts on a running server: given to jzram, it is sent over the control "
                    + "socket; typed in the shell or listed in a script (--script, 'jzram shell < FILE') it is "
                    + "the same command with the same output.",
        },
        subcommands = {
            ServeCommand.class,
            ShellCommand.class,
            ZramctlCommand.class,
            StatCommand.class,
            CompactCommand.class,
            MemLimitCommand.class,
            SysfsCommand.class,
            ExportCommand.class,
            UnexportCommand.class,
            HotAddCommand.class,
            HotRemoveCommand.class,
            ResetCommand.class,
            SessionsCommand.class,
            AclCommand.class,
            ApplyCommand.class,
            SaveConfigCommand.class,
            CompletionCommand.class,
            DevicesCommand.class,
            HelpCommand.class,
        },
        footer = {
            "",
            "Examples:",
            "  jzram                                  serve one 1 GiB device, with a shell",
            "  jzram serve --no-shell --device 4G     a headless server (systemd, containers)",
            "  jzram zramctl --find --size 4G --algorithm lz4",
            "  jzram zramctl                          list the devices",
            "  jzram apply --dry-run site.toml        what a configuration file would change",
            "  iscsiadm -m discovery -t st -p 127.0.0.1 && iscsiadm -m node --login",
        })
public final class JzramCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--control-socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "the server's control socket (default: the configuration file's control_socket for serve --config "
                    + "and apply, else $JZRAM_CONTROL_SOCKET, else $XDG_RUNTIME_DIR/jzram/control.sock, else /run/jzram/control.sock)")
    Path controlSocket;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "log more (debug level)")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "log only warnings and errors")
    boolean quiet;

    @Option(names = "--script", paramLabel = "FILE",
            description = "run the commands in FILE, one a line, against the server; stop at the first failing line")
    Path script;

    @Option(names = "--continue-on-error", description = "with --script: run the remaining lines after a failing one (exit status 1)")
    boolean continueOnError;

    private final CliContext context;

    public JzramCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    /** The --control-socket option, or null when not given. */
    public Path controlSocket() {
        return controlSocket;
    }

    @Override
    public Integer call() throws IOException {
        if (continueOnError && script == null) {
            throw new Failure("option --continue-on-error must be combined with --script");
        }
        if (script != null) {
            return runScript(script);
        }
        if (context.isServer()) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return ExitCodes.OK;
        }
        List<String> serve = new ArrayList<>(List.of("--device", "1G:lz4"));
        if (controlSocket != null) {
            serve.add("--control-socket");
            serve.add(controlSocket.toString());
        }
        if (verbose) {
            serve.add("--verbose");
        }
        if (quiet) {
            serve.add("--quiet");
        }
        return spec.subcommands().get("serve").execute(serve.toArray(String[]::new));
    }

    private int runScript(Path file) throws IOException {
        BufferedReader reader;
        try {
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Failure("cannot open " + file + ": No such file or directory");
        } catch (IOException e) {
            throw new Failure("cannot open " + file + ": " + e.getMessage());
        }
        try (reader) {
            return runScript(file.toString(), reader);
        }
    }

    /** Runs a script's lines here (inside a server) or against the server (in a client). */
    int runScript(String name, BufferedReader reader) throws IOException {
        boolean ansi = false;
        if (context.isServer()) {
            return ScriptRunner.run(name, reader, new LocalDispatcher(context, ansi, 0), continueOnError,
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        try (ClientDispatcher d = new ClientDispatcher(context, ansi, 0,
                io.jzram.cli.control.ControlPaths.resolve(controlSocket, context.env()))) {
            return ScriptRunner.run(name, reader, d, continueOnError, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    boolean continueOnError() {
        return continueOnError;
    }
}
