package io.jzram.cli.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/** A dumb terminal on pipes: tests type into it and read what the shell printed. */
final class TerminalDriver implements AutoCloseable {
    private final LinkedBlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    final Terminal terminal;

    TerminalDriver() throws IOException {
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    return keys.take();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                int n = 1;
                Integer next;
                while (n < len && (next = keys.peek()) != null && next >= 0) {
                    b[off + n++] = (byte) (int) keys.poll();
                }
                return n;
            }
        };
        terminal = new ExternalTerminal("test", "dumb", in, screen, StandardCharsets.UTF_8);
    }

    /** Types text (\u0003 is Ctrl-C, \u0004 Ctrl-D, \t Tab). */
    void type(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            keys.add(b & 0xff);
        }
    }

    /** Waits until the shell has read everything typed, and a moment more for it to act on it. */
    void awaitRead(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!keys.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the shell did not read what was typed");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        TimeUnit.MILLISECONDS.sleep(200);
    }

    /** The end of input. */
    void hangUp() {
        keys.add(-1);
    }

    /** What the shell printed, with the terminal's CR LF line ends as LF. */
    String screen() {
        return screen.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    /** Waits until the screen shows {@code text}. */
    void await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!screen().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen never showed \"" + text + "\"; it shows:\n" + screen());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
