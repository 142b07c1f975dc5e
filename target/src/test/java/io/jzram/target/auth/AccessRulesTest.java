package io.jzram.target.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AccessRulesTest {
    private static final String A = "iqn.2026-11.io.jzram.test:a";
    private static final String B = "iqn.2026-11.io.jzram.test:b";
    private static final String T = "iqn.2026-11.io.jzram:t";
    private static final String SA = "secret-of-a-1234";
    private static final String SB = "secret-of-b-5678";
    private static final String ST = "secret-of-target-90";

    @Test
    void openRulesLetEveryoneInWithoutAuthentication() {
        AccessRules open = AccessRules.open();
        assertThat(open.normalSession(A, T)).isEqualTo(new AccessDecision.Open());
        assertThat(open.discoverySession(A)).isEqualTo(new AccessDecision.Open());
        assertThat(AccessPolicy.OPEN.normalSession("iqn.anyone:x", T)).isInstanceOf(AccessDecision.Open.class);
    }

    @Test
    void restrictedRulesDecidePerInitiator() {
        AccessRules r = AccessRules.restrictedTo(List.of(
                InitiatorAccess.chap(A, ChapCredentials.mutual("alice", SA, "target", ST)),
                InitiatorAccess.open(B).withDevices(List.of(0, 3))));
        AccessDecision a = r.normalSession(A, T);
        assertThat(a).isInstanceOfSatisfying(AccessDecision.Chap.class, c -> {
            assertThat(c.credentials().initiator().user()).isEqualTo("alice");
            assertThat(c.credentials().mutual()).isTrue();
            assertThat(c.algorithms()).containsExactlyInAnyOrder(ChapAlgorithm.values());
        });
        assertThat(r.normalSession(A.toUpperCase(java.util.Locale.ROOT), T)).isInstanceOf(AccessDecision.Chap.class);
        assertThat(r.normalSession(B, T)).isInstanceOf(AccessDecision.Open.class);
        assertThat(r.find(B).devices()).containsExactly(0, 3);
        assertThat(r.find(A).devices()).isNull();
        assertThat(r.normalSession("iqn.2026-11.io.jzram.test:c", T))
                .isEqualTo(new AccessDecision.Denied("initiator not on the access list"));
        assertThat(AccessRules.restrictedTo(List.of()).normalSession(A, T)).isInstanceOf(AccessDecision.Denied.class);
        // the access list does not apply to discovery, which is open unless it has its own CHAP
        assertThat(r.discoverySession("iqn.2026-11.io.jzram.test:c")).isInstanceOf(AccessDecision.Open.class);
        AccessRules d = r.withDiscovery(ChapCredentials.oneWay("disco", "discovery-secret-1"))
                .withAlgorithms(EnumSet.of(ChapAlgorithm.SHA256));
        assertThat(d.discoverySession("iqn.2026-11.io.jzram.test:c")).isInstanceOfSatisfying(AccessDecision.Chap.class,
                c -> {
                    assertThat(c.credentials().initiator().user()).isEqualTo("disco");
                    assertThat(c.algorithms()).containsExactly(ChapAlgorithm.SHA256);
                });
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> new AccessRules(false, List.of(InitiatorAccess.open(A)), null,
                EnumSet.allOf(ChapAlgorithm.class))).hasMessageContaining("restricted");
        assertThatThrownBy(() -> AccessRules.restrictedTo(List.of(InitiatorAccess.open(A),
                InitiatorAccess.open(A.toUpperCase(java.util.Locale.ROOT))))).hasMessageContaining("twice");
        assertThatThrownBy(() -> AccessRules.open().withAlgorithms(Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InitiatorAccess.open("not-an-iqn")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InitiatorAccess.open("iqn.has space:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InitiatorAccess.open("iqn." + "x".repeat(220))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InitiatorAccess.chap(A, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChapCredential.of("", SA)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChapCredential.of("u".repeat(256), SA)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChapCredential("u", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretsServeOneRoleAndAreNeverInMessages() {
        // the mutual secret equal to the initiator's, in one entry
        assertThatThrownBy(() -> ChapCredentials.mutual("alice", SA, "target", SA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ")
                .hasMessageNotContaining(SA);
        // across entries: B's initiator secret is A's mutual (target) secret
        assertThatThrownBy(() -> AccessRules.restrictedTo(List.of(
                InitiatorAccess.chap(A, ChapCredentials.mutual("alice", SA, "target", ST)),
                InitiatorAccess.chap(B, ChapCredentials.oneWay("bob", ST)))))
                .hasMessageContaining("one role").hasMessageNotContaining(ST);
        // discovery's initiator secret used as a target secret
        assertThatThrownBy(() -> AccessRules.restrictedTo(List.of(
                InitiatorAccess.chap(A, ChapCredentials.mutual("alice", SA, "target", ST))))
                .withDiscovery(ChapCredentials.oneWay("disco", ST))).hasMessageNotContaining(ST);
        // the same target secret for every initiator, and the same initiator secret twice, are fine
        AccessRules ok = AccessRules.restrictedTo(List.of(
                InitiatorAccess.chap(A, ChapCredentials.mutual("alice", SA, "target", ST)),
                InitiatorAccess.chap(B, ChapCredentials.mutual("bob", SA, "target", ST))));
        String shown = ok.toString() + ok.find(A) + ok.find(A).chap() + new AccessControl(ok);
        assertThat(shown).contains("alice", "bob", A).doesNotContain(SA).doesNotContain(ST);
        // too short: the message says the rule, not the value
        assertThatThrownBy(() -> ChapCredentials.oneWay("carol", "short-11b!!")).hasMessageContaining("12 to 255")
                .hasMessageNotContaining("short-11b!!");
    }

    @Test
    void accessControlSwapsRulesAtomically() {
        AccessControl ac = new AccessControl(AccessRules.open());
        assertThat(ac.normalSession(A, T)).isInstanceOf(AccessDecision.Open.class);
        AccessRules restricted = AccessRules.restrictedTo(List.of(InitiatorAccess.open(B)));
        assertThat(ac.replace(restricted)).isEqualTo(AccessRules.open());
        assertThat(ac.rules()).isSameAs(restricted);
        assertThat(ac.normalSession(A, T)).isInstanceOf(AccessDecision.Denied.class);
        assertThat(ac.normalSession(B, T)).isInstanceOf(AccessDecision.Open.class);
        assertThatThrownBy(() -> ac.replace(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
