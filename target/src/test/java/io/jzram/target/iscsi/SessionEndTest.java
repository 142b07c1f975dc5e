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
}
