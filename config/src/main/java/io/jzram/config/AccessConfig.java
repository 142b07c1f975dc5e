package io.jzram.config;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who may log in: the {@code [[initiator]]} entries (the access control list, with each
 * initiator's CHAP and LUN mask) and the {@code [discovery]} table (CHAP for SendTargets
 * discovery sessions). With no entries, any initiator may log in (the server refuses to listen
 * beyond loopback that way unless {@code allow_any_initiator}); with no discovery CHAP, discovery
 * is open to any initiator, as with LIO's defaults.
 *
 * @param initiators the entries, sorted by name, names unique
 * @param discovery CHAP for discovery sessions, or null
 */
public record AccessConfig(List<InitiatorConfig> initiators, ChapCredentials discovery) {
    /** No entries, open discovery. */
    public static final AccessConfig OPEN = new AccessConfig(List.of(), null);

    public AccessConfig {
        initiators = initiators.stream().sorted(Comparator.comparing(InitiatorConfig::key)).toList();
    }

    public boolean isOpen() {
        return initiators.isEmpty();
    }

    public Optional<InitiatorConfig> initiator(String name) {
        String key = InitiatorConfig.key(name);
        return initiators.stream().filter(i -> i.key().equals(key)).findFirst();
    }

    /**
     * The safe-by-default rule: an open list (no [[initiator]] entry) is allowed only while the
     * target listens on loopback addresses, unless the admin said {@code allow_any_initiator}.
     * True when this list on {@code listen} breaks it: the server refuses to start so, and a plan
     * that would leave it so is refused.
     */
    public boolean exposes(InetSocketAddress listen, boolean allowAnyInitiator) {
        return isOpen() && !allowAnyInitiator && listen != null
                && (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress());
    }

    /** The same entries without their places in a file. */
    public AccessConfig withoutPositions() {
        return new AccessConfig(initiators.stream().map(InitiatorConfig::withoutPosition).toList(), discovery);
    }
}
