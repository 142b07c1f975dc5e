package io.jzram.config;

/**
 * Where something is in a configuration file: 1-based line and column (columns count UTF-16
 * chars, as editors that show "Col" do for text without surrogate pairs).
 */
public record Position(int line, int column) implements Comparable<Position> {
    public Position {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
        }
    }

    @Override
    public int compareTo(Position o) {
        return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
    }

    /** {@code 12:9}. */
    @Override
    public String toString() {
        return line + ":" + column;
    }
}
