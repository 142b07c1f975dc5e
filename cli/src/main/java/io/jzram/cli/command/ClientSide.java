package io.jzram.cli.command;

import io.jzram.cli.CliContext;
import java.nio.file.Path;
import java.util.List;

/**
 * A server command with work to do in the client before and after the server runs it: files
 * that must be read or written where the user is (relative to the client's working directory,
 * with the client's permissions), not where the server runs. {@code apply FILE} sends the file's
 * content; {@code save-config FILE} writes the server's output to FILE.
 */
public interface ClientSide {

    /**
     * What to send instead of the command line.
     *
     * @param argv the argument vector for the server
     * @param socketHint where the server is when neither --control-socket nor the environment
     *     says (the file's control_socket), or null
     * @param saveOutputTo write the server's stdout to this file (only when the command succeeds),
     *     rather than to the client's stdout; null to stream it
     */
    record Request(List<String> argv, Path socketHint, Path saveOutputTo) {
        public Request {
            argv = List.copyOf(argv);
        }
    }

    /**
     * Prepares the request in the client; a {@link Failure} is printed there (the file cannot be
     * read) and nothing is sent.
     */
    Request clientRequest(CliContext context);
}
