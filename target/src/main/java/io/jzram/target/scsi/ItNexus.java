package io.jzram.target.scsi;

import java.net.SocketAddress;

/**
 * An I_T nexus: one logged-in iSCSI session (SAM's initiator port to target port relation).
 * Unit attentions and device holders are kept per nexus.
 *
 * @param id unique for the life of the server (the transport assigns it, e.g. from the TSIH)
 * @param initiatorName the initiator's iSCSI name, e.g. {@code iqn.1993-08.org.debian:01:abc}
 * @param isid the initiator session id, as 12 hex digits
 * @param remote the initiator's address of the session's leading connection
 */
public record ItNexus(long id, String initiatorName, String isid, SocketAddress remote) {}
