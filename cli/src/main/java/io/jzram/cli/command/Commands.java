package io.jzram.cli.command;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Builds the {@code jzram} command tree, configured the same way everywhere it runs. */
public final class Commands {
    private Commands() {}

    /**
     * A new command tree for one command line.
     *
     * @param ansi whether help may use colours (the output is a terminal)
     * @param width the terminal width for help text, 0 for the default (80)
     */
    public static CommandLine build(CliContext context, PrintWriter out, PrintWriter err, boolean ansi, int width) {
        return build(context, out, err, ansi, width, cl -> {});
    }

    /** @param customizer adjusts the tree before it is configured (tests add commands) */
    public static CommandLine build(CliContext context, PrintWriter out, PrintWriter err, boolean ansi, int width,
            java.util.function.Consumer<CommandLine> customizer) {
        CommandLine cl = new CommandLine(new JzramCommand(context));
        customizer.accept(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setColorScheme(Help.defaultColorScheme(ansi ? Ansi.ON : Ansi.OFF));
        cl.setOverwrittenOptionsAllowed(true); // getopt: the last -o, -s ... wins
        cl.setUsageHelpWidth(width <= 0 ? 80 : Math.max(55, Math.min(width, 120)));
        cl.setExecutionExceptionHandler(Commands::onExecutionException);
        cl.setParameterExceptionHandler(Commands::onParameterException);
        cl.setExitCodeExceptionMapper(e -> e instanceof Failure f ? f.status() : ExitCodes.FAILURE);
        Map<String, String> exitCodes = new LinkedHashMap<>();
        for (String line : ExitCodes.HELP_LIST) {
            int colon = line.indexOf(':');
            exitCodes.put(String.format("%3s", line.substring(0, colon)), line.substring(colon + 1));
        }
        configure(cl, exitCodes);
        cl.getSubcommands().get("zramctl").getCommandSpec().usageMessage().footer(ZramctlCommand.footer());
        return cl;
    }

    private static void configure(CommandLine cl, Map<String, String> exitCodes) {
        CommandSpec spec = cl.getCommandSpec();
        if (!spec.usageMessage().hidden() && !(spec.userObject() instanceof CommandLine.HelpCommand)) {
            spec.usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(exitCodes);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            configure(sub, exitCodes);
        }
    }

    /** The program name in messages: zramctl's own for zramctl, else jzram. */
    static String program(CommandLine cmd) {
        return cmd.getCommand() instanceof BaseCommand b ? b.program() : "jzram";
    }

    private static int onExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String program = program(cmd);
        int status;
        if (ex instanceof Failure f) {
            err.println(program + ": " + f.getMessage());
            status = f.status();
        } else if (ex instanceof InterruptedException) {
            err.println(program + ": interrupted");
            status = ExitCodes.INTERRUPTED;
        } else {
            err.println(program + ": internal error: " + ex);
            ex.printStackTrace(err);
            status = ExitCodes.FAILURE;
        }
        err.flush();
        return status;
    }

    /** util-linux style: {@code zramctl: unrecognized option '--foo'}, then where to find help. */
    private static int onParameterException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(program(cmd) + ": " + message(ex));
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
            UnmatchedArgumentException.printSuggestions(ex, err);
        }
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.FAILURE;
    }

    static String message(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            if (first.startsWith("--")) {
                return "unrecognized option '" + first + "'";
            }
            if (first.startsWith("-") && first.length() > 1) {
                return "invalid option -- '" + first.substring(1) + "'";
            }
            if (!ex.getCommandLine().getSubcommands().isEmpty()
                    && ex.getCommandLine().getCommandSpec().positionalParameters().isEmpty()) {
                return "unknown command '" + first + "'";
            }
            return "unexpected argument '" + first + "'";
        }
        String m = String.valueOf(ex.getMessage());
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
