package io.jzram.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Table prints like libsmartcols on a pipe")
class TableTest {
    private static final List<Table.Column> COLUMNS = List.of(
            new Table.Column("NAME", 0.25, false),
            new Table.Column("SIZE", 5, true),
            new Table.Column("WHERE", 0.1, false));

    @Test
    void pads_every_column_but_the_last_and_right_aligns_numbers_and_their_headers() {
        Table t = new Table(COLUMNS).addRow("a", "1.5G", "/mnt").addRow("longer", "0B", "x");
        assertThat(t.render()).isEqualTo("""
                NAME   SIZE WHERE
                a      1.5G /mnt
                longer   0B x
                """);
    }

    @Test
    void an_empty_last_cell_leaves_the_separator_at_the_end_of_the_line() {
        Table t = new Table(COLUMNS).addRow("a", "1K", null);
        assertThat(t.render()).isEqualTo("NAME SIZE WHERE\na      1K \n");
    }

    @Test
    void without_headings_a_narrow_column_widens_to_its_absolute_width_hint() {
        Table t = new Table(COLUMNS).noHeadings(true).addRow("a", "10", "x");
        assertThat(t.render()).isEqualTo("a    10 x\n");
        // a cell of one character stays one wide (libsmartcols: widths <= the minimum of 1 are not hinted)
        assertThat(new Table(COLUMNS).noHeadings(true).addRow("a", "1", "x").render()).isEqualTo("a 1 x\n");
    }

    @Test
    void an_empty_table_prints_nothing_not_even_the_header() {
        assertThat(new Table(COLUMNS).render()).isEmpty();
    }

    @Test
    void raw_output_has_no_padding_and_encodes_blanks_and_backslashes() {
        Table t = new Table(COLUMNS).raw(true).addRow("a b", null, "c\\d").addRow("é", "1", "\t");
        assertThat(t.render()).isEqualTo("NAME SIZE WHERE\na\\x20b  c\\x5cd\n\\xc3\\xa9 1 \\x09\n");
    }

    @Test
    void raw_output_without_headings() {
        assertThat(new Table(COLUMNS).raw(true).noHeadings(true).addRow("a", "1", "b").render()).isEqualTo("a 1 b\n");
    }
}
