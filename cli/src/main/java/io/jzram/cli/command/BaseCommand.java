package io.jzram.cli.command;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand of {@code jzram} shares: its context, output streams and error style. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    JzramCommand root;

    CliContext context() {
        return root.context();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The name error messages start with: {@code jzram}, or {@code zramctl} for zramctl. */
    String program() {
        return "jzram";
    }

    /** Prints {@code program: message} to stderr and returns {@link ExitCodes#FAILURE}. */
    int fail(String message) {
        return fail(ExitCodes.FAILURE, message);
    }

    int fail(int status, String message) {
        warn(message);
        return status;
    }

    /** Prints {@code program: message} to stderr (util-linux's warnx). */
    void warn(String message) {
        PrintWriter err = err();
        err.println(program() + ": " + message);
        err.flush();
    }

    int interrupted() {
        return fail(ExitCodes.INTERRUPTED, "interrupted");
    }
}
