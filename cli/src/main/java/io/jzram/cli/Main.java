package io.jzram.cli;

import io.jzram.cli.dispatch.ClientDispatcher;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Help.Ansi;

/** The {@code jzram} program. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        boolean stdinTerminal = Tty.isTerminal(0);
        boolean terminal = Tty.isTerminal(1) && Tty.isTerminal(2);
        CliContext context = CliContext.client(System.getenv(), System.in, stdinTerminal, terminal);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
        int status = run(context, args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one jzram command line in a client context and returns its exit status. */
    public static int run(CliContext context, String[] args, PrintWriter out, PrintWriter err) {
        boolean ansi = context.terminal() && !context.env().containsKey("NO_COLOR") && Ansi.AUTO.enabled();
        int width = 0;
        try {
            width = Integer.parseInt(context.env().getOrDefault("COLUMNS", "0"));
        } catch (NumberFormatException e) {
            // default width
        }
        try (ClientDispatcher dispatcher = new ClientDispatcher(context, ansi, width, null)) {
            return dispatcher.run(List.of(args), out, err);
        }
    }
}
