package io.jzram.cli.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the control socket (see {@link ControlProtocol}).
 *
 * <p>Security: the socket file is made 0600 right after binding, a directory it creates is 0700
 * (so the default {@code $XDG_RUNTIME_DIR/jzram} or {@code /run/jzram} leaves no window in which
 * another user could connect), and every connection's peer credentials (SO_PEERCRED) must be the
 * socket owner's or root's.
 *
 * <p>Threads: one platform thread accepts; each connection has a virtual thread reading its
 * frames and, while a command runs, a virtual worker thread running it. An interrupt frame or the
 * client's disconnection interrupts the worker. {@link #close()} stops accepting, removes the
 * socket file and closes every connection.
 */
public final class ControlServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    /** Runs one command; must not throw. */
    public interface Handler {
        int run(ControlProtocol.Request request, PrintWriter out, PrintWriter err);
    }

    private final Path path;
    private final Handler handler;
    private final String version;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private ServerSocketChannel listener;
    private Thread acceptor;
    private UserPrincipal owner;
    private volatile boolean closed;

    public ControlServer(Path path, Handler handler, String version) {
        this.path = path.toAbsolutePath();
        this.handler = handler;
        this.version = version;
    }

    public Path path() {
        return path;
    }

    /**
     * Binds the socket.
     *
     * @throws AlreadyRunningException if a server answers at the path already
     * @throws IOException if the path cannot be used
     */
    public synchronized void start() throws IOException {
        if (listener != null || closed) {
            throw new IllegalStateException("already started");
        }
        Path dir = path.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // raced with someone else: fine if it is a directory now
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(path + " exists and is not a socket");
            }
            try (ControlClient probe = ControlClient.connect(path)) {
                throw new AlreadyRunningException(path, probe.serverVersion());
            } catch (NoServerException stale) {
                LOG.debug("removing stale control socket {}", path);
                Files.deleteIfExists(path);
            }
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            owner = Files.getOwner(path);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        listener = ch;
        acceptor = Thread.ofPlatform().name("jzram-control-accept").daemon().unstarted(this::acceptLoop);
        acceptor.start();
        LOG.info("control socket {}", path);
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.warn("control socket: accept failed: {}", e.toString());
                continue;
            }
            int id = ids.incrementAndGet();
            connections.add(ch);
            if (closed) {
                closeQuietly(ch);
                return;
            }
            Thread.ofVirtual().name("jzram-control-" + id).start(() -> serve(ch, id));
        }
    }

    private boolean permitted(SocketChannel ch) {
        try {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().equals(owner) || peer.user().getName().equals("root");
        } catch (IOException | UnsupportedOperationException e) {
            // no peer credentials on this platform: the socket's 0600 mode is the protection
            return true;
        }
    }

    private void serve(SocketChannel ch, int id) {
        Thread worker = null;
        java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
        try (ch) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
            if (!permitted(ch)) {
                LOG.warn("control socket: refused a connection from another user");
                return;
            }
            ControlProtocol.write(out, ControlProtocol.HELLO,
                    (ControlProtocol.HELLO_PREFIX + " " + version).getBytes(StandardCharsets.UTF_8));
            while (true) {
                ControlProtocol.Frame f = ControlProtocol.read(in);
                if (f == null) {
                    break;
                }
                switch (f.type()) {
                    case ControlProtocol.RUN -> {
                        if (!busy.compareAndSet(false, true)) {
                            throw new IOException("control protocol: a command is already running");
                        }
                        ControlProtocol.Request request = ControlProtocol.decodeRequest(f.payload());
                        LOG.debug("control {}: {}", id, request.argv());
                        worker = Thread.ofVirtual().name("jzram-control-" + id + "-command").start(() -> execute(request, out, busy));
                    }
                    case ControlProtocol.INTERRUPT -> {
                        if (worker != null && busy.get()) {
                            worker.interrupt();
                        }
                    }
                    default -> throw new IOException("control protocol: unexpected frame '" + (char) f.type() + "'");
                }
            }
        } catch (ClosedChannelException e) {
            // closed by close() or the client
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("control {}: {}", id, e.toString());
            }
        } finally {
            if (worker != null && busy.get()) {
                worker.interrupt(); // the client is gone: stop its command
            }
            connections.remove(ch);
        }
    }

    private void execute(ControlProtocol.Request request, DataOutputStream out, java.util.concurrent.atomic.AtomicBoolean busy) {
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(new FrameStream(out, ControlProtocol.STDOUT), StandardCharsets.UTF_8), true);
        PrintWriter stderr = new PrintWriter(new OutputStreamWriter(new FrameStream(out, ControlProtocol.STDERR), StandardCharsets.UTF_8), true);
        int status;
        try {
            status = handler.run(request, stdout, stderr);
        } catch (RuntimeException | Error e) {
            LOG.error("control: {} failed", request.argv(), e);
            stderr.println("jzram: internal error: " + e);
            status = 1;
        }
        stdout.flush();
        stderr.flush();
        busy.set(false);
        Thread.interrupted(); // an interrupt that came too late is not for the next command
        try {
            ControlProtocol.write(out, ControlProtocol.EXIT, ControlProtocol.encodeExit(status));
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Bytes written become frames of one type, sent at each flush. */
    private static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte type;
        private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();

        FrameStream(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            if (buffer.size() > 0) {
                byte[] bytes = buffer.toByteArray();
                buffer.reset();
                try {
                    ControlProtocol.write(out, type, bytes);
                } catch (IOException e) {
                    // the client is gone; the command still finishes
                }
            }
        }
    }

    /** Stops accepting, removes the socket file and closes every connection. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (listener != null) {
            closeQuietly(listener);
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", path, e.toString());
            }
        }
        for (SocketChannel c : connections) {
            closeQuietly(c);
        }
        if (acceptor != null) {
            try {
                acceptor.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Another server answers at the socket. */
    public static final class AlreadyRunningException extends IOException {
        private static final long serialVersionUID = 1L;

        AlreadyRunningException(Path path, String version) {
            super("a jzram server (" + version + ") is already running at " + path);
        }
    }
}
