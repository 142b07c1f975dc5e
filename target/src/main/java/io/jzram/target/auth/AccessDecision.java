package io.jzram.target.auth;

import java.util.EnumSet;
import java.util.Set;

/** What an {@link AccessPolicy} answers for one login. */
public sealed interface AccessDecision {

    /** Not allowed: the login fails with 02/02 AUTHORIZATION FAILURE. */
    record Denied(String reason) implements AccessDecision {}

    /** Allowed without authentication: AuthMethod=None. */
    record Open() implements AccessDecision {}

    /**
     * Allowed after CHAP.
     *
     * @param credentials what the initiator must prove (and what we prove for mutual CHAP)
     * @param algorithms the CHAP_A values we accept; the initiator's order decides among them
     */
    record Chap(ChapCredentials credentials, Set<ChapAlgorithm> algorithms) implements AccessDecision {
        public Chap {
            if (credentials == null) {
                throw new IllegalArgumentException("CHAP without credentials");
            }
            if (algorithms == null || algorithms.isEmpty()) {
                throw new IllegalArgumentException("CHAP needs at least one algorithm");
            }
            algorithms = Set.copyOf(EnumSet.copyOf(algorithms));
        }
    }
}
