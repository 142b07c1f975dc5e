package io.jzram.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Changes to an access list one entry at a time, for the {@code jzram acl} commands: each entry is
 * checked by exactly the rules of a configuration file's {@code [[initiator]]} and
 * {@code [discovery]} tables (it is written as such a table and validated), so the command line
 * and the file can never disagree on what is valid. Errors are those rules' messages, without a
 * place in a file, and name no secret. Secrets come from files only: there is no way to give one
 * on a command line (it would show in the process list and the shell's history).
 */
public final class AccessEdits {
    private AccessEdits() {}

    /** CHAP as options give it: users and the absolute paths of the secret files (mutual ones null for one-way). */
    public record ChapFiles(String user, String secretFile, String mutualUser, String mutualSecretFile) {}

    /**
     * An {@code [[initiator]]} entry.
     *
     * @param chap null for none
     * @param devices device names ("zram0", "/dev/zram2"), or null for every exported device
     * @throws IllegalArgumentException with the rules' messages, one a line
     */
    public static InitiatorConfig initiator(String name, ChapFiles chap, List<String> devices) {
        StringBuilder t = new StringBuilder("[[initiator]]\nname = ").append(ConfigValidator.quote(name)).append('\n');
        chap(t, chap);
        if (devices != null) {
            t.append("devices = [").append(String.join(", ", devices.stream().map(ConfigValidator::quote).toList())).append("]\n");
        }
        AccessConfig a = load(t.toString());
        return a.initiators().getFirst().withoutPosition();
    }

    /** The {@code [discovery]} CHAP. */
    public static ChapCredentials discovery(ChapFiles chap) {
        StringBuilder t = new StringBuilder("[discovery]\n");
        chap(t, chap);
        return load(t.toString()).discovery();
    }

    private static void chap(StringBuilder t, ChapFiles chap) {
        if (chap == null) {
            return;
        }
        if (chap.user() != null) {
            t.append("chap_user = ").append(ConfigValidator.quote(chap.user())).append('\n');
        }
        if (chap.secretFile() != null) {
            t.append("chap_secret_file = ").append(ConfigValidator.quote(chap.secretFile())).append('\n');
        }
        if (chap.mutualUser() != null) {
            t.append("mutual_user = ").append(ConfigValidator.quote(chap.mutualUser())).append('\n');
        }
        if (chap.mutualSecretFile() != null) {
            t.append("mutual_secret_file = ").append(ConfigValidator.quote(chap.mutualSecretFile())).append('\n');
        }
    }

    private static AccessConfig load(String text) {
        try {
            return Config.load("(command line)", text).access();
        } catch (ConfigException e) {
            // Ends here: the caller reports the messages; nothing was changed.
            throw new IllegalArgumentException(String.join("\n", e.errors().stream().map(ConfigError::message).toList()), e);
        }
    }

    /** {@code list} with {@code entry} added, or replacing the entry of the same initiator. */
    public static AccessConfig put(AccessConfig list, InitiatorConfig entry) {
        List<InitiatorConfig> entries = new ArrayList<>(list.initiators().stream().filter(i -> !i.key().equals(entry.key())).toList());
        entries.add(entry);
        return new AccessConfig(entries, list.discovery());
    }

    /**
     * {@code list} without {@code name}'s entry.
     *
     * @throws IllegalArgumentException when it has none
     */
    public static AccessConfig remove(AccessConfig list, String name) {
        InitiatorConfig gone = list.initiator(name)
                .orElseThrow(() -> new IllegalArgumentException(name + ": not on the access list"));
        return new AccessConfig(list.initiators().stream().filter(i -> i != gone).toList(), list.discovery());
    }

    /** {@code list} with discovery CHAP {@code chap} (null: open discovery). */
    public static AccessConfig withDiscovery(AccessConfig list, ChapCredentials chap) {
        return new AccessConfig(list.initiators(), chap);
    }
}
