package io.jzram.target.iscsi;

import java.nio.ByteBuffer;

/**
 * Builds the 48-byte BHS of each PDU the target sends (RFC 7143 §11). StatSN, ExpCmdSN, MaxCmdSN
 * and DataSegmentLength are left for {@link PduWriter} to fill at send time.
 */
final class TargetPdus {
    private TargetPdus() {}

    private static ByteBuffer bhs(int opcode, int flags) {
        ByteBuffer b = ByteBuffer.allocate(Bhs.LENGTH);
        b.put(0, (byte) opcode);
        b.put(1, (byte) flags);
        return b;
    }

    static byte[] loginResponse(boolean transit, boolean cont, int csg, int nsg, byte[] isid, int tsih, int itt,
            int statusClass, int statusDetail) {
        int flags = (transit ? 0x80 : 0) | (cont ? 0x40 : 0) | (csg << 2) | (transit ? nsg : 0);
        ByteBuffer b = bhs(Bhs.OP_LOGIN_RESP, flags);
        b.put(2, (byte) 0); // VersionMax
        b.put(3, (byte) 0); // VersionActive
        b.put(8, isid);
        b.putShort(14, (short) tsih);
        b.putInt(Bhs.ITT, itt);
        b.put(36, (byte) statusClass);
        b.put(37, (byte) statusDetail);
        return b.array();
    }

    static byte[] textResponse(boolean fin, boolean cont, long rawLun, int itt, int ttt) {
        ByteBuffer b = bhs(Bhs.OP_TEXT_RESP, (fin ? 0x80 : 0) | (cont ? 0x40 : 0));
        b.putLong(Bhs.LUN, rawLun);
        b.putInt(Bhs.ITT, itt);
        b.putInt(Bhs.TTT, ttt);
        return b.array();
    }

    /**
     * A Data-In PDU. With {@code status} >= 0 the S bit is set and status and residual are carried
     * (phase collapse); then F is set too.
     */
    static byte[] dataIn(boolean fin, int status, int residualFlags, int residual, long rawLun, int itt, int dataSn,
            int bufferOffset) {
        int flags = (fin ? 0x80 : 0);
        if (status >= 0) {
            flags |= 0x80 | 0x01 | residualFlags;
        }
        ByteBuffer b = bhs(Bhs.OP_DATA_IN, flags);
        if (status >= 0) {
            b.put(3, (byte) status);
            b.putInt(Bhs.RESIDUAL, residual);
        }
        b.putLong(Bhs.LUN, rawLun);
        b.putInt(Bhs.ITT, itt);
        b.putInt(Bhs.TTT, Bhs.RESERVED_TAG);
        b.putInt(Bhs.DATA_SN, dataSn);
        b.putInt(Bhs.BUFFER_OFFSET, bufferOffset);
        return b.array();
    }

    /** Residual flags of SCSI Response / Data-In byte 1. */
    static final int RESIDUAL_OVERFLOW = 0x04;
    static final int RESIDUAL_UNDERFLOW = 0x02;

    /** iSCSI Response field of a SCSI Response: command completed at target, or target failure. */
    static final int COMPLETED = 0x00;
    static final int TARGET_FAILURE = 0x01;

    static byte[] scsiResponse(int response, int status, int residualFlags, int residual, int itt, int expDataSn) {
        ByteBuffer b = bhs(Bhs.OP_SCSI_RESP, 0x80 | residualFlags);
        b.put(2, (byte) response);
        b.put(3, (byte) status);
        b.putInt(Bhs.ITT, itt);
        b.putInt(Bhs.DATA_SN, expDataSn);
        b.putInt(Bhs.RESIDUAL, residual);
        return b.array();
    }

    static byte[] r2t(long rawLun, int itt, int ttt, int r2tSn, int bufferOffset, int desiredLength) {
        ByteBuffer b = bhs(Bhs.OP_R2T, 0x80);
        b.putLong(Bhs.LUN, rawLun);
        b.putInt(Bhs.ITT, itt);
        b.putInt(Bhs.TTT, ttt);
        b.putInt(Bhs.DATA_SN, r2tSn);
        b.putInt(Bhs.BUFFER_OFFSET, bufferOffset);
        b.putInt(Bhs.RESIDUAL, desiredLength);
        return b.array();
    }

    static byte[] nopIn(long rawLun, int itt, int ttt) {
        ByteBuffer b = bhs(Bhs.OP_NOP_IN, 0x80);
        b.putLong(Bhs.LUN, rawLun);
        b.putInt(Bhs.ITT, itt);
        b.putInt(Bhs.TTT, ttt);
        return b.array();
    }

    static byte[] tmfResponse(int response, int itt) {
        ByteBuffer b = bhs(Bhs.OP_TMF_RESP, 0x80);
        b.put(2, (byte) response);
        b.putInt(Bhs.ITT, itt);
        return b.array();
    }

    static byte[] logoutResponse(int response, int itt, int time2Wait, int time2Retain) {
        ByteBuffer b = bhs(Bhs.OP_LOGOUT_RESP, 0x80);
        b.put(2, (byte) response);
        b.putInt(Bhs.ITT, itt);
        b.putShort(40, (short) time2Wait);
        b.putShort(42, (short) time2Retain);
        return b.array();
    }

    static byte[] reject(int reason) {
        ByteBuffer b = bhs(Bhs.OP_REJECT, 0x80);
        b.put(2, (byte) reason);
        b.putInt(Bhs.ITT, Bhs.RESERVED_TAG);
        return b.array();
    }
}
