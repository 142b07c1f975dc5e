package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("sizes in files: zramctl's syntax, refusals in words, an exact form that reads back")
class SizesTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "4Q|unknown unit (use K, M, G, T, or KiB…)",
        "4GiBs|unknown unit (use K, M, G, T, or KiB…)",
        "512B|unknown unit (use K, M, G, T, or KiB…; a plain number is bytes)",
        "1.5|a fraction needs a unit (1.5G, not 1.5)",
        "4 G|no blanks allowed inside a size (4G, not 4 G)",
        "'4G '|no blanks allowed around a size",
        "G|not a size (use a number of bytes or a number with a unit: 4G, 512M, 1.5G)",
        "1.2.3|not a size (use a number of bytes or a number with a unit: 4G, 512M, 1.5G)",
        "-1G|must not be negative",
        "''|empty (use a number of bytes or a number with a unit: 4G, 512M, 1.5G)",
        "20E|out of range (at most 8E)",
        "9E|out of range (at most 8E)",
    })
    void refusals_say_why(String text, String reason) {
        assertThatThrownBy(() -> Sizes.parse(text)).isInstanceOf(Sizes.SizeException.class).hasMessage(reason);
    }

    @ParameterizedTest(name = "{0} bytes = {1}")
    @CsvSource(delimiter = '|', value = {
        "0|0", "4096|4K", "1073741824|1G", "1610612736|1536M", "4294967296|4G", "8796093018112|8589934588K",
        "1152921504606846976|1E", "1000|1000",
    })
    void the_exact_form_reads_back(long bytes, String text) throws Exception {
        assertThat(Sizes.format(bytes)).isEqualTo(text);
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @Test
    void rounding_to_pages_never_overflows() {
        assertThat(Sizes.roundUp(1, 4096)).isEqualTo(4096);
        assertThat(Sizes.roundUp(8192, 4096)).isEqualTo(8192);
        assertThat(Sizes.roundUp(Long.MAX_VALUE, 4096)).isEqualTo(Long.MAX_VALUE - 4095);
    }
}
