package io.jzram.config;

import java.util.Objects;

/**
 * CHAP for one initiator (or for discovery sessions): the name and secret the initiator proves
 * itself with, and, for mutual CHAP, the name and secret the target answers with. The secrets are
 * {@link Secret}s: this record prints without them.
 *
 * @param user {@code chap_user}: CHAP_N the initiator must send
 * @param secret {@code chap_secret} or {@code chap_secret_file}
 * @param mutualUser {@code mutual_user}: CHAP_N the target sends back; null without mutual CHAP
 * @param mutualSecret {@code mutual_secret} or {@code mutual_secret_file}; null without mutual CHAP
 */
public record ChapCredentials(String user, Secret secret, String mutualUser, Secret mutualSecret) {
    public ChapCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
        if ((mutualUser == null) != (mutualSecret == null)) {
            throw new IllegalArgumentException("mutual CHAP needs both a user and a secret");
        }
    }

    public boolean mutual() {
        return mutualUser != null;
    }

    /** {@code CHAP user web1}, {@code mutual CHAP users web1 / jzram}: what plans and listings say. */
    public String describe() {
        return mutual() ? "mutual CHAP (users " + user + " / " + mutualUser + ")" : "CHAP (user " + user + ")";
    }
}
