package io.jzram.cli.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One connection to a server's control socket; runs commands one after another. */
public final class ControlClient implements Closeable {
    private final Path socket;
    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final String serverVersion;

    private ControlClient(Path socket, SocketChannel channel) throws IOException {
        this.socket = socket;
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        ControlProtocol.Frame hello = ControlProtocol.read(in);
        if (hello == null || hello.type() != ControlProtocol.HELLO) {
            throw new IOException(socket + ": not a jzram control socket (no greeting)");
        }
        String text = new String(hello.payload(), StandardCharsets.UTF_8);
        if (!text.startsWith(ControlProtocol.HELLO_PREFIX + " ")) {
            throw new IOException(socket + ": the server speaks \"" + text + "\", this client " + ControlProtocol.HELLO_PREFIX);
        }
        this.serverVersion = text.substring(ControlProtocol.HELLO_PREFIX.length() + 1);
    }

    /**
     * Connects.
     *
     * @throws NoServerException when nothing listens there (no file, a stale socket) or we may not connect
     */
    public static ControlClient connect(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            throw NoServerException.notRunning(socket);
        }
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new NoServerException(socket, e.getMessage());
        }
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException e) {
            ch.close();
            throw NoServerException.notRunning(socket);
        } catch (AccessDeniedException e) {
            ch.close();
            throw new NoServerException(socket, "Permission denied");
        } catch (SocketException e) {
            ch.close();
            String m = String.valueOf(e.getMessage());
            if (m.contains("No such file")) {
                throw NoServerException.notRunning(socket);
            }
            throw new NoServerException(socket, m);
        }
        try {
            return new ControlClient(socket, ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    public Path socket() {
        return socket;
    }

    /** The server's jzram version, from its greeting. */
    public String serverVersion() {
        return serverVersion;
    }

    /**
     * Runs a command, copying its output as it comes.
     *
     * @return its exit status
     * @throws ConnectionLostException if the server goes away before the command ends
     */
    public int run(ControlProtocol.Request request, OutputStream stdout, OutputStream stderr) throws IOException {
        try {
            ControlProtocol.write(out, ControlProtocol.RUN, ControlProtocol.encode(request));
        } catch (IOException e) {
            throw new ConnectionLostException(socket, e);
        }
        while (true) {
            ControlProtocol.Frame f;
            try {
                f = ControlProtocol.read(in);
            } catch (IOException e) {
                throw new ConnectionLostException(socket, e);
            }
            if (f == null) {
                throw new ConnectionLostException(socket, null);
            }
            switch (f.type()) {
                case ControlProtocol.STDOUT -> {
                    stdout.write(f.payload());
                    stdout.flush();
                }
                case ControlProtocol.STDERR -> {
                    stderr.write(f.payload());
                    stderr.flush();
                }
                case ControlProtocol.EXIT -> {
                    return ControlProtocol.decodeExit(f.payload());
                }
                default -> throw new IOException("control protocol: unexpected frame '" + (char) f.type() + "'");
            }
        }
    }

    /** Asks the server to interrupt the running command (Ctrl-C); thread-safe, best effort. */
    public void interrupt() {
        try {
            ControlProtocol.write(out, ControlProtocol.INTERRUPT, new byte[0]);
        } catch (IOException e) {
            // the server is gone: run() reports it
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The server went away during a command. */
    public static final class ConnectionLostException extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectionLostException(Path socket, IOException cause) {
            super("lost the connection to the server at " + socket + (cause == null ? "" : ": " + cause.getMessage()), cause);
        }
    }
}
