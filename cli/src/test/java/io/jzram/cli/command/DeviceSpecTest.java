package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("serve --device SIZE[:ALGORITHM]")
class DeviceSpecTest {

    @Test
    void size_in_zramctls_syntax_and_lz4_by_default() {
        assertThat(DeviceSpec.parse("1G")).isEqualTo(new DeviceSpec(1L << 30, "lz4"));
        assertThat(DeviceSpec.parse("256M:lz4")).isEqualTo(new DeviceSpec(256L << 20, "lz4"));
        assertThat(DeviceSpec.parse("1.5G:zstd")).isEqualTo(new DeviceSpec(3L << 29, "zstd"));
    }

    @Test
    void refuses_bad_sizes_and_algorithms() {
        assertThatThrownBy(() -> DeviceSpec.parse("G")).hasMessage("--device G: failed to parse size: 'G': Invalid argument");
        assertThatThrownBy(() -> DeviceSpec.parse("1G:")).hasMessageStartingWith("--device 1G:: unsupported algorithm ''");
        assertThatThrownBy(() -> DeviceSpec.parse("1G:lzo")).hasMessageStartingWith("--device 1G:lzo: unsupported algorithm 'lzo' (available: lz4, lz4hc");
    }
}
