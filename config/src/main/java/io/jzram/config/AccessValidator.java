package io.jzram.config;

import io.jzram.config.ConfigParser.Section;
import io.jzram.config.ConfigParser.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The rules of the {@code [[initiator]]} and {@code [discovery]} tables, for {@link ConfigValidator}
 * (whose value helpers and error list it uses). Every message names the key and never a secret's
 * value: a secret that breaks a rule is described by its length or by the rule alone.
 *
 * <p>Secrets come from the file ({@code chap_secret}) or from a file of their own
 * ({@code chap_secret_file}, an absolute path, read here, at validation, so that a missing or
 * unreadable secret is an error with its place before anything is applied). A secret file must not
 * be readable or writable by other users (as ssh insists for keys): one that is is refused rather
 * than used.
 */
final class AccessValidator {
    /** A CHAP name (CHAP_N) is a text value; open-iscsi and LIO take at most 255 bytes. */
    static final int MAX_CHAP_USER_BYTES = 255;

    private final ConfigValidator v;

    AccessValidator(ConfigValidator v) {
        this.v = v;
    }

    /** The access part of a file, or null when it has neither [[initiator]] nor [discovery]. */
    AccessConfig access(List<Section> initiators, Section discovery) {
        if (initiators.isEmpty() && discovery == null) {
            return null;
        }
        List<InitiatorConfig> entries = new ArrayList<>();
        Map<String, Section> seen = new HashMap<>();
        List<Role> roles = new ArrayList<>();
        for (Section s : initiators) {
            InitiatorConfig entry = initiator(s);
            if (entry == null) {
                continue;
            }
            roles.add(new Role("initiator " + entry.name(), s, entry.chap()));
            Section first = seen.putIfAbsent(entry.key(), s);
            if (first != null) {
                v.error(s.get("name"), "name " + ConfigValidator.quote(entry.name()) + ": listed twice (first at line "
                        + first.at().line() + "; iSCSI names are compared without regard to case)");
                continue;
            }
            entries.add(entry);
        }
        ChapCredentials discoveryChap = discovery == null ? null : chap(discovery, true);
        if (discoveryChap != null) {
            roles.add(new Role("[discovery]", discovery, discoveryChap));
        }
        oneRolePerSecret(roles);
        return new AccessConfig(entries, discoveryChap);
    }

    /** Where a set of credentials is written, for the one-role rule. */
    private record Role(String where, Section section, ChapCredentials chap) {}

    /**
     * RFC 7143 §9.2.1: a secret that authenticates an initiator (any entry's chap_secret, or
     * discovery's) must not be one the target proves itself with (any mutual_secret). Within one
     * table {@link #chap} says so already; this is the rule across tables.
     */
    private void oneRolePerSecret(List<Role> roles) {
        for (Role target : roles) {
            if (target.chap() == null || !target.chap().mutual()) {
                continue;
            }
            for (Role initiator : roles) {
                if (initiator != target && initiator.chap() != null && target.chap().mutualSecret().sameBytes(initiator.chap().secret())) {
                    v.error(secretPosition(target.section(), "mutual_secret", "mutual_secret_file"), "mutual_secret of " + target.where()
                            + " is the chap_secret of " + initiator.where() + "; a secret may serve one role only (RFC 7143 §9.2.1)");
                }
            }
        }
    }

    private InitiatorConfig initiator(Section s) {
        int before = v.errorCount();
        String name = initiatorName(s);
        ChapCredentials chap = chap(s, false);
        List<Integer> devices = devices(s.get("devices"));
        if (v.errorCount() > before || name == null) {
            return null;
        }
        return new InitiatorConfig(name, chap, devices, s.at());
    }

    /** name: required; an iSCSI name, iqn.…, eui.… or naa.…, at most 223 bytes. */
    private String initiatorName(Section s) {
        Value value = s.get("name");
        if (value == null) {
            v.error(s.at(), "[[initiator]]: name is required (the initiator's iSCSI name, e.g. \"iqn.1993-08.org.debian:01:web1\";"
                    + " on a Linux initiator it is in /etc/iscsi/initiatorname.iscsi)");
            return null;
        }
        String text = v.string(value, "name", "an iSCSI name such as \"iqn.1993-08.org.debian:01:web1\"");
        if (text == null) {
            return null;
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (!(lower.startsWith("iqn.") || lower.startsWith("eui.") || lower.startsWith("naa.")) || text.length() < 5) {
            v.error(value, "name " + ConfigValidator.quote(text) + ": not an iSCSI name (iqn.YYYY-MM.reversed.domain:name, eui.… or naa.…)");
            return null;
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > ConfigValidator.MAX_ISCSI_NAME_BYTES) {
            v.error(value, "name " + ConfigValidator.quote(text) + ": too long (at most " + ConfigValidator.MAX_ISCSI_NAME_BYTES + " bytes)");
            return null;
        }
        if (text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            v.error(value, "name " + ConfigValidator.quote(text) + ": iSCSI names have no spaces or control characters");
            return null;
        }
        return text;
    }

    /**
     * CHAP: {@code chap_user} with {@code chap_secret} or {@code chap_secret_file} (all or none),
     * then optionally {@code mutual_user} with {@code mutual_secret} or {@code mutual_secret_file}
     * (mutual CHAP needs one-way CHAP, and its secret must differ from the initiator's: RFC 7143
     * §12.1.3 forbids one secret for both directions, and open-iscsi refuses it too).
     *
     * @return the credentials, or null when the table sets no CHAP (or after an error)
     */
    private ChapCredentials chap(Section s, boolean discovery) {
        String where = discovery ? "[discovery]" : "[[initiator]]";
        int before = v.errorCount();
        String user = chapUser(s.get("chap_user"), "chap_user");
        Secret secret = secret(s, "chap_secret", "chap_secret_file");
        String mutualUser = chapUser(s.get("mutual_user"), "mutual_user");
        Secret mutualSecret = secret(s, "mutual_secret", "mutual_secret_file");
        boolean hasUser = s.get("chap_user") != null;
        boolean hasSecret = s.get("chap_secret") != null || s.get("chap_secret_file") != null;
        boolean hasMutualUser = s.get("mutual_user") != null;
        boolean hasMutualSecret = s.get("mutual_secret") != null || s.get("mutual_secret_file") != null;
        boolean ok = true;
        if (hasUser != hasSecret) {
            v.error(hasUser ? s.get("chap_user").position() : secretPosition(s, "chap_secret", "chap_secret_file"),
                    where + ": chap_user and chap_secret (or chap_secret_file) go together");
            ok = false;
        }
        if (hasMutualUser != hasMutualSecret) {
            v.error(hasMutualUser ? s.get("mutual_user").position() : secretPosition(s, "mutual_secret", "mutual_secret_file"),
                    where + ": mutual_user and mutual_secret (or mutual_secret_file) go together");
            ok = false;
        }
        if ((hasMutualUser || hasMutualSecret) && !hasUser && !hasSecret) {
            v.error(hasMutualUser ? s.get("mutual_user").position() : secretPosition(s, "mutual_secret", "mutual_secret_file"),
                    where + ": mutual CHAP needs chap_user and chap_secret too (the initiator proves itself first)");
            ok = false;
        }
        if (secret != null && mutualSecret != null && secret.sameBytes(mutualSecret)) {
            v.error(secretPosition(s, "mutual_secret", "mutual_secret_file"),
                    where + ": mutual_secret must differ from chap_secret (one secret in both directions is refused by RFC 7143 §12.1.3)");
            ok = false;
        }
        if (!ok || v.errorCount() > before || user == null || secret == null) {
            return null;
        }
        return new ChapCredentials(user, secret, mutualUser, mutualSecret);
    }

    /** chap_user / mutual_user: 1 to 255 bytes of text without control characters. */
    private String chapUser(Value value, String key) {
        String text = v.string(value, key, "a CHAP user name such as \"web1\"");
        if (text == null) {
            return null;
        }
        if (text.isEmpty() || text.getBytes(StandardCharsets.UTF_8).length > MAX_CHAP_USER_BYTES
                || text.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            v.error(value, key + " " + ConfigValidator.quote(text) + ": must be 1 to " + MAX_CHAP_USER_BYTES
                    + " bytes without control characters");
            return null;
        }
        return text;
    }

    private static Position secretPosition(Section s, String key, String fileKey) {
        Value value = s.get(key) != null ? s.get(key) : s.get(fileKey);
        return value != null ? value.position() : s.at();
    }

    /** A secret from {@code key} or from the file {@code fileKey} names (not both); null when neither is given or after an error. */
    private Secret secret(Section s, String key, String fileKey) {
        Value inline = s.get(key);
        Value file = s.get(fileKey);
        if (inline != null && file != null) {
            v.error(file, fileKey + ": give " + key + " or " + fileKey + ", not both");
            return null;
        }
        if (inline != null) {
            if (!(inline.value() instanceof String text)) {
                v.typeError(inline, key, "a string");
                return null;
            }
            Secret secret = Secret.of(text);
            return checkLength(secret, inline, key) ? secret : null;
        }
        if (file != null) {
            return secretFile(file, key, fileKey);
        }
        return null;
    }

    private boolean checkLength(Secret secret, Value where, String key) {
        if (secret.length() < Secret.MIN_BYTES || secret.length() > Secret.MAX_BYTES) {
            // The length alone: never the value.
            v.error(where, key + ": " + secret.length() + " bytes; a CHAP secret has " + Secret.MIN_BYTES + " to "
                    + Secret.MAX_BYTES + " bytes (RFC 7143 §12.1.3 asks for at least 96 bits)");
            return false;
        }
        return true;
    }

    /**
     * A secret file: an absolute path to a regular file that only its owner may read or write; its
     * content is the secret, without one trailing newline.
     */
    private Secret secretFile(Value value, String key, String fileKey) {
        String text = v.string(value, fileKey, "an absolute path such as \"/etc/jzram/web1.secret\"");
        if (text == null) {
            return null;
        }
        String shown = ConfigValidator.quote(text);
        if (!text.startsWith("/")) {
            v.error(value, fileKey + " " + shown + ": must be an absolute path (the server reads it, wherever it was started)");
            return null;
        }
        Path path = Path.of(text);
        try {
            if (!Files.isRegularFile(path)) {
                v.error(value, fileKey + " " + shown + (Files.exists(path) ? ": not a regular file" : ": no such file"));
                return null;
            }
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)
                        || perms.contains(PosixFilePermission.GROUP_WRITE)) {
                    v.error(value, fileKey + " " + shown + ": other users may read or change it (mode "
                            + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); chmod 600 it");
                    return null;
                }
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: nothing to check, the file is used as it is.
            }
            byte[] bytes = Files.readAllBytes(path);
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
                if (end > 0 && bytes[end - 1] == '\r') {
                    end--;
                }
            }
            Secret secret = Secret.fromFile(Arrays.copyOf(bytes, end), path);
            Arrays.fill(bytes, (byte) 0);
            return checkLength(secret, value, fileKey + " " + shown) ? secret : null;
        } catch (AccessDeniedException e) {
            v.error(value, fileKey + " " + shown + ": permission denied");
        } catch (NoSuchFileException e) {
            v.error(value, fileKey + " " + shown + ": no such file");
        } catch (IOException e) {
            v.error(value, fileKey + " " + shown + ": cannot read it: " + e.getClass().getSimpleName());
        }
        return null;
    }

    /** devices: an array of device names ("zram0", "/dev/zram2"); the devices this initiator may see. */
    private List<Integer> devices(Value value) {
        if (value == null) {
            return null;
        }
        if (!(value.value() instanceof List<?> items)) {
            v.typeError(value, "devices", "an array of device names such as [\"zram0\", \"zram2\"]");
            return null;
        }
        List<Integer> ids = new ArrayList<>();
        for (Object o : items) {
            Value item = (Value) o;
            String text = v.string(item, "devices", "a device name such as \"zram0\"");
            if (text == null) {
                continue;
            }
            Matcher m = ConfigValidator.DEVICE_NAME.matcher(text);
            long n = m.matches() ? Long.parseLong(m.group(1)) : -1;
            if (n < 0 || n > ConfigValidator.MAX_ID) {
                v.error(item, "devices: " + ConfigValidator.quote(text) + ": not a device name (zram0 to zram" + ConfigValidator.MAX_ID + ")");
                continue;
            }
            if (ids.contains((int) n)) {
                v.error(item, "devices: " + ConfigValidator.quote(text) + ": listed twice");
                continue;
            }
            ids.add((int) n);
        }
        return ids;
    }
}
