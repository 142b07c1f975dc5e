package io.jzram.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.config.Portals;
import io.jzram.target.iscsi.IscsiServerSettings;
import org.junit.jupiter.api.Test;

/** config names iSCSI's port itself (it depends on core only); the server and the file must agree on it. */
class DefaultPortTest {
    @Test
    void a_portal_without_a_port_means_the_port_the_target_listens_on_by_default() {
        assertThat(Portals.DEFAULT_PORT).isEqualTo(IscsiServerSettings.DEFAULT_PORT);
        assertThat(Portals.parse("127.0.0.1", true).getPort()).isEqualTo(IscsiServerSettings.defaults().listen().getPort());
    }
}
