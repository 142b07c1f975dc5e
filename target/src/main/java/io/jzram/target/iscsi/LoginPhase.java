package io.jzram.target.iscsi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.jscsi.parser.login.LoginStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jzram.target.auth.AccessPolicy;
import io.jzram.target.auth.ChapValues;

/**
 * Drives the login phase of one connection (RFC 7143 §6): reads Login Requests, checks their
 * header (opcode, version, CSG/NSG/T/C, ISID), gathers text spread over several PDUs (C bit,
 * answered with empty responses), lets {@link LoginNegotiator} answer the keys, and moves through
 * the stages SecurityNegotiation (0) → LoginOperationalNegotiation (1) → FullFeaturePhase (3) as
 * the initiator asks with T=1. Skipping a stage is allowed (0 → 3, or starting at 1), except that an
 * initiator the {@link AccessPolicy} makes authenticate cannot leave (or skip) the security stage
 * before it has: we answer T=0 while the CHAP exchange goes on, and reject 02/01 a login that tries
 * to go on without it (see {@link LoginNegotiator#mayTransit}).
 *
 * <p>On the request that enters full feature phase the session is opened (TSIH assigned, a normal
 * session attached to the SCSI layer) before the final response is sent, so that response already
 * carries the TSIH and the session's command window. Any failure is answered with a Login Response
 * carrying the status class/detail (02/00 initiator error, 02/03 not found, 02/07 missing
 * parameter, 02/0B invalid during login, 02/05 unsupported version, 02/01 authentication failure,
 * 02/02 authorization failure, 03/00 target error, ...), after which the caller closes the
 * connection: an initiator is never left waiting. Each reject is logged once here, with the
 * initiator's name, its address and the reason; authentication and authorization failures at WARN.
 * The initiator learns only the status. Neither the log nor the reason ever holds a secret, a
 * CHAP response or a challenge ({@link TextParameters#toString()} hides CHAP_R and CHAP_C in the
 * debug trace of the keys).
 *
 * <p>Runs on the connection's reader thread; the login timeout is enforced by its watchdog, which
 * closes the socket.
 */
final class LoginPhase {
    private static final Logger LOG = LoggerFactory.getLogger(LoginPhase.class);

    /** Opens the session once the login is about to complete. */
    interface SessionOpener {
        IscsiSession open(NegotiatedParameters params, byte[] isid, int tsih, int cmdSn, IscsiConnection conn)
                throws LoginRejectException;
    }

    /** The command window used for ExpCmdSN/MaxCmdSN in login responses. */
    private static final class LoginWindow implements PduWriter.Window {
        volatile int cmdSn;

        @Override
        public int expCmdSn() {
            return cmdSn;
        }

        @Override
        public int maxCmdSn() {
            return cmdSn;
        }
    }

    private final IscsiConnection conn;
    private final PduReader in;
    private final PduWriter out;
    private final LoginNegotiator negotiator;
    private final SessionOpener opener;
    private final LoginWindow window = new LoginWindow();

    private byte[] isid = new byte[6];
    private int tsih;
    private int itt;
    private int stage = -1;

    LoginPhase(IscsiConnection conn, PduReader in, PduWriter out, IscsiServerSettings settings, AccessPolicy policy,
            SessionOpener opener) {
        this.conn = conn;
        this.in = in;
        this.out = out;
        this.negotiator = new LoginNegotiator(settings, policy);
        this.opener = opener;
        out.setWindow(window);
    }

    /** @return the new session, or null if the login failed (already answered) or the peer went away */
    IscsiSession run() throws IOException {
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        boolean first = true;
        while (true) {
            if (!in.readHeader()) {
                return null;
            }
            ByteBuffer h = in.header();
            int opcode = Bhs.opcode(h);
            if (opcode != Bhs.OP_LOGIN_REQ) {
                in.skipData();
                if (first) {
                    long suppressed = conn.troubleLine();
                    if (suppressed >= 0) {
                        LOG.info("{}: first PDU is opcode 0x{}, not a Login Request; closing{}", conn, Integer.toHexString(opcode),
                                LogThrottle.more(suppressed));
                    } else {
                        LOG.debug("{}: first PDU is opcode 0x{}, not a Login Request; closing", conn, Integer.toHexString(opcode));
                    }
                    return null;
                }
                reject(new LoginRejectException(LoginStatus.INVALID_DURING_LOGIN,
                        "opcode 0x" + Integer.toHexString(opcode) + " during login"));
                return null;
            }
            byte[] data = in.readDataBytes();
            int flags = Bhs.flags(h);
            boolean transit = (flags & 0x80) != 0;
            boolean cont = (flags & 0x40) != 0;
            int csg = (flags >>> 2) & 3;
            int nsg = flags & 3;
            int versionMax = h.get(2) & 0xff;
            int versionMin = h.get(3) & 0xff;
            byte[] pduIsid = new byte[6];
            h.get(8, pduIsid);
            itt = h.getInt(Bhs.ITT);
            int cmdSn = h.getInt(Bhs.CMD_SN);
            try {
                if (first) {
                    first = false;
                    isid = pduIsid;
                    tsih = h.getShort(14) & 0xffff;
                    window.cmdSn = cmdSn;
                    if (versionMin > 0 || versionMax < versionMin) {
                        throw new LoginRejectException(LoginStatus.UNSUPPORTED_VERSION,
                                "versions " + versionMin + ".." + versionMax);
                    }
                } else if (!java.util.Arrays.equals(isid, pduIsid)) {
                    throw new LoginRejectException(LoginStatus.INITIATOR_ERROR, "ISID changed during login");
                }
                if (transit && cont) {
                    throw new LoginRejectException(LoginStatus.INITIATOR_ERROR, "T and C both set");
                }
                if (csg == 2 || csg == 3) {
                    throw new LoginRejectException(LoginStatus.INITIATOR_ERROR, "CSG " + csg);
                }
                if (stage == -1) {
                    stage = csg;
                } else if (csg != stage) {
                    throw new LoginRejectException(LoginStatus.INITIATOR_ERROR, "CSG " + csg + " in stage " + stage);
                }
                if (transit && (nsg == 2 || nsg <= csg)) {
                    throw new LoginRejectException(LoginStatus.INITIATOR_ERROR, "NSG " + nsg + " from CSG " + csg);
                }
                pending.write(data);
                if (pending.size() > 64 * 1024) {
                    throw new LoginRejectException(LoginStatus.INITIATOR_ERROR, "login text too long");
                }
                if (cont) {
                    respond(false, 0, tsih, new byte[0]);
                    continue;
                }
                TextParameters keys;
                try {
                    keys = TextParameters.parse(pending.toByteArray());
                } catch (MalformedPduException e) {
                    throw new LoginRejectException(LoginStatus.INITIATOR_ERROR, e.getMessage());
                }
                pending.reset();
                if (!negotiator.identified()) {
                    negotiator.identify(keys);
                    if (tsih != 0) {
                        throw new LoginRejectException(negotiator.discovery() ? LoginStatus.INITIATOR_ERROR
                                : LoginStatus.SESSION_DOSE_NOT_EXIST,
                                "adding connections to a session is not supported (MaxConnections=1)");
                    }
                }
                TextParameters answer = negotiator.negotiate(keys, stage);
                boolean go = negotiator.mayTransit(transit);
                LOG.debug("{}: login stage {} T={} NSG={} keys {} -> T={} {}", conn, stage, transit, nsg, keys, go, answer);
                if (go && nsg == 3) {
                    NegotiatedParameters params = negotiator.result();
                    IscsiSession session = opener.open(params, isid, tsih, window.cmdSn, conn);
                    out.setWindow(session);
                    respond(true, 3, session.tsih, answer.encode());
                    return session;
                }
                if (go) {
                    respond(true, nsg, tsih, answer.encode());
                    stage = nsg;
                } else {
                    respond(false, 0, tsih, answer.encode());
                }
            } catch (LoginRejectException e) {
                reject(e);
                return null;
            }
        }
    }

    private void respond(boolean transit, int nsg, int tsihOut, byte[] text) throws IOException {
        byte[] bhs = TargetPdus.loginResponse(transit, false, Math.max(stage, 0), nsg, isid, tsihOut, itt, 0, 0);
        out.send(List.of(new PduWriter.Out(bhs, text.length == 0 ? null : ByteBuffer.wrap(text), PduWriter.Sn.ADVANCE)));
    }

    private void reject(LoginRejectException e) throws IOException {
        // the one log line of a failed login; the reason never holds a secret or a response
        String who = negotiator.initiatorName() == null ? "an unnamed initiator" : ChapValues.printable(negotiator.initiatorName());
        String status = String.format("%02x/%02x", e.statusClass(), e.statusDetail());
        // Bounded: a client that logs in wrongly in a loop gets 20 lines a minute, the rest counted in the next.
        long suppressed = conn.troubleLine();
        if (suppressed < 0) {
            LOG.debug("{}: login of {} rejected {} ({}): {}", conn, who, status, e.status(), e.getMessage());
        } else if (e.status() == LoginStatus.AUTHENTICATION_FAILURE || e.status() == LoginStatus.AUTHORIZATION_FAILURE) {
            LOG.warn("{}: login of {} rejected {} ({}): {}{}", conn, who, status, e.status(), e.getMessage(), LogThrottle.more(suppressed));
        } else {
            LOG.info("{}: login of {} rejected {} ({}): {}{}", conn, who, status, e.status(), e.getMessage(), LogThrottle.more(suppressed));
        }
        byte[] bhs = TargetPdus.loginResponse(false, false, Math.max(stage, 0), 0, isid, tsih, itt, e.statusClass(),
                e.statusDetail());
        out.send(List.of(new PduWriter.Out(bhs, null, PduWriter.Sn.ADVANCE)));
    }

    String initiatorName() {
        return negotiator.initiatorName();
    }

    /** How the initiator authenticated ("None", "CHAP/MD5", ...). */
    String auth() {
        return negotiator.auth();
    }
}
