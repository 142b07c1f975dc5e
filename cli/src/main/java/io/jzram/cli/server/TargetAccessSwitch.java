package io.jzram.cli.server;

import io.jzram.config.AccessConfig;
import io.jzram.config.AccessSwitch;
import io.jzram.config.InitiatorConfig;
import io.jzram.config.Secret;
import io.jzram.core.ZramException;
import io.jzram.core.concurrent.GuardedBy;
import io.jzram.target.auth.AccessControl;
import io.jzram.target.auth.AccessDecision;
import io.jzram.target.auth.AccessRules;
import io.jzram.target.auth.ChapCredential;
import io.jzram.target.auth.ChapCredentials;
import io.jzram.target.auth.ChapSecret;
import io.jzram.target.auth.InitiatorAccess;
import io.jzram.target.scsi.LunMap;
import io.jzram.target.scsi.LunVisibility;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may log in, from the configuration's words to the target's three places that act on it:
 * the login's {@link AccessControl} (who may log in, and with which CHAP), the {@link LunMap}'s
 * visibility rule (which devices each initiator sees), and the sessions already logged in (those
 * of initiators the new list no longer allows end at once).
 *
 * <p>{@link #setAccess} is one step, in an order that never lets anyone see more than either list
 * allows: the new login rules first (a login from then on follows them), then the LUN masking
 * (a session that loses a device loses its LUN now), then the sessions that lost their place end.
 * A list the target refuses (for example a secret serving two roles) changes nothing. The
 * configuration's form is kept as it was given, so that {@code save-config} writes back exactly
 * what {@code apply} or the access commands put in force (secret files as references).
 */
final class TargetAccessSwitch implements AccessSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(TargetAccessSwitch.class);

    private final AccessControl control;
    private final LunMap luns;
    /** Ends the sessions of the initiators the predicate picks (the iSCSI server's, or nothing before it exists). */
    private final SessionEnder sessions;

    @GuardedBy("this")
    private AccessConfig current = AccessConfig.OPEN;

    /** The iSCSI server's way of ending sessions; a seam for the server's start-up, when there is no server yet. */
    @FunctionalInterface
    interface SessionEnder {
        int endSessions(Predicate<String> initiatorName);
    }

    TargetAccessSwitch(AccessControl control, LunMap luns, SessionEnder sessions) {
        this.control = Objects.requireNonNull(control, "control");
        this.luns = Objects.requireNonNull(luns, "luns");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public synchronized AccessConfig access() {
        return current;
    }

    /**
     * Puts {@code access} in force (see the class documentation).
     *
     * @throws ZramException INVALID_ARGUMENT when the target refuses the list; nothing changed
     */
    @Override
    public synchronized void setAccess(AccessConfig access) throws ZramException {
        AccessRules rules;
        try {
            rules = rules(access);
        } catch (IllegalArgumentException e) {
            // Ends here, nothing changed: the target's message names users and initiators, never a secret.
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, "access list refused: " + e.getMessage(), e);
        }
        control.replace(rules);
        luns.setVisibility(visibility(access));
        int ended = sessions.endSessions(name -> rules.normalSession(name, null) instanceof AccessDecision.Denied);
        if (ended > 0) {
            LOG.info("access list changed: {} session{} of initiators it no longer allows ended", ended, ended == 1 ? "" : "s");
        }
        current = access.withoutPositions();
    }

    /** The target's rules for a configuration's list. */
    static AccessRules rules(AccessConfig access) {
        List<InitiatorAccess> entries = access.initiators().stream()
                .map(i -> new InitiatorAccess(i.name(), chap(i.chap()), i.devices()))
                .toList();
        AccessRules rules = access.isOpen() ? AccessRules.open() : AccessRules.restrictedTo(entries);
        return access.discovery() == null ? rules : rules.withDiscovery(chap(access.discovery()));
    }

    private static ChapCredentials chap(io.jzram.config.ChapCredentials c) {
        if (c == null) {
            return null;
        }
        ChapCredential initiator = new ChapCredential(c.user(), secret(c.secret()));
        ChapCredential target = c.mutual() ? new ChapCredential(c.mutualUser(), secret(c.mutualSecret())) : null;
        return new ChapCredentials(initiator, target);
    }

    private static ChapSecret secret(Secret s) {
        return ChapSecret.of(s.bytes());
    }

    /** LUN masking for a list: a listed initiator with a device list sees those devices; everyone else sees every exported device. */
    static LunVisibility visibility(AccessConfig access) {
        Map<String, Set<Integer>> masks = new HashMap<>();
        for (InitiatorConfig i : access.initiators()) {
            if (i.devices() != null) {
                masks.put(i.key(), Set.copyOf(i.devices()));
            }
        }
        if (masks.isEmpty()) {
            return LunVisibility.ALL;
        }
        return (initiator, id) -> {
            Set<Integer> mine = masks.get(InitiatorConfig.key(initiator));
            return mine == null || mine.contains(id);
        };
    }
}
