package io.jzram.target.iscsi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Builds the 48-byte BHS of each PDU the target sends (RFC 7143 §11). StatSN, ExpCmdSN, MaxCmdSN
 * and DataSegmentLength are left for {@link PduWriter} to fill at send time.
 */
final class TargetPdus {
    private TargetPdus() {}

    // Big-endian views of the header array (a ByteBuffer around it was one more object per PDU:
    // the JIT did not remove it).
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static byte[] bhs(int opcode, int flags) {
        byte[] b = new byte[Bhs.LENGTH];
        b[0] = (byte) opcode;
        b[1] = (byte) flags;
        return b;
    }

    private static void putShort(byte[] b, int at, int v) {
        SHORT.set(b, at, (short) v);
    }

    private static void putInt(byte[] b, int at, int v) {
        INT.set(b, at, v);
    }

    private static void putLong(byte[] b, int at, long v) {
        LONG.set(b, at, v);
    }

    static byte[] loginResponse(boolean transit, boolean cont, int csg, int nsg, byte[] isid, int tsih, int itt,
            int statusClass, int statusDetail) {
        int flags = (transit ? 0x80 : 0) | (cont ? 0x40 : 0) | (csg << 2) | (transit ? nsg : 0);
        byte[] b = bhs(Bhs.OP_LOGIN_RESP, flags);
        b[2] = (byte) 0; // VersionMax
        b[3] = (byte) 0; // VersionActive
        System.arraycopy(isid, 0, b, 8, isid.length);
        putShort(b, 14, tsih);
        putInt(b, Bhs.ITT, itt);
        b[36] = (byte) statusClass;
        b[37] = (byte) statusDetail;
        return b;
    }

    static byte[] textResponse(boolean fin, boolean cont, long rawLun, int itt, int ttt) {
        byte[] b = bhs(Bhs.OP_TEXT_RESP, (fin ? 0x80 : 0) | (cont ? 0x40 : 0));
        putLong(b, Bhs.LUN, rawLun);
        putInt(b, Bhs.ITT, itt);
        putInt(b, Bhs.TTT, ttt);
        return b;
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
        byte[] b = bhs(Bhs.OP_DATA_IN, flags);
        if (status >= 0) {
            b[3] = (byte) status;
            putInt(b, Bhs.RESIDUAL, residual);
        }
        putLong(b, Bhs.LUN, rawLun);
        putInt(b, Bhs.ITT, itt);
        putInt(b, Bhs.TTT, Bhs.RESERVED_TAG);
        putInt(b, Bhs.DATA_SN, dataSn);
        putInt(b, Bhs.BUFFER_OFFSET, bufferOffset);
        return b;
    }

    /** Residual flags of SCSI Response / Data-In byte 1. */
    static final int RESIDUAL_OVERFLOW = 0x04;
    static final int RESIDUAL_UNDERFLOW = 0x02;

    /** iSCSI Response field of a SCSI Response: command completed at target, or target failure. */
    static final int COMPLETED = 0x00;
    static final int TARGET_FAILURE = 0x01;

    static byte[] scsiResponse(int response, int status, int residualFlags, int residual, int itt, int expDataSn) {
        byte[] b = bhs(Bhs.OP_SCSI_RESP, 0x80 | residualFlags);
        b[2] = (byte) response;
        b[3] = (byte) status;
        putInt(b, Bhs.ITT, itt);
        putInt(b, Bhs.DATA_SN, expDataSn);
        putInt(b, Bhs.RESIDUAL, residual);
        return b;
    }

    static byte[] r2t(long rawLun, int itt, int ttt, int r2tSn, int bufferOffset, int desiredLength) {
        byte[] b = bhs(Bhs.OP_R2T, 0x80);
        putLong(b, Bhs.LUN, rawLun);
        putInt(b, Bhs.ITT, itt);
        putInt(b, Bhs.TTT, ttt);
        putInt(b, Bhs.DATA_SN, r2tSn);
        putInt(b, Bhs.BUFFER_OFFSET, bufferOffset);
        putInt(b, Bhs.RESIDUAL, desiredLength);
        return b;
    }

    static byte[] nopIn(long rawLun, int itt, int ttt) {
        byte[] b = bhs(Bhs.OP_NOP_IN, 0x80);
        putLong(b, Bhs.LUN, rawLun);
        putInt(b, Bhs.ITT, itt);
        putInt(b, Bhs.TTT, ttt);
        return b;
    }

    static byte[] tmfResponse(int response, int itt) {
        byte[] b = bhs(Bhs.OP_TMF_RESP, 0x80);
        b[2] = (byte) response;
        putInt(b, Bhs.ITT, itt);
        return b;
    }

    static byte[] logoutResponse(int response, int itt, int time2Wait, int time2Retain) {
        byte[] b = bhs(Bhs.OP_LOGOUT_RESP, 0x80);
        b[2] = (byte) response;
        putInt(b, Bhs.ITT, itt);
        putShort(b, 40, time2Wait);
        putShort(b, 42, time2Retain);
        return b;
    }

    static byte[] reject(int reason) {
        byte[] b = bhs(Bhs.OP_REJECT, 0x80);
        b[2] = (byte) reason;
        putInt(b, Bhs.ITT, Bhs.RESERVED_TAG);
        return b;
    }
}
