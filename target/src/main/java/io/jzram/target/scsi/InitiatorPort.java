package io.jzram.target.scsi;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The initiator port of an iSCSI I_T nexus (RFC 7143 §4.2.7.1, SPC-4 TransportID for iSCSI): the
 * initiator's iSCSI name and the session's ISID. With jzram's single target port it is the whole
 * identity of an I_T nexus for persistent reservations: a registration made by a session belongs
 * to this port and outlives the session, and a later session with the same name and ISID (open-iscsi
 * reuses its ISID) is the same I_T nexus again. iSCSI names are case-insensitive (stringprep folds
 * them), so both parts are kept in lower case.
 *
 * @param name the initiator's iSCSI name, lower case
 * @param isid the ISID as 12 hex digits, lower case
 */
record InitiatorPort(String name, String isid) {
    InitiatorPort {
        name = name.toLowerCase(Locale.ROOT);
        isid = isid.toLowerCase(Locale.ROOT);
    }

    static InitiatorPort of(ItNexus nexus) {
        return new InitiatorPort(nexus.initiatorName(), nexus.isid());
    }

    /** The SCSI name of the port: {@code <name>,i,0x<isid>}. */
    String portName() {
        return name + ",i,0x" + isid;
    }

    /**
     * The iSCSI TransportID of this port, format 01b (initiator port name, SPC-4 table "iSCSI
     * initiator port TransportID format"): 45h, reserved, ADDITIONAL LENGTH, then the port name,
     * NUL-terminated and padded with NULs to a multiple of 4 bytes (at least 20).
     */
    byte[] transportId() {
        byte[] n = portName().getBytes(StandardCharsets.UTF_8);
        int length = Math.max(20, (n.length + 1 + 3) & ~3);
        byte[] d = new byte[4 + length];
        d[0] = 0x45; // FORMAT CODE 01b, PROTOCOL IDENTIFIER 5h (iSCSI)
        Cdb.put16(d, 2, length);
        System.arraycopy(n, 0, d, 4, n.length);
        return d;
    }

    /**
     * Parses an iSCSI TransportID of format 01b at {@code offset} of {@code list} (a PR OUT
     * parameter list).
     *
     * @param available bytes of the list from {@code offset}
     * @throws ScsiError 05/26/00 pointing at the field that is wrong: another protocol, format 00b
     *     (a name without an ISID names no single I_T nexus), a length past the list, or a name
     *     without {@code ,i,0x} and 12 hex digits
     */
    static InitiatorPort parseTransportId(byte[] list, int offset, int available) {
        if (available < 4) {
            throw ScsiError.invalidFieldInParameterList(offset, -1);
        }
        if ((list[offset] & 0x0F) != 0x05) {
            throw ScsiError.invalidFieldInParameterList(offset, 3); // PROTOCOL IDENTIFIER: not iSCSI
        }
        if ((list[offset] & 0xC0) != 0x40) {
            throw ScsiError.invalidFieldInParameterList(offset, 7); // FORMAT CODE: only 01b names a port
        }
        int length = Cdb.u16(list, offset + 2);
        if (length < 4 || 4 + length > available) {
            throw ScsiError.invalidFieldInParameterList(offset + 2, -1);
        }
        int end = offset + 4;
        while (end < offset + 4 + length && list[end] != 0) {
            end++;
        }
        String port = new String(list, offset + 4, end - offset - 4, StandardCharsets.UTF_8);
        int sep = port.toLowerCase(Locale.ROOT).lastIndexOf(",i,0x");
        if (sep <= 0 || !port.substring(sep + 5).matches("[0-9A-Fa-f]{12}")) {
            throw ScsiError.invalidFieldInParameterList(offset + 4, -1);
        }
        return new InitiatorPort(port.substring(0, sep), port.substring(sep + 5));
    }

    @Override
    public String toString() {
        return portName();
    }
}
