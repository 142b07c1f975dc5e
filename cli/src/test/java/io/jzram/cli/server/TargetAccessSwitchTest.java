package io.jzram.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.config.AccessConfig;
import io.jzram.config.ChapCredentials;
import io.jzram.config.InitiatorConfig;
import io.jzram.config.Secret;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import io.jzram.target.auth.AccessControl;
import io.jzram.target.auth.AccessDecision;
import io.jzram.target.auth.AccessRules;
import io.jzram.target.scsi.LunMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the access list put in force: login rules, LUN masking, and the sessions it no longer allows end")
class TargetAccessSwitchTest {
    static final String WEB = "iqn.1993-08.org.debian:01:web";
    static final String DB = "iqn.1993-08.org.debian:01:db";

    final ZramRegistry registry = new ZramRegistry();
    final LunMap luns = new LunMap(registry);
    final AccessControl control = new AccessControl(AccessRules.open());
    final List<Predicate<String>> ended = new ArrayList<>();
    final TargetAccessSwitch access = new TargetAccessSwitch(control, luns, p -> {
        ended.add(p);
        return 0;
    });

    @AfterEach
    void close() {
        luns.close();
    }

    static AccessConfig list(InitiatorConfig... entries) {
        return new AccessConfig(List.of(entries), null);
    }

    @Test
    void a_list_restricts_logins_masks_luns_and_ends_the_sessions_of_those_it_leaves_out() throws Exception {
        AccessConfig two = list(
                new InitiatorConfig(WEB, new ChapCredentials("web", Secret.of("web-secret-value"), null, null), List.of(0, 2), null),
                new InitiatorConfig(DB, null, null, null));
        access.setAccess(two);

        assertThat(access.access()).isEqualTo(two);
        assertThat(control.normalSession(WEB, null)).isInstanceOf(AccessDecision.Chap.class);
        assertThat(control.normalSession(DB, null)).isInstanceOf(AccessDecision.Open.class);
        assertThat(control.normalSession("iqn.1993-08.org.debian:01:eve", null)).isInstanceOf(AccessDecision.Denied.class);
        assertThat(luns.visibility().visible(WEB, 1)).isFalse();
        assertThat(luns.visibility().visible(WEB.toUpperCase(), 2)).as("names compare without case").isTrue();
        assertThat(luns.visibility().visible(DB, 1)).isTrue();
        assertThat(ended.getLast().test("iqn.1993-08.org.debian:01:eve")).isTrue();
        assertThat(ended.getLast().test(WEB)).isFalse();

        access.setAccess(list(new InitiatorConfig(DB, null, null, null)));
        assertThat(ended.getLast().test(WEB)).as("web was removed: its sessions end").isTrue();
        assertThat(luns.visibility().visible(WEB, 1)).isTrue();
    }

    @Test
    void a_list_the_target_refuses_changes_nothing_and_names_no_secret() throws Exception {
        AccessConfig good = list(new InitiatorConfig(DB, null, null, null));
        access.setAccess(good);
        Secret shared = Secret.of("shared-secret-value");
        AccessConfig bad = list(
                new InitiatorConfig(WEB, new ChapCredentials("web", shared, null, null), null, null),
                new InitiatorConfig(DB, new ChapCredentials("db", Secret.of("db-secret-value1"), "jzram", shared), null, null));
        int endings = ended.size();
        assertThatThrownBy(() -> access.setAccess(bad)).isInstanceOfSatisfying(ZramException.class, e -> {
            assertThat(e.reason()).isEqualTo(ZramException.Reason.INVALID_ARGUMENT);
            assertThat(e.getMessage()).startsWith("access list refused: ").doesNotContain("shared-secret-value");
        });
        assertThat(access.access()).isEqualTo(good);
        assertThat(control.normalSession(WEB, null)).isInstanceOf(AccessDecision.Denied.class);
        assertThat(ended).hasSize(endings);
    }

    @Test
    void the_open_list_lets_anyone_in_and_masks_nothing() throws Exception {
        access.setAccess(list(new InitiatorConfig(WEB, null, List.of(), null)));
        assertThat(luns.visibility().visible(WEB, 0)).isFalse();
        access.setAccess(AccessConfig.OPEN);
        assertThat(control.normalSession("iqn.1993-08.org.debian:01:anyone", null)).isInstanceOf(AccessDecision.Open.class);
        assertThat(luns.visibility().visible(WEB, 0)).isTrue();
    }
}
