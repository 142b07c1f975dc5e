package io.jzram.target.auth;

import org.jscsi.parser.login.LoginStatus;

/**
 * Ends a login in the security stage: the login code answers {@link #status()} (02/01
 * AUTHENTICATION FAILURE, 02/02 AUTHORIZATION FAILURE) and logs the message, which says why for the
 * administrator and never contains a secret, a response or a challenge.
 */
public final class AuthenticationFailure extends Exception {
    private final LoginStatus status;

    AuthenticationFailure(LoginStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public LoginStatus status() {
        return status;
    }
}
