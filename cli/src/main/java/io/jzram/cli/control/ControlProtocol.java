package io.jzram.cli.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The control socket's protocol: frames over a Unix domain stream socket.
 *
 * <pre>
 * frame    = type:u8 length:u32 payload[length]          (big-endian; length ≤ 16 MiB)
 *
 * server → client, once on connect:
 *   'H' hello    "jzram-control/1 " version              (UTF-8)
 * client → server:
 *   'R' run      flags:u8 width:u16 argc:u32 (len:u32 utf8[len]){argc}
 *                flags bit 0: the client's output is a terminal (colours, spinners)
 *                width: the client's terminal width for help text (0 = default)
 *   'I' interrupt the running command (Ctrl-C); empty payload
 * server → client, for each 'R':
 *   'O' stdout   UTF-8 bytes, any number of frames
 *   'E' stderr   UTF-8 bytes, any number of frames
 *   'X' exit     status:u32; the command is over, the next 'R' may follow
 * </pre>
 *
 * One command runs at a time on a connection; a connection may run many (the client shell keeps
 * one open). The server runs the argument vector with the same picocli commands as its shell, so
 * the grammar, output and exit status are those of the shell. A client closing the connection
 * interrupts its running command.
 */
public final class ControlProtocol {
    public static final int VERSION = 1;
    public static final String HELLO_PREFIX = "jzram-control/" + VERSION;

    public static final byte HELLO = 'H';
    public static final byte RUN = 'R';
    public static final byte INTERRUPT = 'I';
    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'E';
    public static final byte EXIT = 'X';

    static final int MAX_FRAME = 16 << 20;

    private ControlProtocol() {}

    /** A frame as read. */
    public record Frame(byte type, byte[] payload) {}

    /** What a client asks the server to run. */
    public record Request(List<String> argv, boolean terminal, int width) {
        public Request {
            argv = List.copyOf(argv);
            if (width < 0 || width > 0xFFFF) {
                throw new IllegalArgumentException("width " + width);
            }
        }
    }

    public static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        }
    }

    /** The next frame, or null at a clean end of stream (between frames). */
    public static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("control protocol: frame of " + Integer.toUnsignedString(length) + " bytes");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame((byte) type, payload);
    }

    public static byte[] encode(Request r) {
        List<byte[]> args = r.argv().stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList();
        int size = 1 + 2 + 4 + args.stream().mapToInt(a -> 4 + a.length).sum();
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) (r.terminal() ? 1 : 0));
        b.putShort((short) r.width());
        b.putInt(args.size());
        for (byte[] a : args) {
            b.putInt(a.length);
            b.put(a);
        }
        return b.array();
    }

    public static Request decodeRequest(byte[] payload) throws IOException {
        try {
            ByteBuffer b = ByteBuffer.wrap(payload);
            boolean terminal = (b.get() & 1) != 0;
            int width = b.getShort() & 0xFFFF;
            int argc = b.getInt();
            if (argc < 0 || argc > payload.length) {
                throw new IOException("control protocol: bad argc " + argc);
            }
            List<String> argv = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new IOException("control protocol: bad argument length " + len);
                }
                byte[] a = new byte[len];
                b.get(a);
                argv.add(new String(a, StandardCharsets.UTF_8));
            }
            if (b.hasRemaining()) {
                throw new IOException("control protocol: " + b.remaining() + " bytes after the arguments");
            }
            return new Request(argv, terminal, width);
        } catch (java.nio.BufferUnderflowException e) {
            throw new EOFException("control protocol: truncated run request");
        }
    }

    public static byte[] encodeExit(int status) {
        return ByteBuffer.allocate(4).putInt(status).array();
    }

    public static int decodeExit(byte[] payload) throws IOException {
        if (payload.length != 4) {
            throw new IOException("control protocol: exit frame of " + payload.length + " bytes");
        }
        return ByteBuffer.wrap(payload).getInt();
    }
}
