package io.jzram.target.iscsi;

/**
 * The outcome of one login's operational negotiation (RFC 7143 §13), fixed for the connection's
 * and session's life once the login completes.
 *
 * @param initiatorMaxRecvDataSegmentLength the initiator's declared limit: every PDU we send carries at most this much data
 * @param targetMaxRecvDataSegmentLength our declared limit: what we accept
 * @param auth how the initiator authenticated: "None", "CHAP/MD5", "CHAP/SHA-256 mutual", ...
 */
record NegotiatedParameters(
        boolean discovery,
        String initiatorName,
        String initiatorAlias,
        String targetName,
        boolean headerDigest,
        boolean dataDigest,
        int initiatorMaxRecvDataSegmentLength,
        int targetMaxRecvDataSegmentLength,
        int maxBurstLength,
        int firstBurstLength,
        boolean immediateData,
        boolean initialR2t,
        int maxOutstandingR2t,
        int maxConnections,
        int defaultTime2Wait,
        int defaultTime2Retain,
        int errorRecoveryLevel,
        String auth) {}
