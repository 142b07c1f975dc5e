package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.target.iscsi.testinit.TestInitiator;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("connection limits: connections past the caps are closed at accept; a login frees nothing until it ends")
@Timeout(60)
class ConnectionLimitsTest {

    /** Whether the server closed the socket (end of stream) within a second; false while it stays open. */
    static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(1000);
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    static Socket connect(InetSocketAddress server, String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(server, 2000);
        return s;
    }

    @Test
    void one_address_past_its_cap_is_closed_while_another_address_still_gets_in() throws Exception {
        try (ServerFixture f = new ServerFixture(s -> s.withConnectionLimits(4, 2))) {
            List<Socket> open = new ArrayList<>();
            open.add(connect(f.address(), "127.0.0.1"));
            open.add(connect(f.address(), "127.0.0.1"));
            Socket third = connect(f.address(), "127.0.0.1");
            assertThat(closedByServer(third)).as("third from 127.0.0.1").isTrue();
            Socket other = connect(f.address(), "127.0.0.2");
            assertThat(closedByServer(other)).as("first from 127.0.0.2").isFalse();
            for (Socket s : open) {
                assertThat(closedByServer(s)).isFalse();
            }

            open.getFirst().close();
            waitFor(() -> f.server.openConnections() == 2);
            Socket again = connect(f.address(), "127.0.0.1");
            assertThat(closedByServer(again)).as("a place freed by a close is taken again").isFalse();
            again.close();
            other.close();
            third.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void the_total_cap_holds_across_addresses_and_a_logged_in_session_counts_too() throws Exception {
        try (ServerFixture f = new ServerFixture(s -> s.withConnectionLimits(2, 2))) {
            TestInitiator session = f.login();
            Socket idle = connect(f.address(), "127.0.0.3");
            Socket past = connect(f.address(), "127.0.0.4");
            assertThat(closedByServer(idle)).isFalse();
            assertThat(closedByServer(past)).as("a third connection, whatever its address").isTrue();
            session.close();
            idle.close();
            past.close();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(10);
        }
    }
}
