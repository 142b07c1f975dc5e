package io.jzram.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.MmStat;
import io.jzram.core.TierStat;
import io.jzram.core.TierStat.AlgorithmPages;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("zramctl's columns and table (golden output)")
class ZramctlColumnTest {

    /** zramctl(8)'s example device, and a fresh one. */
    static final List<ZramctlColumn.DeviceRow> ROWS = List.of(
            new ZramctlColumn.DeviceRow("/dev/zram0", 8246337208L, "lz4", 8,
                    new MmStat(1153434, 77210, 606208, 0, 610304, 12, 3, 0, 0), 0,
                    new TierStat(List.of(new AlgorithmPages(0, "lz4", 200), new AlgorithmPages(1, "zstd", 60)), 0, 12, 0)),
            new ZramctlColumn.DeviceRow("/dev/zram1", 1L << 30, "zstd", 2, MmStat.ZERO, 1, TierStat.EMPTY));

    static String render(List<ZramctlColumn> columns, boolean bytes, boolean raw, boolean noHeadings) {
        return ZramctlColumn.table(columns, ROWS, bytes).raw(raw).noHeadings(noHeadings).render();
    }

    @Nested
    @DisplayName("golden tables")
    class Golden {
        @Test
        void default_columns() {
            assertThat(render(ZramctlColumn.DEFAULTS, false, false, false)).isEqualTo("""
                    NAME       ALGORITHM DISKSIZE DATA COMPR TOTAL STREAMS LUN
                    /dev/zram0 lz4           7.7G 1.1M 75.4K  592K       8   0
                    /dev/zram1 zstd            1G   0B    0B    0B       2   1
                    """);
        }

        @Test
        void raw() {
            assertThat(render(ZramctlColumn.DEFAULTS, false, true, false)).isEqualTo("""
                    NAME ALGORITHM DISKSIZE DATA COMPR TOTAL STREAMS LUN
                    /dev/zram0 lz4 7.7G 1.1M 75.4K 592K 8 0
                    /dev/zram1 zstd 1G 0B 0B 0B 2 1
                    """);
        }

        @Test
        void bytes() {
            assertThat(render(ZramctlColumn.DEFAULTS, true, false, false)).isEqualTo("""
                    NAME       ALGORITHM   DISKSIZE    DATA COMPR  TOTAL STREAMS LUN
                    /dev/zram0 lz4       8246337208 1153434 77210 606208       8   0
                    /dev/zram1 zstd      1073741824       0     0      0       2   1
                    """);
        }

        @Test
        void noheadings() {
            assertThat(render(ZramctlColumn.DEFAULTS, false, false, true)).isEqualTo("""
                    /dev/zram0 lz4   7.7G  1.1M 75.4K  592K 8 0
                    /dev/zram1 zstd    1G    0B    0B    0B 2 1
                    """);
        }

        @Test
        void raw_bytes_noheadings() {
            assertThat(render(ZramctlColumn.DEFAULTS, true, true, true)).isEqualTo("""
                    /dev/zram0 lz4 8246337208 1153434 77210 606208 8 0
                    /dev/zram1 zstd 1073741824 0 0 0 2 1
                    """);
        }

        @Test
        void output_all() {
            assertThat(render(Arrays.asList(ZramctlColumn.values()), false, false, false)).isEqualTo("""
                    NAME       DISKSIZE DATA COMPR ALGORITHM STREAMS ZERO-PAGES TOTAL MEM-LIMIT MEM-USED MIGRATED COMP-RATIO LUN TIERS
                    /dev/zram0     7.7G 1.1M 75.4K lz4             8         12  592K        0B     596K        3     1.9027   0 lz4:800K zstd:240K same:48K
                    /dev/zram1       1G   0B    0B zstd            2          0    0B        0B       0B        0              1\s
                    """);
        }

        @Test
        void output_list_replaces_the_default_columns() throws Exception {
            List<ZramctlColumn> columns = ZramctlColumn.apply(ZramctlColumn.DEFAULTS, "name,comp-ratio,MOUNTPOINT");
            assertThat(render(columns, false, false, false)).isEqualTo("""
                    NAME       COMP-RATIO LUN
                    /dev/zram0     1.9027   0
                    /dev/zram1              1
                    """);
        }

        @Test
        void output_list_with_plus_appends_to_the_default_columns() throws Exception {
            List<ZramctlColumn> columns = ZramctlColumn.apply(ZramctlColumn.DEFAULTS, "+ZERO-PAGES,MEM-LIMIT");
            assertThat(render(columns, true, false, false)).isEqualTo("""
                    NAME       ALGORITHM   DISKSIZE    DATA COMPR  TOTAL STREAMS LUN ZERO-PAGES MEM-LIMIT
                    /dev/zram0 lz4       8246337208 1153434 77210 606208       8   0         12         0
                    /dev/zram1 zstd      1073741824       0     0      0       2   1          0         0
                    """);
        }
    }

    @Nested
    @DisplayName("-o lists")
    class Lists {
        @Test
        void names_are_case_insensitive_and_a_trailing_comma_is_allowed() throws Exception {
            assertThat(ZramctlColumn.apply(List.of(), "name,Data,")).containsExactly(ZramctlColumn.NAME, ZramctlColumn.DATA);
        }

        @Test
        void plus_appends_to_output_all() throws Exception {
            assertThat(ZramctlColumn.apply(Arrays.asList(ZramctlColumn.values()), "+NAME")).hasSize(ZramctlColumn.values().length + 1);
        }

        @Test
        void unknown_and_empty_names_are_refused_with_zramctls_message() {
            assertThatThrownBy(() -> ZramctlColumn.apply(List.of(), "NAME,FOO"))
                    .isInstanceOf(ZramctlColumn.UnknownColumnException.class).hasMessage("unknown column: FOO");
            assertThatThrownBy(() -> ZramctlColumn.apply(List.of(), "NAME,,DATA")).hasMessage("unknown column: ");
            assertThatThrownBy(() -> ZramctlColumn.apply(List.of(), "+")).hasMessage("unknown column: ");
        }
    }

    @Test
    void the_ratio_is_empty_when_nothing_is_allocated_and_migrated_is_a_count() {
        ZramctlColumn.DeviceRow sameFilled = new ZramctlColumn.DeviceRow("/dev/zram2", 4096, "lz4", 1,
                new MmStat(4096, 0, 0, 0, 0, 1, 7, 0, 0), null, null);
        assertThat(ZramctlColumn.COMP_RATIO.cell(sameFilled, false)).isNull();
        assertThat(ZramctlColumn.MIGRATED.cell(sameFilled, false)).isEqualTo("7");
        assertThat(ZramctlColumn.LUN.cell(sameFilled, false)).isNull();
    }

    @Test
    void tiers_are_the_nonzero_parts_primary_then_recompression_by_priority_then_huge_same_wb() {
        TierStat t = new TierStat(List.of(new AlgorithmPages(2, "deflate", 0), new AlgorithmPages(1, "zstd", 10240),
                new AlgorithmPages(0, "lz4", 30720)), 2048, 512, 76800);
        ZramctlColumn.DeviceRow row = new ZramctlColumn.DeviceRow("/dev/zram0", 1L << 30, "lz4", 1, MmStat.ZERO, 0, t);
        assertThat(ZramctlColumn.TIERS.cell(row, false)).isEqualTo("lz4:120M zstd:40M huge:8M same:2M wb:300M");
        assertThat(ZramctlColumn.TIERS.cell(row, true))
                .isEqualTo("lz4:125829120 zstd:41943040 huge:8388608 same:2097152 wb:314572800");
        TierStat sameOnly = new TierStat(List.of(new AlgorithmPages(0, "lz4", 0)), 0, 1, 0);
        assertThat(ZramctlColumn.TIERS.cell(new ZramctlColumn.DeviceRow("/dev/zram1", 4096, "lz4", 1, MmStat.ZERO, null, sameOnly), false))
                .isEqualTo("same:4K");
        assertThat(ZramctlColumn.TIERS.cell(ROWS.get(1), false)).isNull(); // stores nothing, or not set up
    }

    @Test
    void tiers_is_not_a_default_column_and_is_escaped_in_raw_output() throws Exception {
        assertThat(ZramctlColumn.DEFAULTS).doesNotContain(ZramctlColumn.TIERS);
        assertThat(ZramctlColumn.byName("tiers")).contains(ZramctlColumn.TIERS);
        assertThat(render(ZramctlColumn.apply(ZramctlColumn.DEFAULTS, "NAME,TIERS"), false, true, true))
                .isEqualTo("/dev/zram0 lz4:800K\\x20zstd:240K\\x20same:48K\n/dev/zram1 \n");
    }
}
