package io.jzram.cli.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A table printed the way util-linux's libsmartcols prints zramctl's on a pipe, so that scripts
 * written against zramctl read ours unchanged.
 *
 * <p><b>Human format</b> (default): cells separated by one space; a column is as wide as its
 * widest cell or its header, whichever is wider; right-aligned columns pad on the left (their
 * headers too); every column but the last is padded to its width, so a row whose last cell is
 * empty ends in the separator. Without headings a column that is wider than 1 but narrower than
 * its absolute width hint is widened to the hint (libsmartcols's {@code width_hint}). An empty
 * table prints nothing, not even the header. We never shrink columns to a terminal's width.
 *
 * <p><b>Raw format</b> ({@code --raw}): no padding, one space between cells, blanks, backslashes
 * and non-printable characters written as {@code \xHH}.
 */
public final class Table {

    /** A column: its header, a width hint (≥ 1: absolute; below 1: a fraction of a terminal, unused here) and alignment. */
    public record Column(String name, double widthHint, boolean right) {
        public Column {
            Objects.requireNonNull(name, "name");
        }
    }

    private final List<Column> columns;
    private final List<String[]> rows = new ArrayList<>();
    private boolean raw;
    private boolean noHeadings;

    public Table(List<Column> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.columns = List.copyOf(columns);
    }

    public Table raw(boolean on) {
        this.raw = on;
        return this;
    }

    public Table noHeadings(boolean on) {
        this.noHeadings = on;
        return this;
    }

    /** Adds a row; null cells are empty. */
    public Table addRow(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.copyOf(cells, cells.length));
        return this;
    }

    public Table addRow(List<String> cells) {
        return addRow(cells.toArray(String[]::new));
    }

    public int rowCount() {
        return rows.size();
    }

    /** The printed table, each line ending in a newline; empty when there are no rows. */
    public String render() {
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (raw) {
            if (!noHeadings) {
                rawLine(out, columns.stream().map(Column::name).toArray(String[]::new));
            }
            for (String[] row : rows) {
                rawLine(out, row);
            }
            return out.toString();
        }
        int[] widths = widths();
        if (!noHeadings) {
            humanLine(out, widths, columns.stream().map(Column::name).toArray(String[]::new));
        }
        for (String[] row : rows) {
            humanLine(out, widths, row);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private int[] widths() {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            int min = noHeadings ? 0 : col.name().length();
            boolean noHeader = noHeadings || col.name().isEmpty();
            if (min == 0) {
                min = 1;
            }
            int max = 0;
            for (String[] row : rows) {
                max = Math.max(max, cell(row, c).length());
            }
            int width = max;
            if (width <= min) {
                width = min;
            } else if (col.widthHint() >= 1 && width < (int) col.widthHint() && min < (int) col.widthHint()) {
                width = (int) col.widthHint();
            }
            if (max == 0 && noHeader && min == 1 && width <= 1) {
                width = 0;
            }
            widths[c] = width;
        }
        return widths;
    }

    private void humanLine(StringBuilder out, int[] widths, String[] cells) {
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            boolean last = c == columns.size() - 1;
            String data = cell(cells, c);
            int len = data.length();
            int width = widths[c];
            if (last && len < width && !col.right()) {
                width = len;
            }
            if (!data.isEmpty()) {
                if (col.right()) {
                    pad(out, width - len);
                    len = Math.max(len, width);
                }
                out.append(data);
            }
            if (last) {
                break;
            }
            pad(out, width - len);
            out.append(' ');
        }
        out.append('\n');
    }

    private void rawLine(StringBuilder out, String[] cells) {
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                out.append(' ');
            }
            encodeNonBlank(out, cell(cells, c));
        }
        out.append('\n');
    }

    /** libsmartcols's raw encoding: blanks, backslash and non-printable characters as \xHH (of their UTF-8 bytes). */
    static void encodeNonBlank(StringBuilder out, String data) {
        for (int i = 0; i < data.length(); i++) {
            char ch = data.charAt(i);
            if (ch == ' ' || ch == '\t' || ch == '\\' || ch < 0x20 || ch == 0x7f || ch > 0x7e) {
                byte[] bytes = String.valueOf(ch).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(ch) && i + 1 < data.length()) {
                    bytes = data.substring(i, i + 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    i++;
                }
                for (byte b : bytes) {
                    out.append(String.format("\\x%02x", b & 0xff));
                }
            } else {
                out.append(ch);
            }
        }
    }

    private static String cell(String[] row, int c) {
        String s = row[c];
        return s == null ? "" : s;
    }

    private static void pad(StringBuilder out, int n) {
        for (int i = 0; i < n; i++) {
            out.append(' ');
        }
    }
}
