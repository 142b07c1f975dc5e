package io.jzram.target.iscsi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * iSCSI text data (RFC 7143 §6.1): {@code key=value} pairs, each ended by a NUL byte, UTF-8.
 *
 * <p>Parsed into an ordered list of pairs, not a map: order and duplicates matter (a key offered
 * twice is an error, SendTargets answers repeat TargetAddress, the initiator's value lists carry
 * its preference order), and unknown keys must survive parsing so that we can answer
 * {@code NotUnderstood}. That is why jSCSI's {@code SettingsMap}/{@code TextParameterDataSegment}
 * (an enum-keyed map that cannot hold unknown keys) is not used.
 */
final class TextParameters {
    record Pair(String key, String value) {}

    private final List<Pair> pairs = new ArrayList<>();

    static TextParameters parse(byte[] data) throws MalformedPduException {
        TextParameters p = new TextParameters();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == 0) {
                if (i > start) {
                    String kv = new String(data, start, i - start, StandardCharsets.UTF_8);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new MalformedPduException(MalformedPduException.Kind.PROTOCOL, "text item without key=value: " + kv);
                    }
                    p.pairs.add(new Pair(kv.substring(0, eq), kv.substring(eq + 1)));
                }
                start = i + 1;
            }
        }
        return p;
    }

    static TextParameters of(Map<String, String> map) {
        TextParameters p = new TextParameters();
        map.forEach(p::add);
        return p;
    }

    TextParameters add(String key, String value) {
        pairs.add(new Pair(key, value));
        return this;
    }

    List<Pair> pairs() {
        return Collections.unmodifiableList(pairs);
    }

    /** The first value of {@code key}, or null. */
    String get(String key) {
        for (Pair p : pairs) {
            if (p.key.equals(key)) {
                return p.value;
            }
        }
        return null;
    }

    boolean isEmpty() {
        return pairs.isEmpty();
    }

    byte[] encode() {
        StringBuilder sb = new StringBuilder();
        for (Pair p : pairs) {
            sb.append(p.key).append('=').append(p.value).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Keys whose values never go into a log: CHAP responses, and challenges (with them, an offline guess of the secret). */
    private static boolean hidden(String key) {
        return key.equals("CHAP_R") || key.equals("CHAP_C");
    }

    /** For logs: the pairs, with the values of CHAP_R and CHAP_C hidden. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (Pair p : pairs) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(p.key).append('=').append(hidden(p.key) ? "(hidden)" : p.value);
        }
        return sb.append(']').toString();
    }
}
