package io.jzram.cli.dispatch;

import io.jzram.cli.CliContext;
import io.jzram.cli.command.Commands;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs every command here, in this process's context (a server's, or a client's local commands). */
public final class LocalDispatcher implements Dispatcher {
    private final CliContext context;
    private final boolean ansi;
    private final int width;
    private final Consumer<CommandLine> customizer;

    public LocalDispatcher(CliContext context, boolean ansi, int width) {
        this(context, ansi, width, cl -> {});
    }

    /** @param customizer adjusts each new command tree (tests add commands) */
    public LocalDispatcher(CliContext context, boolean ansi, int width, Consumer<CommandLine> customizer) {
        this.context = context;
        this.ansi = ansi;
        this.width = width;
        this.customizer = customizer;
    }

    public CliContext context() {
        return context;
    }

    /** A command tree as this dispatcher builds them (completion, man pages). */
    public CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return Commands.build(context, out, err, ansi, width, customizer);
    }

    @Override
    public int run(List<String> argv, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(out, err);
        int status = cl.execute(argv.toArray(String[]::new));
        out.flush();
        err.flush();
        return status;
    }
}
