package io.jzram.target.iscsi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of one {@link IscsiServer}.
 *
 * @param listen address to bind; default {@code 127.0.0.1:3260}; port 0 picks an ephemeral port;
 *     {@code 0.0.0.0} / {@code [::]} bind every interface
 * @param advertisedPortals what SendTargets answers as TargetAddress; empty means "the address the
 *     initiator connected to" when bound to a wildcard, else the listen address. Set it for NAT,
 *     port forwarding or VMs. Wildcard addresses are never advertised.
 * @param targetName our IQN, default {@code iqn.2026-11.io.jzram:<hostname>}
 * @param portalGroupTag the TargetPortalGroupTag (1..65535)
 * @param nopInInterval idle time after which we ping the initiator with a NOP-In
 * @param nopInTimeout how long after that ping a silent connection is closed
 * @param loginTimeout how long a connection may take to finish its login
 * @param maxRecvDataSegmentLength what we declare: the largest data segment we accept (512..16777215)
 * @param maxBurstLength our offer for MaxBurstLength (512..16777215)
 * @param firstBurstLength our offer for FirstBurstLength (512..16777215, at most maxBurstLength)
 * @param maxOutstandingR2t our offer for MaxOutstandingR2T (1..65535)
 * @param immediateData our offer for ImmediateData
 * @param initialR2t our offer for InitialR2T
 * @param commandWindow how many non-immediate commands a session may have outstanding (MaxCmdSN - ExpCmdSN + 1)
 * @param maxTransferLength the largest expected data transfer length of one command we accept
 * @param crc32c whether we accept CRC32C header and data digests
 * @param maxConnections TCP connections at once, logged in or not; more are closed at accept
 * @param maxConnectionsPerAddress the same from one source address (at most maxConnections)
 */
public record IscsiServerSettings(
        InetSocketAddress listen,
        List<InetSocketAddress> advertisedPortals,
        String targetName,
        int portalGroupTag,
        Duration nopInInterval,
        Duration nopInTimeout,
        Duration loginTimeout,
        int maxRecvDataSegmentLength,
        int maxBurstLength,
        int firstBurstLength,
        int maxOutstandingR2t,
        boolean immediateData,
        boolean initialR2t,
        int commandWindow,
        int maxTransferLength,
        boolean crc32c,
        int maxConnections,
        int maxConnectionsPerAddress) {

    public static final int DEFAULT_PORT = 3260;
    /**
     * Connection caps: far above what initiators use (open-iscsi opens one connection per session,
     * a host one session per target portal and interface), far below what exhausts the server.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    static final int MAX_24BIT = (1 << 24) - 1;

    public IscsiServerSettings {
        Objects.requireNonNull(listen, "listen");
        advertisedPortals = List.copyOf(advertisedPortals);
        for (InetSocketAddress a : advertisedPortals) {
            if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
                throw new IllegalArgumentException("cannot advertise a wildcard address: " + a);
            }
        }
        Objects.requireNonNull(targetName, "targetName");
        if (!targetName.startsWith("iqn.") && !targetName.startsWith("eui.") && !targetName.startsWith("naa.")) {
            throw new IllegalArgumentException("not an iSCSI name: " + targetName);
        }
        range("portalGroupTag", portalGroupTag, 1, 65535);
        range("maxRecvDataSegmentLength", maxRecvDataSegmentLength, 512, MAX_24BIT);
        range("maxBurstLength", maxBurstLength, 512, MAX_24BIT);
        range("firstBurstLength", firstBurstLength, 512, maxBurstLength);
        range("maxOutstandingR2t", maxOutstandingR2t, 1, 65535);
        range("commandWindow", commandWindow, 1, 1 << 20);
        range("maxTransferLength", maxTransferLength, 512, Integer.MAX_VALUE);
        range("maxConnections", maxConnections, 1, 65535);
        range("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, maxConnections);
        positive("nopInInterval", nopInInterval);
        positive("nopInTimeout", nopInTimeout);
        positive("loginTimeout", loginTimeout);
    }

    private static void range(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " " + v + " not in " + min + ".." + max);
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /**
     * Defaults: 127.0.0.1:3260, MaxRecvDataSegmentLength 256 KiB, MaxBurstLength 1 MiB,
     * FirstBurstLength 256 KiB, MaxOutstandingR2T 8, window 128, at most 16 MiB per command (the
     * command set advertises 8 MiB as MAXIMUM TRANSFER LENGTH), NOP-In after 5 s idle, 15 s to answer,
     * 1024 connections at once and 64 from one address.
     */
    public static IscsiServerSettings defaults() {
        return new IscsiServerSettings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT),
                List.of(),
                defaultTargetName(),
                1,
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                Duration.ofSeconds(30),
                256 * 1024,
                1024 * 1024,
                256 * 1024,
                8,
                true,
                false,
                128,
                // Must cover the MAXIMUM TRANSFER LENGTH the SCSI layer advertises in VPD page B0h
                // (65536 blocks of 512 bytes), or an initiator that trusts the page gets its command refused.
                32 * 1024 * 1024,
                true,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    }

    /** {@code iqn.2026-11.io.jzram:<hostname>}, the host name lower-cased and reduced to the characters an IQN allows. */
    public static String defaultTargetName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        String clean = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.\\-]", "-");
        if (clean.isEmpty()) {
            clean = "localhost";
        }
        return "iqn.2026-11.io.jzram:" + clean;
    }

    public IscsiServerSettings withListen(InetSocketAddress v) {
        return new IscsiServerSettings(v, advertisedPortals, targetName, portalGroupTag, nopInInterval, nopInTimeout,
                loginTimeout, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2t,
                immediateData, initialR2t, commandWindow, maxTransferLength, crc32c, maxConnections, maxConnectionsPerAddress);
    }

    public IscsiServerSettings withAdvertisedPortals(List<InetSocketAddress> v) {
        return new IscsiServerSettings(listen, v, targetName, portalGroupTag, nopInInterval, nopInTimeout,
                loginTimeout, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2t,
                immediateData, initialR2t, commandWindow, maxTransferLength, crc32c, maxConnections, maxConnectionsPerAddress);
    }

    public IscsiServerSettings withTargetName(String v) {
        return new IscsiServerSettings(listen, advertisedPortals, v, portalGroupTag, nopInInterval, nopInTimeout,
                loginTimeout, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2t,
                immediateData, initialR2t, commandWindow, maxTransferLength, crc32c, maxConnections, maxConnectionsPerAddress);
    }

    public IscsiServerSettings withNopIn(Duration interval, Duration timeout) {
        return new IscsiServerSettings(listen, advertisedPortals, targetName, portalGroupTag, interval, timeout,
                loginTimeout, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2t,
                immediateData, initialR2t, commandWindow, maxTransferLength, crc32c, maxConnections, maxConnectionsPerAddress);
    }

    public IscsiServerSettings withLoginTimeout(Duration v) {
        return new IscsiServerSettings(listen, advertisedPortals, targetName, portalGroupTag, nopInInterval,
                nopInTimeout, v, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2t,
                immediateData, initialR2t, commandWindow, maxTransferLength, crc32c, maxConnections, maxConnectionsPerAddress);
    }

    /** Data-path limits: what we declare as MaxRecvDataSegmentLength and offer as MaxBurstLength, FirstBurstLength, MaxOutstandingR2T. */
    public IscsiServerSettings withBursts(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength, int maxOutstandingR2t) {
        return new IscsiServerSettings(listen, advertisedPortals, targetName, portalGroupTag, nopInInterval,
                nopInTimeout, loginTimeout, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength,
                maxOutstandingR2t, immediateData, initialR2t, commandWindow, maxTransferLength, crc32c, maxConnections, maxConnectionsPerAddress);
    }

    public IscsiServerSettings withUnsolicitedData(boolean immediateData, boolean initialR2t) {
        return new IscsiServerSettings(listen, advertisedPortals, targetName, portalGroupTag, nopInInterval,
                nopInTimeout, loginTimeout, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength,
                maxOutstandingR2t, immediateData, initialR2t, commandWindow, maxTransferLength, crc32c, maxConnections, maxConnectionsPerAddress);
    }

    public IscsiServerSettings withCommandWindow(int v) {
        return new IscsiServerSettings(listen, advertisedPortals, targetName, portalGroupTag, nopInInterval,
                nopInTimeout, loginTimeout, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength,
                maxOutstandingR2t, immediateData, initialR2t, v, maxTransferLength, crc32c, maxConnections, maxConnectionsPerAddress);
    }

    /** The connection caps: at most {@code max} at once, {@code perAddress} from one source address. */
    public IscsiServerSettings withConnectionLimits(int max, int perAddress) {
        return new IscsiServerSettings(listen, advertisedPortals, targetName, portalGroupTag, nopInInterval,
                nopInTimeout, loginTimeout, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength,
                maxOutstandingR2t, immediateData, initialR2t, commandWindow, maxTransferLength, crc32c, max, perAddress);
    }
}
