package io.jzram.cli.shell;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;

/**
 * How a shell line or a script line is split into words: JLine's parser, configured once for
 * both, so a line means the same typed or scripted. Words are separated by blanks; '…' and "…"
 * quote, a backslash escapes the next character, and # starts a comment.
 */
public final class Words {
    private Words() {}

    /** The parser of the interactive shell (also used for completion). */
    public static DefaultParser parser() {
        DefaultParser p = new DefaultParser();
        p.setEofOnUnclosedQuote(true);
        p.setEofOnEscapedNewLine(true);
        p.lineCommentDelims(new String[] {"#"});
        return p;
    }

    /** A line that cannot be split (an unclosed quote). */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /** The words of {@code line}; empty for a blank line or a comment. */
    public static List<String> split(String line) throws SyntaxException {
        try {
            ParsedLine parsed = parser().parse(line, line.length(), Parser.ParseContext.ACCEPT_LINE);
            List<String> words = new ArrayList<>();
            for (String w : parsed.words()) {
                if (!w.isEmpty() || !words.isEmpty() || line.contains("\"\"") || line.contains("''")) {
                    words.add(w);
                }
            }
            while (!words.isEmpty() && words.getLast().isEmpty() && !line.stripTrailing().endsWith("\"\"")
                    && !line.stripTrailing().endsWith("''")) {
                words.removeLast();
            }
            return words;
        } catch (EOFError e) {
            throw new SyntaxException(e.getMessage() == null ? "unterminated quote" : e.getMessage());
        }
    }
}
