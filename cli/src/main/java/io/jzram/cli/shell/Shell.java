package io.jzram.cli.shell;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.dispatch.Dispatcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import picocli.CommandLine;

/**
 * The interactive shell: JLine line editing with history ({@code ~/.jzram_history}) and
 * completion of commands, options and device names. Each line is one command of the same
 * grammar as {@code jzram COMMAND}, run by a {@link Dispatcher} (here, inside a server; or over
 * the control socket, in {@code jzram shell}).
 *
 * <p>Keys: Ctrl-C cancels the line being edited, or interrupts the running command (the server
 * keeps running); Ctrl-D on an empty line, {@code exit} or {@code quit} leaves, after confirming
 * when leaving would drop logged-in sessions.
 */
public final class Shell {

    /** What the shell talks to. */
    public interface Backend {
        Dispatcher dispatcher();

        /** Device names for completion, e.g. {@code zram0}. */
        List<String> deviceNames();

        /** Interrupts the command the shell thread is running (Ctrl-C). */
        void interrupt(Thread shellThread);

        /** A question to confirm before leaving (leaving would drop sessions), or null to leave at once. */
        String leaveQuestion();
    }

    private final Terminal terminal;
    private final Path historyFile;
    private final CommandLine model;
    private final Backend backend;
    private final String banner;
    private LineReader reader;

    /**
     * @param model a command tree for completion
     * @param banner printed when the shell starts, or null
     */
    public Shell(Terminal terminal, Path historyFile, CommandLine model, Backend backend, String banner) {
        this.terminal = terminal;
        this.historyFile = historyFile;
        this.model = model;
        this.backend = backend;
        this.banner = banner;
    }

    /** The line reader, once {@link #run()} has built it (for printing above the prompt). */
    public synchronized LineReader reader() {
        return reader;
    }

    /** Runs until the user leaves; returns the exit status of the last command. */
    public int run() {
        LineReader r = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("jzram")
                .parser(Words.parser())
                .completer(new ShellCompleter(model, backend::deviceNames))
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_FILE_SIZE, 2000)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        synchronized (this) {
            reader = r;
        }
        Thread shellThread = Thread.currentThread();
        terminal.handle(Terminal.Signal.INT, signal -> backend.interrupt(shellThread));
        PrintWriter out = terminal.writer();
        if (banner != null) {
            out.println(banner);
            out.flush();
        }
        int last = ExitCodes.OK;
        try {
            while (true) {
                String line;
                try {
                    line = r.readLine("jzram> ");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C: drop the line
                } catch (EndOfFileException e) {
                    if (confirmLeave(r)) {
                        break;
                    }
                    continue;
                }
                List<String> words;
                try {
                    words = Words.split(line);
                } catch (Words.SyntaxException e) {
                    out.println("jzram: " + e.getMessage());
                    out.flush();
                    last = ExitCodes.FAILURE;
                    continue;
                }
                if (!words.isEmpty() && words.getFirst().equals("jzram")) {
                    words = words.subList(1, words.size());
                }
                if (words.isEmpty()) {
                    continue;
                }
                if (words.getFirst().equals("exit") || words.getFirst().equals("quit")) {
                    if (confirmLeave(r)) {
                        break;
                    }
                    continue;
                }
                try {
                    last = backend.dispatcher().run(words, out, out);
                } finally {
                    Thread.interrupted(); // a Ctrl-C that came as the command ended is not for the next one
                    out.flush();
                }
            }
        } finally {
            try {
                r.getHistory().save();
            } catch (IOException e) {
                // history is a convenience
            }
            terminal.handle(Terminal.Signal.INT, Terminal.SignalHandler.SIG_DFL);
        }
        return last;
    }

    private boolean confirmLeave(LineReader r) {
        String question = backend.leaveQuestion();
        if (question == null) {
            return true;
        }
        try {
            String answer = r.readLine(question + " [y/N] ");
            String a = answer.strip().toLowerCase(Locale.ROOT);
            return a.equals("y") || a.equals("yes");
        } catch (UserInterruptException e) {
            return false;
        } catch (EndOfFileException e) {
            return true; // input is gone: nothing else can be typed
        }
    }

    /** A shell's banner: version and the keys to know. */
    public static String banner(String version, String where) {
        return "jzram " + version + " shell" + (where == null ? "" : " (" + where + ")")
                + ": 'help' lists commands, Tab completes, Ctrl-C cancels, Ctrl-D or 'exit' leaves.";
    }

    /** Supplies a value at each call, never failing (completion must not throw). */
    public static Supplier<List<String>> safe(Supplier<List<String>> s) {
        return () -> {
            try {
                return s.get();
            } catch (RuntimeException e) {
                return List.of();
            }
        };
    }
}
