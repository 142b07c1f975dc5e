package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.target.iscsi.SessionInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram sessions lists the logged-in sessions")
class SessionsCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void nothing_without_sessions() {
        assertThat(h.run("sessions")).isEqualTo(new Harness.Result(0, "", ""));
    }

    @Test
    void one_line_per_session_sorted_by_tsih() throws Exception {
        h.sessions.add(new SessionInfo("iqn.2004-10.com.ubuntu:01:abc", "00023d000002", 2,
                new InetSocketAddress(InetAddress.getByName("::1"), 40001), Instant.parse("2026-11-27T10:15:30.123Z"),
                false, 1_500_000, 4096, 42, 0, "CHAP/SHA-256 mutual"));
        h.sessions.add(new SessionInfo("iqn.1994-05.com.redhat:x", "400001370000", 1,
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 51234), Instant.parse("2026-11-27T10:15:00Z"),
                true, 300, 600, 0, 0));
        assertThat(h.ok("sessions")).isEqualTo("""
                TSIH TYPE      INITIATOR                     ISID         ADDRESS         SINCE                   IN   OUT COMMANDS AUTH                ACL
                   1 discovery iqn.1994-05.com.redhat:x      400001370000 127.0.0.1:51234 2026-11-27T10:15:00Z  300B  600B        0 None                discovery
                   2 normal    iqn.2004-10.com.ubuntu:01:abc 00023d000002 [::1]:40001     2026-11-27T10:15:30Z  1.4M    4K       42 CHAP/SHA-256 mutual open
                """);
        assertThat(h.ok("sessions", "--raw", "-n", "-b")).isEqualTo("""
                1 discovery iqn.1994-05.com.redhat:x 400001370000 127.0.0.1:51234 2026-11-27T10:15:00Z 300 600 0 None discovery
                2 normal iqn.2004-10.com.ubuntu:01:abc 00023d000002 [::1]:40001 2026-11-27T10:15:30Z 1500000 4096 42 CHAP/SHA-256\\x20mutual open
                """);
    }
}
