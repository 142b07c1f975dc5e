package io.jzram.target.scsi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * What the target tells initiators about itself and its logical units: the strings of the standard
 * INQUIRY data and the seed of every per-device identifier.
 *
 * <p>Per-device identifiers are derived deterministically from the target IQN and the device id,
 * so they are stable across restarts of the target and differ between targets:
 * {@link #naa(int)} (the locally assigned NAA designator of VPD page 83h, {@code
 * /dev/disk/by-id/wwn-0x3…}) and {@link #unitSerial(int)} (VPD page 80h, also in the T10 vendor id
 * designator). Linux's {@code wwid} is {@code t10.JZRAM   <serial>}: Debian 12's kernel ranks the
 * longer T10 designator above an 8-byte NAA 3h one (seen in the e2e VM); a 16-byte NAA 6h would
 * win but needs an IEEE company id, which we do not have. Either way it is stable per device. The IQN is compared case-insensitively (iSCSI names are case-folded).
 *
 * @param targetIqn the target's iSCSI name, e.g. {@code iqn.2026-01.io.jzram:ram}
 * @param vendor T10 VENDOR IDENTIFICATION, at most 8 printable ASCII characters
 * @param product PRODUCT IDENTIFICATION, at most 16 printable ASCII characters
 * @param revision PRODUCT REVISION LEVEL, at most 4 printable ASCII characters
 */
public record LunIdentity(String targetIqn, String vendor, String product, String revision) {

    public static final String DEFAULT_VENDOR = "JZRAM";
    public static final String DEFAULT_PRODUCT = "zram";
    public static final String DEFAULT_REVISION = "0001";

    public LunIdentity {
        Objects.requireNonNull(targetIqn, "targetIqn");
        if (targetIqn.isBlank()) {
            throw new IllegalArgumentException("targetIqn is blank");
        }
        checkAscii("vendor", vendor, 8);
        checkAscii("product", product, 16);
        checkAscii("revision", revision, 4);
    }

    /** Vendor "JZRAM", product "zram", revision "0001". */
    public LunIdentity(String targetIqn) {
        this(targetIqn, DEFAULT_VENDOR, DEFAULT_PRODUCT, DEFAULT_REVISION);
    }

    /**
     * The 8-byte NAA designator of a device: NAA 3h (locally assigned) in the top nibble and 60
     * bits of SHA-256 over the case-folded target IQN and the device id. No IEEE company id is
     * involved, so no registered NAA (5h/6h) can be claimed honestly.
     */
    public long naa(int deviceId) {
        byte[] h = digest(deviceId);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (h[i] & 0xFF);
        }
        return (v & 0x0FFF_FFFF_FFFF_FFFFL) | 0x3000_0000_0000_0000L;
    }

    /** The unit serial number of a device (VPD page 80h): the NAA designator as 16 lower-case hex digits. */
    public String unitSerial(int deviceId) {
        return HexFormat.of().toHexDigits(naa(deviceId));
    }

    private byte[] digest(int deviceId) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("jzram-lu\0".getBytes(StandardCharsets.US_ASCII));
            md.update(targetIqn.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Integer.toString(deviceId).getBytes(StandardCharsets.US_ASCII));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    private static void checkAscii(String what, String s, int max) {
        Objects.requireNonNull(s, what);
        if (s.length() > max) {
            throw new IllegalArgumentException(what + " longer than " + max + " characters: " + s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(what + " is not printable ASCII: " + s);
            }
        }
    }
}
