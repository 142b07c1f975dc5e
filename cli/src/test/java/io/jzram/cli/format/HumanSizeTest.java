package io.jzram.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("HumanSize prints sizes as util-linux's size_to_human_string(SIZE_SUFFIX_1LETTER)")
class HumanSizeTest {

    @ParameterizedTest(name = "{0} bytes = {1}")
    @CsvSource({
        // util-linux's tests/expected/misc/strtosize, third column
        "0, 0B", "1, 1B", "123, 123B", "18446744073709551615, 16E", "1024, 1K", "1048576, 1M", "1073741824, 1G",
        "1099511627776, 1T", "1125899906842624, 1P", "1152921504606846976, 1E", "1000, 1000B", "1000000, 976.6K",
        "1000000000, 953.7M", "1000000000000, 931.3G", "1000000000000000, 909.5T", "1000000000000000000, 888.2P",
        "10, 10B", "65280, 63.8K", "2147483648, 2G",
        // rounding
        "1023, 1023B", "1536, 1.5K", "1075, 1K", "1126, 1.1K", "1048575, 1024K", "8246337208, 7.7G", "606208, 592K",
        "77210, 75.4K", "1153434, 1.1M",
    })
    void formats(String bytes, String expected) {
        assertThat(HumanSize.format(Long.parseUnsignedLong(bytes))).isEqualTo(expected);
    }
}
