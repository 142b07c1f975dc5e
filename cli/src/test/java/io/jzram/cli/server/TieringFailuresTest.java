package io.jzram.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramException.Reason;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the tiering worker's failures: a warning once per device and reason, then debug lines")
class TieringFailuresTest {

    @Test
    void warns_once_per_device_and_reason() {
        TieringFailures f = new TieringFailures();
        assertThat(f.isFirst("zram0", Reason.NO_SPACE_LEFT)).isTrue();
        assertThat(f.isFirst("zram0", Reason.NO_SPACE_LEFT)).isFalse();
        assertThat(f.isFirst("zram0", Reason.NO_SPACE_LEFT)).isFalse();
        assertThat(f.isFirst("zram0", Reason.IO_ERROR)).isTrue();
        assertThat(f.isFirst("zram1", Reason.NO_SPACE_LEFT)).isTrue();
        assertThat(f.isFirst("zram1", Reason.IO_ERROR)).isTrue();
        assertThat(f.isFirst("zram1", Reason.IO_ERROR)).isFalse();
    }
}
