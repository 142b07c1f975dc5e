package io.jzram.core;

import java.util.Arrays;
import java.util.List;

/** The kernel's {@code key=value} attribute syntax, for the requests and settings that take it. */
final class Attributes {
    private Attributes() {}

    /** The white-space-separated tokens of a value (the echo's newline included). */
    static List<String> tokens(String value) {
        String v = value.strip();
        return v.isEmpty() ? List.of() : Arrays.asList(v.split("\\s+"));
    }

    static String key(String token) {
        int eq = token.indexOf('=');
        return eq < 0 ? token : token.substring(0, eq);
    }

    static String value(String token) {
        int eq = token.indexOf('=');
        return eq < 0 ? "" : token.substring(eq + 1);
    }

    /** A decimal number from {@code min} to {@code max}. */
    static long number(String attribute, String token, String v, long min, long max) throws ZramException {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(attribute, token, "not a number");
        }
        if (n < min || n > max) {
            throw invalid(attribute, token, "from " + min + " to " + max);
        }
        return n;
    }

    static ZramException invalid(String attribute, String token, String why) {
        return new ZramException(ZramException.Reason.INVALID_ARGUMENT, attribute + ": invalid '" + token + "' (" + why + ")");
    }
}
