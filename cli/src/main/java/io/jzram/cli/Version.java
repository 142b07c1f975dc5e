package io.jzram.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version from the pom (a filtered resource): {@code jzram 0.1.0}. */
public final class Version implements IVersionProvider {

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String number() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"jzram " + number()};
    }

    /** zramctl's style, "zramctl from util-linux 2.40": {@code zramctl from jzram 0.1.0}. */
    public static final class Zramctl implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"zramctl from jzram " + number()};
        }
    }
}
