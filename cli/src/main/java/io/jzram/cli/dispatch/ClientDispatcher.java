package io.jzram.cli.dispatch;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import io.jzram.cli.command.ClientSide;
import io.jzram.cli.command.Failure;
import io.jzram.cli.command.JzramCommand;
import io.jzram.cli.command.SaveConfigCommand;
import io.jzram.cli.command.ServerCommand;
import io.jzram.cli.control.ControlClient;
import io.jzram.cli.control.ControlPaths;
import io.jzram.cli.control.ControlProtocol;
import io.jzram.cli.control.NoServerException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs command lines in a client process: a command that acts on a server ({@link ServerCommand})
 * is sent to the server over the control socket, unless only its help or version is asked for;
 * everything else (help, completion, serve, shell, a command line that does not parse) runs here.
 * Both sides parse with the same command tree, so a command means the same in both places.
 */
public final class ClientDispatcher implements Dispatcher, Closeable {
    private final CliContext context;
    private final LocalDispatcher local;
    private final boolean ansi;
    private final int width;
    private final Path fixedSocket;
    private ControlClient connection;
    private volatile ControlClient running;

    /**
     * @param fixedSocket the socket of every command (a client shell's), or null to take it from
     *     each command line's {@code --control-socket}, the environment or the default, and to
     *     connect for each command
     */
    public ClientDispatcher(CliContext context, boolean ansi, int width, Path fixedSocket) {
        this.context = context;
        this.local = new LocalDispatcher(context, ansi, width);
        this.ansi = ansi;
        this.width = width;
        this.fixedSocket = fixedSocket;
    }

    @Override
    public int run(List<String> argv, PrintWriter out, PrintWriter err) {
        CommandLine probe = local.commandLine(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()));
        ParseResult parsed;
        try {
            parsed = probe.parseArgs(argv.toArray(String[]::new));
        } catch (ParameterException e) {
            return local.run(argv, out, err);
        }
        if (!sentToServer(parsed)) {
            return local.run(argv, out, err);
        }
        ClientSide.Request request = new ClientSide.Request(argv, null, null);
        if (leaf(parsed).commandSpec().userObject() instanceof ClientSide side) {
            try {
                request = side.clientRequest(context);
            } catch (Failure f) {
                err.println("jzram: " + f.getMessage());
                err.flush();
                return f.status();
            }
        }
        Path socket = fixedSocket != null ? fixedSocket
                : ControlPaths.resolve(((JzramCommand) probe.getCommand()).controlSocket(), context.env(), request.socketHint());
        ControlClient client;
        try {
            client = connection(socket);
        } catch (NoServerException e) {
            err.println("jzram: " + e.getMessage());
            err.flush();
            return ExitCodes.NO_SERVER;
        } catch (IOException e) {
            err.println("jzram: cannot connect to " + socket + ": " + e.getMessage());
            err.flush();
            return ExitCodes.NO_SERVER;
        }
        running = client;
        try {
            if (request.saveOutputTo() != null) {
                StringWriter captured = new StringWriter();
                PrintWriter capture = new PrintWriter(captured);
                int status = client.run(new ControlProtocol.Request(request.argv(), false, width), new WriterStream(capture), new WriterStream(err));
                capture.flush();
                return status == ExitCodes.OK ? save(request.saveOutputTo(), captured.toString(), err) : status;
            }
            return client.run(new ControlProtocol.Request(request.argv(), ansi, width), new WriterStream(out), new WriterStream(err));
        } catch (IOException e) {
            err.println("jzram: " + e.getMessage());
            err.flush();
            dropConnection();
            return ExitCodes.CONNECTION_LOST;
        } finally {
            running = null;
            if (fixedSocket == null) {
                dropConnection();
            }
        }
    }

    /** Writes what the server printed to the client's file. */
    private static int save(Path file, String text, PrintWriter err) {
        try {
            SaveConfigCommand.writeAtomically(file, text);
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("jzram: cannot write " + file + ": " + SaveConfigCommand.reason(e));
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    private static ParseResult leaf(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    /** Whether a parsed command line is one for the server: a server command, no help or version asked. */
    static boolean sentToServer(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (true) {
            if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
                return false;
            }
            if (!leaf.hasSubcommand()) {
                break;
            }
            leaf = leaf.subcommand();
        }
        return leaf.commandSpec().userObject() instanceof ServerCommand;
    }

    /** Interrupts the command running on the server, if any (Ctrl-C in a client shell). */
    public void interrupt() {
        ControlClient c = running;
        if (c != null) {
            c.interrupt();
        }
    }

    /** Connects now (a client shell checks that a server runs before it starts). */
    public void connect() throws IOException {
        if (fixedSocket == null) {
            throw new IllegalStateException("no fixed socket");
        }
        connection(fixedSocket);
    }

    private synchronized ControlClient connection(Path socket) throws IOException {
        if (connection == null) {
            connection = ControlClient.connect(socket);
        }
        return connection;
    }

    private synchronized void dropConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // gone anyway
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        dropConnection();
    }

    /** Output frames (whole UTF-8 sequences) written to a PrintWriter. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writer.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }
}
