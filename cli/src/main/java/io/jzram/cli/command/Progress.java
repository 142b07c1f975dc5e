package io.jzram.cli.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A spinner line on stderr while a long operation (compact, a forced reset's drain) runs, shown
 * only when stderr is a terminal and only once the operation has taken more than a moment. The
 * line is erased when the operation ends.
 */
final class Progress {
    private static final String FRAMES = "|/-\\";
    private static final long DELAY_MILLIS = 250;
    private static final long TICK_MILLIS = 100;

    private Progress() {}

    interface Task<T> {
        T run() throws Exception;
    }

    static <T> T run(PrintWriter err, boolean show, String label, Task<T> task) throws Exception {
        if (!show) {
            return task.run();
        }
        Object lock = new Object();
        boolean[] done = {false};
        boolean[] drawn = {false};
        long start = System.nanoTime();
        Thread spinner = Thread.ofVirtual().name("jzram-spinner").start(() -> {
            int frame = 0;
            try {
                Thread.sleep(DELAY_MILLIS);
                while (true) {
                    synchronized (lock) {
                        if (done[0]) {
                            return;
                        }
                        long secs = (System.nanoTime() - start) / 1_000_000_000L;
                        err.print("\r" + FRAMES.charAt(frame++ % FRAMES.length()) + " " + label + " (" + secs + "s)");
                        err.flush();
                        drawn[0] = true;
                    }
                    Thread.sleep(TICK_MILLIS);
                }
            } catch (InterruptedException e) {
                // stop drawing
            }
        });
        try {
            return task.run();
        } finally {
            synchronized (lock) {
                done[0] = true;
                if (drawn[0]) {
                    err.print("\r\u001b[K");
                    err.flush();
                }
            }
            spinner.interrupt();
        }
    }

    /** For tasks without a result. */
    static void runVoid(PrintWriter err, boolean show, String label, Callable<Void> task) throws Exception {
        run(err, show, label, task::call);
    }
}
