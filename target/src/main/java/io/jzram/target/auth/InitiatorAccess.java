package io.jzram.target.auth;

import java.util.List;
import java.util.Locale;

/**
 * One entry of the access list: an initiator allowed to open normal sessions, and whether it must
 * authenticate with CHAP.
 *
 * @param initiatorName the iSCSI name ({@code iqn.}, {@code eui.} or {@code naa.}); matched
 *     without regard to case, as RFC 3722 normalises iSCSI names to lower case
 * @param chap the CHAP credentials it must log in with, or null for none (AuthMethod=None)
 * @param devices the device ids this initiator may see, or null for all. Data only here: LUN masking
 *     is done elsewhere
 */
public record InitiatorAccess(String initiatorName, ChapCredentials chap, List<Integer> devices) {
    public InitiatorAccess {
        if (initiatorName == null || !validName(initiatorName)) {
            throw new IllegalArgumentException("not an iSCSI initiator name: " + initiatorName);
        }
        if (devices != null) {
            devices = List.copyOf(devices);
        }
    }

    /** Allowed without authentication. */
    public static InitiatorAccess open(String initiatorName) {
        return new InitiatorAccess(initiatorName, null, null);
    }

    /** Allowed with CHAP. */
    public static InitiatorAccess chap(String initiatorName, ChapCredentials chap) {
        if (chap == null) {
            throw new IllegalArgumentException("no CHAP credentials for " + initiatorName);
        }
        return new InitiatorAccess(initiatorName, chap, null);
    }

    public InitiatorAccess withDevices(List<Integer> v) {
        return new InitiatorAccess(initiatorName, chap, v);
    }

    /** The name as compared: lower case. */
    String key() {
        return initiatorName.toLowerCase(Locale.ROOT);
    }

    private static boolean validName(String n) {
        String l = n.toLowerCase(Locale.ROOT);
        // RFC 7143 §4.2.7.1: at most 223 bytes of UTF-8
        return (l.startsWith("iqn.") || l.startsWith("eui.") || l.startsWith("naa."))
                && n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 223
                && n.chars().noneMatch(c -> c <= ' ' || c == ',');
    }
}
