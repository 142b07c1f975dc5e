package io.jzram.target.iscsi;

import java.net.SocketAddress;
import java.time.Instant;

/**
 * A snapshot of one logged-in session, for {@code jzram sessions}.
 *
 * @param initiatorName the initiator's iSCSI name
 * @param isid the initiator session id, 12 hex digits
 * @param tsih the target session identifying handle we assigned
 * @param remote the initiator's address
 * @param since when the session entered full feature phase
 * @param discovery true for a discovery session
 * @param bytesIn bytes received on the session's connection (all PDUs, digests included)
 * @param bytesOut bytes sent
 * @param commands SCSI commands received
 * @param activeTasks SCSI commands accepted and not yet answered
 * @param auth how the initiator authenticated: "None", or "CHAP/" and the digest ("CHAP/MD5",
 *     "CHAP/SHA-256", ...) followed by " mutual" when the target proved itself too
 */
public record SessionInfo(String initiatorName, String isid, int tsih, SocketAddress remote, Instant since,
        boolean discovery, long bytesIn, long bytesOut, long commands, int activeTasks, String auth) {

    /** A session that did not authenticate ({@code auth} "None"). */
    public SessionInfo(String initiatorName, String isid, int tsih, SocketAddress remote, Instant since,
            boolean discovery, long bytesIn, long bytesOut, long commands, int activeTasks) {
        this(initiatorName, isid, tsih, remote, since, discovery, bytesIn, bytesOut, commands, activeTasks, "None");
    }
}
