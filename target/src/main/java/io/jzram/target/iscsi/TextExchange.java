package io.jzram.target.iscsi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Text Request / Text Response in full feature phase (RFC 7143 §11.10–11.11), mainly
 * {@code SendTargets} for discovery.
 *
 * <p>Both directions may span PDUs. A request with C=1 is collected and answered with an empty
 * response until the last part arrives. An answer longer than the initiator's
 * MaxRecvDataSegmentLength goes out in parts with C=1 and a target transfer tag; the initiator asks
 * for each next part with an empty request carrying that tag. A new request (TTT 0xffffffff)
 * cancels any unfinished exchange.
 *
 * <p>Reader thread only.
 */
final class TextExchange {
    private static final int MAX_REQUEST = 64 * 1024;

    private final IscsiConnection conn;
    private final IscsiSession session;
    private final String targetName;
    private final Supplier<List<String>> targetAddresses;

    private final ByteArrayOutputStream request = new ByteArrayOutputStream();
    private byte[] answer;
    private int answerOffset;
    private int ttt;
    private int nextTtt = 0x40000000;

    TextExchange(IscsiConnection conn, IscsiSession session, String targetName, Supplier<List<String>> targetAddresses) {
        this.conn = conn;
        this.session = session;
        this.targetName = targetName;
        this.targetAddresses = targetAddresses;
    }

    void onRequest(ByteBuffer h, byte[] data) throws IOException {
        int flags = Bhs.flags(h);
        boolean fin = (flags & 0x80) != 0;
        boolean cont = (flags & 0x40) != 0;
        int itt = h.getInt(Bhs.ITT);
        int reqTtt = h.getInt(Bhs.TTT);
        long lun = Bhs.rawLun(h);

        if (reqTtt != Bhs.RESERVED_TAG && answer != null && reqTtt == ttt) {
            sendPart(itt, lun);
            return;
        }
        answer = null;
        if (request.size() + data.length > MAX_REQUEST) {
            request.reset();
            conn.reject(org.jscsi.parser.reject.RejectParser.ReasonCode.PROTOCOL_ERROR, h);
            return;
        }
        request.write(data);
        if (cont || !fin) {
            // more of the request to come: acknowledge with an empty response
            int tag = newTtt();
            conn.send(List.of(new PduWriter.Out(TargetPdus.textResponse(false, false, lun, itt, tag), null,
                    PduWriter.Sn.ADVANCE)));
            return;
        }
        TextParameters keys;
        try {
            keys = TextParameters.parse(request.toByteArray());
        } catch (MalformedPduException e) {
            request.reset();
            conn.reject(org.jscsi.parser.reject.RejectParser.ReasonCode.PROTOCOL_ERROR, h);
            return;
        }
        request.reset();
        TextParameters reply = new TextParameters();
        for (TextParameters.Pair p : keys.pairs()) {
            if (p.key().equals("SendTargets")) {
                String v = p.value();
                boolean all = v.equals("All");
                boolean ours = v.equals(targetName) || (v.isEmpty() && !session.discovery());
                if (all || ours) {
                    reply.add("TargetName", targetName);
                    for (String a : targetAddresses.get()) {
                        reply.add("TargetAddress", a);
                    }
                }
            } else {
                reply.add(p.key(), "NotUnderstood");
            }
        }
        answer = reply.encode();
        answerOffset = 0;
        ttt = Bhs.RESERVED_TAG;
        sendPart(itt, lun);
    }

    private void sendPart(int itt, long lun) throws IOException {
        int max = session.params.initiatorMaxRecvDataSegmentLength();
        int len = Math.min(max, answer.length - answerOffset);
        boolean last = answerOffset + len == answer.length;
        byte[] part = Arrays.copyOfRange(answer, answerOffset, answerOffset + len);
        answerOffset += len;
        int tag = last ? Bhs.RESERVED_TAG : newTtt();
        ttt = tag;
        conn.send(List.of(new PduWriter.Out(TargetPdus.textResponse(last, !last, lun, itt, tag),
                part.length == 0 ? null : ByteBuffer.wrap(part), PduWriter.Sn.ADVANCE)));
        if (last) {
            answer = null;
        }
    }

    private int newTtt() {
        int t = nextTtt++;
        if (nextTtt >= 0x7fffffff) {
            nextTtt = 0x40000000;
        }
        return t;
    }
}
