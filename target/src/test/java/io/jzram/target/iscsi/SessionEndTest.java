package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.target.iscsi.testinit.TestInitiator;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("IscsiServer.endSessions: the sessions of initiators an access list no longer allows end at once, the others go on")
@Timeout(60)
class SessionEndTest {
    static final String WEB = "iqn.1993-08.org.debian:01:web";
    static final String DB = "iqn.1993-08.org.debian:01:db";

    TestInitiator login(ServerFixture f, String name, boolean discovery) throws Exception {
        TestInitiator.LoginOptions o = discovery ? new TestInitiator.LoginOptions() : f.normal();
        o.initiatorName = name;
        o.discovery = discovery;
        return f.login(o);
    }

    @Test
    void only_the_picked_initiators_normal_sessions_end() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            TestInitiator web = login(f, WEB, false);
            TestInitiator webDiscovery = login(f, WEB, true);
            TestInitiator db = login(f, DB, false);
            assertThat(f.server.sessions()).hasSize(3);

            assertThat(f.server.endSessions(WEB::equals)).isEqualTo(1);

            ConnectionLimitsTest.waitFor(() -> f.server.sessions().size() == 2);
            assertThat(f.server.sessions()).extracting(SessionInfo::initiatorName).containsExactlyInAnyOrder(WEB, DB);
            assertThat(f.server.sessions()).filteredOn(SessionInfo::discovery).extracting(SessionInfo::initiatorName)
                    .containsExactly(WEB);
            assertThatThrownBy(() -> web.nopOut(new byte[0], true)).isInstanceOf(IOException.class);
            assertThat(db.nopOut(new byte[0], true)).isNotNull();
            web.close();
            webDiscovery.close();
            db.close();
        }
    }

    @Test
    void a_login_that_began_under_a_list_that_has_since_dropped_its_initiator_is_refused_02_02_and_leaves_no_session() throws Exception {
        // Allows the first question (the login's identification), refuses every later one: the
        // list changed while the login ran, after the server's endSessions could see it.
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        io.jzram.target.auth.AccessPolicy changing = new io.jzram.target.auth.AccessPolicy() {
            @Override
            public io.jzram.target.auth.AccessDecision normalSession(String initiatorName, String targetName) {
                return asked.incrementAndGet() == 1 ? new io.jzram.target.auth.AccessDecision.Open()
                        : new io.jzram.target.auth.AccessDecision.Denied("removed");
            }

            @Override
            public io.jzram.target.auth.AccessDecision discoverySession(String initiatorName) {
                return new io.jzram.target.auth.AccessDecision.Open();
            }
        };
        try (ServerFixture f = new ServerFixture(changing)) {
            assertThatThrownBy(() -> login(f, WEB, false)).isInstanceOfSatisfying(TestInitiator.LoginFailed.class, e -> {
                assertThat(e.statusClass).isEqualTo(2);
                assertThat(e.statusDetail).isEqualTo(2);
            });
            ConnectionLimitsTest.waitFor(() -> f.server.sessions().isEmpty());
            assertThat(asked.get()).isGreaterThanOrEqualTo(2);
        }
    }
}
