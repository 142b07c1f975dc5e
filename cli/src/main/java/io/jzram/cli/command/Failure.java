package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;

/**
 * A command failed with a message for the user: printed as {@code program: message} on stderr,
 * and the command exits with {@link #status()}.
 */
public final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Failure(String message) {
        this(ExitCodes.FAILURE, message);
    }

    Failure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
