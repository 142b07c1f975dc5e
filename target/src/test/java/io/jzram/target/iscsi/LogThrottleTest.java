package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("log throttle: a burst per window passes, the rest is counted and said by the next that passes")
class LogThrottleTest {
    @Test
    void a_burst_passes_then_events_are_counted_until_the_window_ends() {
        AtomicLong now = new AtomicLong(1_000);
        LogThrottle t = new LogThrottle(3, 100, now::get);
        assertThat(t.admit()).isZero();
        assertThat(t.admit()).isZero();
        assertThat(t.admit()).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(t.admit()).isEqualTo(-1);
        }
        now.addAndGet(99);
        assertThat(t.admit()).as("still the same window").isEqualTo(-1);
        now.addAndGet(1);
        assertThat(t.admit()).as("the first of the next window says how many were not logged").isEqualTo(1001);
        assertThat(t.admit()).isZero();
        assertThat(LogThrottle.more(1001)).isEqualTo(" (1001 more like it not logged)");
        assertThat(LogThrottle.more(0)).isEmpty();
    }
}
