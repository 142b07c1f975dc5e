package io.jzram.target.auth;

/**
 * What CHAP needs for one kind of login: the credential the initiator must prove, and optionally
 * the target's own for mutual CHAP, which we answer only when the initiator asks for it (sends
 * {@code CHAP_I} and {@code CHAP_C}).
 *
 * <p>The two secrets must differ: RFC 7143 §9.2.1 forbids configuring a secret used to
 * authenticate an initiator for authenticating a target, and open-iscsi refuses equal secrets. It
 * is also what makes RFC 7143's "a response equal to the one we would have computed ourselves is a
 * failure" rule hold by construction: the initiator's response and ours are keyed by different
 * secrets.
 *
 * @param initiator what the initiator proves
 * @param target what we prove for mutual CHAP, or null (one-way CHAP only)
 */
public record ChapCredentials(ChapCredential initiator, ChapCredential target) {
    public ChapCredentials {
        if (initiator == null) {
            throw new IllegalArgumentException("CHAP needs the initiator's credential");
        }
        if (target != null && target.secret().sameAs(initiator.secret())) {
            // ends building this entry; neither secret is named
            throw new IllegalArgumentException("the mutual CHAP secret of user " + target.user()
                    + " equals the initiator's CHAP secret of user " + initiator.user()
                    + "; they must differ (RFC 7143 §9.2.1)");
        }
    }

    /** One-way CHAP. */
    public static ChapCredentials oneWay(String user, String secret) {
        return new ChapCredentials(ChapCredential.of(user, secret), null);
    }

    /** Mutual CHAP: the initiator proves {@code user}/{@code secret}, we prove {@code targetUser}/{@code targetSecret}. */
    public static ChapCredentials mutual(String user, String secret, String targetUser, String targetSecret) {
        return new ChapCredentials(ChapCredential.of(user, secret), ChapCredential.of(targetUser, targetSecret));
    }

    public boolean mutual() {
        return target != null;
    }
}
