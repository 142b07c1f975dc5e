package io.jzram.cli.shell;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.dispatch.Dispatcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/**
 * Runs a script: one command a line, in the shell's grammar (a leading {@code jzram} is allowed
 * and ignored), blank lines and {@code #} comments skipped, {@code exit [N]} ends it. Everything
 * a failing command writes to stderr is prefixed with {@code FILE:LINE: }. The script stops at the
 * first failing line with that line's exit status, unless continuing on errors, when every line
 * runs and the status is the first failure's.
 */
public final class ScriptRunner {
    private ScriptRunner() {}

    public static int run(String name, BufferedReader reader, Dispatcher dispatcher, boolean continueOnError,
            PrintWriter out, PrintWriter err) throws IOException {
        int failed = ExitCodes.OK;
        int number = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            number++;
            String prefix = name + ":" + number + ": ";
            List<String> words;
            try {
                words = Words.split(line);
            } catch (Words.SyntaxException e) {
                err.println(prefix + e.getMessage());
                err.flush();
                if (!continueOnError) {
                    return ExitCodes.FAILURE;
                }
                failed = failed == ExitCodes.OK ? ExitCodes.FAILURE : failed;
                continue;
            }
            if (!words.isEmpty() && words.getFirst().equals("jzram")) {
                words = words.subList(1, words.size());
            }
            if (words.isEmpty()) {
                continue;
            }
            if (words.getFirst().equals("exit") || words.getFirst().equals("quit")) {
                if (words.size() > 1) {
                    try {
                        return Integer.parseInt(words.get(1));
                    } catch (NumberFormatException e) {
                        err.println(prefix + "exit: " + words.get(1) + ": numeric argument required");
                        err.flush();
                        return ExitCodes.FAILURE;
                    }
                }
                return failed;
            }
            PrefixWriter prefixed = new PrefixWriter(err, prefix);
            PrintWriter commandErr = new PrintWriter(prefixed, true);
            int status = dispatcher.run(words, out, commandErr);
            commandErr.flush();
            prefixed.finishLine();
            if (status != ExitCodes.OK) {
                if (!prefixed.wroteAnything()) {
                    err.println(prefix + "'" + line.strip() + "' failed with exit status " + status);
                }
                err.flush();
                if (!continueOnError) {
                    return status;
                }
                if (failed == ExitCodes.OK) {
                    failed = status;
                }
            }
        }
        return failed;
    }

    /** Puts a prefix before every line written through it. */
    static final class PrefixWriter extends Writer {
        private final PrintWriter target;
        private final String prefix;
        private boolean atLineStart = true;
        private boolean wrote;

        PrefixWriter(PrintWriter target, String prefix) {
            this.target = target;
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = cbuf[i];
                if (atLineStart) {
                    target.write(prefix);
                    atLineStart = false;
                }
                target.write(c);
                wrote = true;
                if (c == '\n') {
                    atLineStart = true;
                }
            }
        }

        /** Ends a last line that had no newline. */
        synchronized void finishLine() {
            if (!atLineStart) {
                target.write('\n');
                atLineStart = true;
            }
            target.flush();
        }

        synchronized boolean wroteAnything() {
            return wrote;
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
