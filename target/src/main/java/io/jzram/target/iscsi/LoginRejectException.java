package io.jzram.target.iscsi;

import org.jscsi.parser.login.LoginStatus;

/** Ends a login: the connection answers with a Login Response carrying {@link #status()} and closes. */
final class LoginRejectException extends Exception {
    private final LoginStatus status;

    LoginRejectException(LoginStatus status, String message) {
        super(message);
        this.status = status;
    }

    LoginStatus status() {
        return status;
    }

    int statusClass() {
        return (status.value() >>> 8) & 0xff;
    }

    int statusDetail() {
        return status.value() & 0xff;
    }
}
