package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs independent initiator tools (libiscsi-bin). A missing tool fails the test when CI=true
 * (CI must install libiscsi-bin) and skips it elsewhere, saying what to install.
 */
final class ExternalTools {
    private ExternalTools() {}

    record Result(int exit, String output) {}

    static Path require(String tool, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String msg = tool + " not found: install the Debian package " + debianPackage + " (apt-get install -y "
                + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail(msg);
        }
        Assumptions.abort(msg);
        return null;
    }

    /** Runs a command with a time limit; kills it (by its own process handle) when over time. */
    static Result run(Duration limit, List<String> command) throws IOException, InterruptedException {
        return run(limit, command, java.util.Map.of());
    }

    /**
     * The same with environment variables set (and every inherited {@code LIBISCSI_CHAP_*} removed):
     * how secrets reach libiscsi's tools, never as command arguments.
     */
    static Result run(Duration limit, List<String> command, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("jzram-tool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("LIBISCSI_CHAP_"));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, Files.readString(out, StandardCharsets.UTF_8) + "\n[killed after " + limit + "]");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
