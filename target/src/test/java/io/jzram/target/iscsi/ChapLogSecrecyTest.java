package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret, response or challenge in the log, at any level: {@link RunChapLogins} runs failed and
 * successful CHAP logins in a JVM of its own with every logger at trace (slf4j-simple fixes levels
 * when a logger is made, so this JVM's earlier tests could have made them quieter); everything it
 * logged is searched for the secrets and for every value it printed as having crossed the wire.
 * The log must still say why each failure happened, once per failure.
 */
@Timeout(120)
class ChapLogSecrecyTest {
    @Test
    void secretsAndResponsesNeverReachTheLog(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-cp", System.getProperty("java.class.path"), RunChapLogins.class.getName())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String log = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stdout + log).isZero();
        assertThat(stdout).contains("DONE");

        // the log is live at trace, and says why each login failed, once each
        assertThat(log).contains("DEBUG").contains("login stage 0");
        assertThat(count(log, "wrong CHAP response")).isEqualTo(1);
        assertThat(count(log, "unknown CHAP user \"mallory\"")).isEqualTo(1);
        assertThat(count(log, "initiator not on the access list")).isEqualTo(1);
        assertThat(count(log, " rejected ")).isEqualTo(3);
        assertThat(log).contains("auth CHAP/SHA-256 mutual");

        List<String> forbidden = new ArrayList<>(List.of(RunChapLogins.SECRET, RunChapLogins.WRONG_SECRET,
                RunChapLogins.TARGET_SECRET, "discovery-secret-1"));
        for (String line : stdout.split("\n")) {
            if (line.startsWith("VALUE ")) {
                String hex = line.substring("VALUE 0x".length());
                forbidden.add(hex.toLowerCase(Locale.ROOT));
                forbidden.add(hex.toUpperCase(Locale.ROOT));
                forbidden.add(hex.substring(0, 16).toLowerCase(Locale.ROOT)); // not even a prefix
            }
        }
        assertThat(forbidden.size()).isGreaterThan(4 + 3 * 6); // challenges and responses were printed
        for (String f : forbidden) {
            assertThat(log).as("log contains %s", f).doesNotContain(f);
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
