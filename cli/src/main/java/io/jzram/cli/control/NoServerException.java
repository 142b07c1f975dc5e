package io.jzram.cli.control;

import java.io.IOException;
import java.nio.file.Path;

/** No server answers at a control socket; the message says so in the words the user sees. */
public final class NoServerException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoServerException(Path socket, String why) {
        super("cannot connect to " + socket + ": " + why);
    }

    static NoServerException notRunning(Path socket) {
        return new NoServerException(socket, "no server running (start one with 'jzram serve')");
    }
}
