package io.jzram.target.iscsi;

import java.util.List;

import io.jzram.target.auth.AccessRules;
import io.jzram.target.auth.ChapCredentials;
import io.jzram.target.auth.InitiatorAccess;
import io.jzram.target.iscsi.testinit.TestInitiator;

/**
 * Run by {@link ChapLogSecrecyTest} in a JVM of its own, so that logging can be set to trace before
 * any logger exists: a target with CHAP, failed and successful logins against it. Prints on stdout
 * every secret-derived value that crossed the wire (responses, challenges), one per line, for the
 * test to look for in the log (stderr). Prints DONE when every login went as expected.
 */
public final class RunChapLogins {
    static final String ALICE = "iqn.2026-11.io.jzram.test:alice";
    static final String SECRET = "alice-secret-0123-XYZ";
    static final String WRONG_SECRET = "alice-secret-0123-XYY";
    static final String TARGET_SECRET = "target-secret-4567-QRS";

    private RunChapLogins() {}

    public static void main(String[] args) throws Exception {
        AccessRules rules = AccessRules.restrictedTo(List.of(
                InitiatorAccess.chap(ALICE, ChapCredentials.mutual("alice", SECRET, "jzram", TARGET_SECRET))))
                .withDiscovery(ChapCredentials.oneWay("disco", "discovery-secret-1"));
        try (ServerFixture f = new ServerFixture(rules)) {
            // 1. wrong secret
            try (TestInitiator ini = f.connect()) {
                ChapLogin l = ChapLogin.oneWay("alice", WRONG_SECRET).as(ALICE);
                expectFailure(() -> l.login(ini));
                print(l);
            }
            // 2. wrong user
            try (TestInitiator ini = f.connect()) {
                ChapLogin l = ChapLogin.oneWay("mallory", SECRET).as(ALICE);
                expectFailure(() -> l.login(ini));
                print(l);
            }
            // 3. not on the list
            try (TestInitiator ini = f.connect()) {
                ChapLogin l = ChapLogin.oneWay("alice", SECRET).as("iqn.2026-11.io.jzram.test:eve");
                expectFailure(() -> l.login(ini));
            }
            // 4. mutual CHAP that succeeds, with SHA-256, some I/O, logout
            try (TestInitiator ini = f.connect()) {
                ChapLogin l = ChapLogin.oneWay("alice", SECRET).as(ALICE).mutual("jzram", TARGET_SECRET);
                l.algorithms = "7";
                l.login(ini);
                print(l);
                ini.nopOut(null, false);
                ini.logout(0);
            }
            LoginTest.waitFor(() -> f.server.sessions().isEmpty());
        }
        System.out.println("DONE");
    }

    interface Login {
        void run() throws Exception;
    }

    private static void expectFailure(Login l) throws Exception {
        try {
            l.run();
        } catch (TestInitiator.LoginFailed e) {
            return;
        }
        throw new AssertionError("login should have failed");
    }

    private static void print(ChapLogin l) {
        if (l.targetChallenge != null) {
            System.out.println("VALUE " + l.targetChallenge.get("CHAP_C"));
        }
        if (l.sentResponse != null) {
            System.out.println("VALUE " + l.sentResponse);
        }
        if (l.receivedResponse != null) {
            System.out.println("VALUE " + l.receivedResponse);
        }
    }
}
