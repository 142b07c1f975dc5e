package io.jzram.cli;

/**
 * The exit statuses of every jzram command. zramctl's are kept: 0 for success and 1 for any
 * failure, a command line that was not understood included (util-linux's {@code errtryhelp(EXIT_FAILURE)}).
 * The others are jzram's own.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** An operation failed, or the command line was not understood (as zramctl). */
    public static final int FAILURE = 1;
    /** No server answers at the control socket (none running, or no permission). */
    public static final int NO_SERVER = 3;
    /** The connection to the server broke during the command. */
    public static final int CONNECTION_LOST = 4;
    /** The command was interrupted (Ctrl-C), like a shell's 128 + SIGINT. */
    public static final int INTERRUPTED = 130;

    /** The exit-status section of every command's help and man page. */
    public static final String[] HELP_LIST = {
        "0:Success.",
        "1:Failure: an operation failed, or the command line was not understood (as zramctl).",
        "3:No jzram server answers at the control socket.",
        "4:The connection to the server was lost during the command.",
        "130:Interrupted (Ctrl-C).",
    };

    private ExitCodes() {}
}
