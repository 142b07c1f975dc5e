package io.jzram.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("SizeParser reads sizes as util-linux's strtosize")
class SizeParserTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        // util-linux's tests/expected/misc/strtosize
        "0|0", "1|1", "123|123", "18446744073709551615|18446744073709551615",
        "1K|1024", "1KiB|1024", "1M|1048576", "1MiB|1048576", "1G|1073741824", "1GiB|1073741824",
        "1T|1099511627776", "1TiB|1099511627776", "1P|1125899906842624", "1PiB|1125899906842624",
        "1E|1152921504606846976", "1EiB|1152921504606846976",
        "1KB|1000", "1MB|1000000", "1GB|1000000000", "1TB|1000000000000", "1PB|1000000000000000",
        "1EB|1000000000000000000",
        "' 1'|1", "0x0a|10", "0xff00|65280", "0x80000000|2147483648",
        // more of the same rules
        "512|512", "4G|4294967296", "1.5G|1610612736", "0.5MiB|524288", "0.5MB|500000", "2.25K|2304",
        "0x1000|4096", "0x10K|16384", "010|8", "+5|5", "1g|1073741824", "1kib|1024", "1Kb|1000", "1KiB|1024",
        "1.G|1073741824", "1.05K|1075", "0Z|0", "16E|0",
    })
    void accepts(String text, String bytes) throws Exception {
        long expected = Long.parseUnsignedLong(bytes);
        if (text.equals("16E")) {
            assertThatThrownBy(() -> SizeParser.parse(text)).isInstanceOf(SizeParser.SizeFormatException.class);
            return;
        }
        assertThat(Long.toUnsignedString(SizeParser.parse(text))).isEqualTo(Long.toUnsignedString(expected));
    }

    @ParameterizedTest(name = "refuses \"{0}\"")
    @ValueSource(strings = {"", " ", "1 ", "-1", " -1", "4Q", "1.2.3", "G", "1.5", "1.", "512B", "1iB", "1GG", "1Gi",
        "08", "09G", "0x", "0xG", "1e5", "abc", "1 G", "1.x G", "1,5G"})
    void refuses(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text))
                .isInstanceOf(SizeParser.SizeFormatException.class)
                .hasMessage("'" + text + "': Invalid argument");
    }

    @ParameterizedTest(name = "\"{0}\" is out of range")
    @ValueSource(strings = {"18446744073709551616", "16E", "16384P", "1Z", "1Y", "99999999999999999999999G"})
    void refusesWhatDoesNotFitIn64Bits(String text) {
        assertThatThrownBy(() -> SizeParser.parse(text))
                .isInstanceOf(SizeParser.SizeFormatException.class)
                .hasMessage("'" + text + "': Numerical result out of range")
                .extracting(e -> ((SizeParser.SizeFormatException) e).error())
                .isEqualTo(SizeParser.Error.RANGE);
    }

    @Test
    @DisplayName("computes fractions exactly, where util-linux divides digit by digit")
    void exactFractions() throws Exception {
        assertThat(SizeParser.parse("0.3K")).isEqualTo(307); // util-linux: 341
        assertThat(SizeParser.parse("1.10G")).isEqualTo(1181116006L); // util-linux: 2 GiB
        assertThat(SizeParser.parse("1.0.5G")).isEqualTo((1L << 30) + (1L << 30) / 20); // accepted, as by util-linux
    }
}
