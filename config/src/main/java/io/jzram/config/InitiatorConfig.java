package io.jzram.config;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An {@code [[initiator]]} entry: an initiator allowed to log in. Once any entry exists, only
 * listed initiators may log in to normal sessions.
 *
 * @param name the initiator's iSCSI name (iqn.…, eui.…, naa.…), compared without regard to case
 * @param chap CHAP this initiator must pass, or null (the entry alone admits it)
 * @param devices the device ids it may see (LUN masking), sorted; null = every exported device
 * @param position where the entry starts, or null for a running server's entry
 */
public record InitiatorConfig(String name, ChapCredentials chap, List<Integer> devices, Position position) {
    public InitiatorConfig {
        devices = devices == null ? null : devices.stream().distinct().sorted().toList();
    }

    /** The name as compared: iSCSI names are case-insensitive (RFC 7143 §4.2.7.2 stringprep folds them). */
    public String key() {
        return key(name);
    }

    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The same entry without its place in a file: what a running server holds. */
    public InitiatorConfig withoutPosition() {
        return new InitiatorConfig(name, chap, devices, null);
    }

    /** {@code CHAP (user web1), devices zram0, zram2}. */
    public String describe() {
        String auth = chap == null ? "no CHAP" : chap.describe();
        String luns = devices == null ? "every exported device"
                : devices.isEmpty() ? "no devices" : "devices " + devices.stream().map(id -> "zram" + id).collect(Collectors.joining(", "));
        return auth + ", " + luns;
    }
}
