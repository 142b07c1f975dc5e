package io.jzram.target.iscsi;

import java.io.IOException;

/** A PDU the connection cannot go on from: the connection is closed (after a Reject where the RFC asks for one). */
final class MalformedPduException extends IOException {
    enum Kind {
        /** Header digest mismatch: the header cannot be trusted, close without answering. */
        HEADER_DIGEST,
        /** Data digest mismatch: Reject (reason 0x02), then close (ErrorRecoveryLevel 0). */
        DATA_DIGEST,
        /** Data segment longer than our MaxRecvDataSegmentLength: Reject (protocol error), then close. */
        OVERSIZE,
        /** Any other impossible field: Reject (protocol error or invalid PDU field), then close. */
        PROTOCOL
    }

    private final Kind kind;

    MalformedPduException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
