package io.jzram.target.auth;

/**
 * Who may log in, and how (consulted once per login, as soon as the first Login Request names the
 * initiator and the session type). Implementations must be thread-safe and quick: logins call them
 * on their connection's reader thread. {@link AccessRules} is the in-memory implementation,
 * {@link AccessControl} the holder whose rules can be replaced at run time.
 */
public interface AccessPolicy {
    /** Any initiator, any session, no authentication: the behaviour of a target without an access list. */
    AccessPolicy OPEN = AccessRules.open();

    /** A normal session of {@code initiatorName} to {@code targetName} (a target we have). */
    AccessDecision normalSession(String initiatorName, String targetName);

    /** A discovery session (SendTargets) of {@code initiatorName}. */
    AccessDecision discoverySession(String initiatorName);
}
