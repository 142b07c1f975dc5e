package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("connection admission: a cap on all connections and one per source address, taken and given back exactly")
class ConnectionAdmissionTest {
    static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    @Test
    void one_address_gets_at_most_its_share_and_others_still_get_in() throws Exception {
        ConnectionAdmission a = new ConnectionAdmission(10, 3);
        List<ConnectionAdmission.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tickets.add(a.admit(address(1)).ticket());
        }
        ConnectionAdmission.Decision fourth = a.admit(address(1));
        assertThat(fourth.admitted()).isFalse();
        assertThat(fourth.refusal()).isEqualTo(ConnectionAdmission.Refusal.PER_ADDRESS);
        assertThat(a.admit(address(2)).admitted()).isTrue();
        assertThat(a.connections()).isEqualTo(4);
        assertThat(a.connectionsFrom(address(1))).isEqualTo(3);

        tickets.getFirst().release();
        tickets.getFirst().release(); // once only
        assertThat(a.connectionsFrom(address(1))).isEqualTo(2);
        assertThat(a.connections()).isEqualTo(3);
        assertThat(a.admit(address(1)).admitted()).isTrue();
    }

    @Test
    void the_total_cap_holds_across_addresses() throws Exception {
        ConnectionAdmission a = new ConnectionAdmission(4, 4);
        for (int i = 1; i <= 4; i++) {
            assertThat(a.admit(address(i)).admitted()).isTrue();
        }
        ConnectionAdmission.Decision fifth = a.admit(address(9));
        assertThat(fifth.refusal()).isEqualTo(ConnectionAdmission.Refusal.TOTAL);
        assertThat(a.connectionsFrom(address(9))).as("a refusal leaves no count behind").isZero();
        assertThat(a.connections()).isEqualTo(4);
    }

    @Test
    void racing_admits_and_releases_never_pass_the_caps_and_end_at_zero() throws Exception {
        ConnectionAdmission a = new ConnectionAdmission(50, 20);
        int threads = 8;
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    InetAddress source = address(1 + me % 3);
                    for (int i = 0; i < 20_000; i++) {
                        ConnectionAdmission.Decision d = a.admit(source);
                        if (a.connections() > 50 || a.connectionsFrom(source) > 20) {
                            failures.add(new AssertionError("over a cap: " + a.connections() + ", " + a.connectionsFrom(source)));
                        }
                        if (d.admitted()) {
                            d.ticket().release();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread t : all) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(a.connections()).isZero();
        for (int i = 1; i <= 3; i++) {
            assertThat(a.connectionsFrom(address(i))).isZero();
        }
    }
}
