package io.jzram.target.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An immutable access list: the rules a target applies to logins (like LIO's node ACLs with
 * {@code generate_node_acls=0}, or its demo mode when open).
 *
 * <ul>
 * <li>Normal sessions: when {@code restricted}, only the initiators listed may log in (others get
 * 02/02 AUTHORIZATION FAILURE), each with or without CHAP as its entry says; when not restricted,
 * any initiator may, without authentication, and the list must be empty (an entry that asked for
 * CHAP would protect nothing: the initiator name is not authenticated, so anyone could log in
 * under another name).
 * <li>Discovery sessions: the access list does not apply (SendTargets tells nothing an open port
 * scan would not); with {@code discovery} credentials every discovery login must do CHAP with them,
 * without, discovery is open to any initiator, as LIO's default.
 * <li>{@code algorithms}: the CHAP_A values accepted, for every CHAP login.
 * </ul>
 *
 * <p>Validation (here, where rules are built, so a running target only ever holds valid rules):
 * no initiator listed twice; each entry's secrets as {@link ChapCredentials} requires; and, across
 * the whole rule set, no secret that authenticates an initiator (anyone's, discovery's included) is
 * also one the target proves itself with (RFC 7143 §9.2.1). Messages name users and initiators,
 * never secrets.
 *
 * @param restricted whether only listed initiators may open normal sessions
 * @param initiators the access list
 * @param discovery CHAP for discovery sessions, or null for open discovery
 * @param algorithms accepted CHAP algorithms (default: all of {@link ChapAlgorithm})
 */
public record AccessRules(boolean restricted, List<InitiatorAccess> initiators, ChapCredentials discovery,
        Set<ChapAlgorithm> algorithms) implements AccessPolicy {

    public AccessRules {
        initiators = List.copyOf(initiators);
        if (algorithms == null || algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one CHAP algorithm must be accepted");
        }
        algorithms = Set.copyOf(EnumSet.copyOf(algorithms));
        if (!restricted && !initiators.isEmpty()) {
            throw new IllegalArgumentException("initiator entries need a restricted access list "
                    + "(an open target lets any name in, so an entry's CHAP would protect nothing)");
        }
        Map<String, InitiatorAccess> seen = new HashMap<>();
        for (InitiatorAccess e : initiators) {
            if (seen.putIfAbsent(e.key(), e) != null) {
                throw new IllegalArgumentException("initiator " + e.initiatorName() + " is listed twice");
            }
        }
        checkRoles(initiators, discovery);
    }

    /** RFC 7143 §9.2.1: a secret that authenticates an initiator must not authenticate a target. */
    private static void checkRoles(List<InitiatorAccess> initiators, ChapCredentials discovery) {
        record Use(String where, ChapCredential credential) {}
        List<Use> initiatorSide = new ArrayList<>();
        List<Use> targetSide = new ArrayList<>();
        for (InitiatorAccess e : initiators) {
            if (e.chap() != null) {
                initiatorSide.add(new Use("initiator " + e.initiatorName(), e.chap().initiator()));
                if (e.chap().target() != null) {
                    targetSide.add(new Use("initiator " + e.initiatorName(), e.chap().target()));
                }
            }
        }
        if (discovery != null) {
            initiatorSide.add(new Use("discovery", discovery.initiator()));
            if (discovery.target() != null) {
                targetSide.add(new Use("discovery", discovery.target()));
            }
        }
        for (Use t : targetSide) {
            for (Use i : initiatorSide) {
                if (t.credential().secret().sameAs(i.credential().secret())) {
                    throw new IllegalArgumentException("the mutual CHAP secret of " + t.where() + " (user "
                            + t.credential().user() + ") is also the initiator CHAP secret of " + i.where()
                            + " (user " + i.credential().user() + "); a secret may serve one role only (RFC 7143 §9.2.1)");
                }
            }
        }
    }

    /** Anyone, no authentication, open discovery: what a target without configuration does. */
    public static AccessRules open() {
        return new AccessRules(false, List.of(), null, EnumSet.allOf(ChapAlgorithm.class));
    }

    /** Only these initiators (none when empty), open discovery, every CHAP algorithm. */
    public static AccessRules restrictedTo(List<InitiatorAccess> initiators) {
        return new AccessRules(true, initiators, null, EnumSet.allOf(ChapAlgorithm.class));
    }

    public AccessRules withDiscovery(ChapCredentials v) {
        return new AccessRules(restricted, initiators, v, algorithms);
    }

    public AccessRules withAlgorithms(Set<ChapAlgorithm> v) {
        return new AccessRules(restricted, initiators, discovery, v);
    }

    /** The entry of an initiator (case-insensitive), or null. */
    public InitiatorAccess find(String initiatorName) {
        String k = initiatorName.toLowerCase(Locale.ROOT);
        for (InitiatorAccess e : initiators) {
            if (e.key().equals(k)) {
                return e;
            }
        }
        return null;
    }

    /** One target per server: every target name we accept logins for gets the same rules. */
    @Override
    public AccessDecision normalSession(String initiatorName, String targetName) {
        if (!restricted) {
            return new AccessDecision.Open();
        }
        InitiatorAccess e = find(initiatorName);
        if (e == null) {
            return new AccessDecision.Denied("initiator not on the access list");
        }
        return e.chap() == null ? new AccessDecision.Open() : new AccessDecision.Chap(e.chap(), algorithms);
    }

    @Override
    public AccessDecision discoverySession(String initiatorName) {
        return discovery == null ? new AccessDecision.Open() : new AccessDecision.Chap(discovery, algorithms);
    }
}
