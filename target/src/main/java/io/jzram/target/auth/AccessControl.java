package io.jzram.target.auth;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The access policy of a running target: the current {@link AccessRules}, replaceable at any time
 * from any thread. Each login reads the rules once, when it decides, so it sees one rule set from
 * start to end; sessions already logged in are not affected by a replacement (dropping the sessions
 * a new rule set no longer allows is the caller's business).
 */
public final class AccessControl implements AccessPolicy {
    private final AtomicReference<AccessRules> rules;

    public AccessControl(AccessRules initial) {
        if (initial == null) {
            throw new IllegalArgumentException("no rules");
        }
        rules = new AtomicReference<>(initial);
    }

    public AccessRules rules() {
        return rules.get();
    }

    /** Installs {@code next} for every login that decides from now on; returns the rules it replaced. */
    public AccessRules replace(AccessRules next) {
        if (next == null) {
            throw new IllegalArgumentException("no rules");
        }
        return rules.getAndSet(next);
    }

    @Override
    public AccessDecision normalSession(String initiatorName, String targetName) {
        return rules.get().normalSession(initiatorName, targetName);
    }

    @Override
    public AccessDecision discoverySession(String initiatorName) {
        return rules.get().discoverySession(initiatorName);
    }

    @Override
    public String toString() {
        return "AccessControl[" + rules.get() + "]";
    }
}
