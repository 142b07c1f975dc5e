package io.jzram.target.scsi;

import java.nio.ByteBuffer;

/**
 * The contract between the iSCSI transport (which owns sessions, PDUs, R2Ts and the command
 * window) and the SCSI layer (which owns LUNs, CDB decoding, sense data and unit attentions).
 *
 * <p>Thread-safe: the transport calls {@link #execute} concurrently from many connections.
 * {@link #execute} never throws for anything an initiator sends: every failure becomes CHECK
 * CONDITION with sense data.
 */
public interface ScsiCommandSet {

    /**
     * A session entered full feature phase (normal sessions only, not discovery). The command set
     * opens a holder on every exported device for it (so reset/remove of a device in use fails as
     * busy) and sets up its unit-attention state.
     */
    NexusHandle attach(ItNexus nexus);

    /**
     * Executes one command to completion.
     *
     * @param nexus from {@link #attach}
     * @param lun the LUN number decoded from the 8-byte LUN field (SAM-5 single level, 0..16383)
     * @param cdb the command descriptor block (6 to 16 bytes; the transport passes the CDB as the
     *     initiator sent it, trimmed to the PDU's 16 bytes plus any AHS extended CDB)
     * @param dataOut for commands with the W bit: all the data the initiator sent, from position
     *     to limit (the transport has collected immediate, unsolicited and solicited data first);
     *     null when the command carries no data
     * @param dataIn for commands with the R bit: a buffer whose remaining() is the expected data
     *     transfer length; the command writes from its position; null when no data is expected
     */
    ScsiResponse execute(NexusHandle nexus, long lun, byte[] cdb, ByteBuffer dataOut, ByteBuffer dataIn);

    /** Task management LOGICAL UNIT RESET: establishes a reset unit attention for every nexus on that LUN. */
    void logicalUnitReset(NexusHandle requester, long lun);

    /** Task management TARGET WARM RESET / TARGET COLD RESET: a reset unit attention on every LUN for every nexus. */
    void targetReset(NexusHandle requester);

    /** One attached session; closing it releases its device holders. Idempotent. */
    interface NexusHandle extends AutoCloseable {
        ItNexus nexus();

        @Override
        void close();
    }
}
