package io.jzram.target.scsi;

import io.jzram.target.scsi.PersistentReservations.Effects;
import io.jzram.target.scsi.PersistentReservations.Outcome;
import io.jzram.target.scsi.PersistentReservations.Type;
import java.nio.ByteBuffer;

/**
 * The CDBs and parameter lists of PERSISTENT RESERVE IN (5Eh), PERSISTENT RESERVE OUT (5Fh),
 * RESERVE(6)/(10) (16h/56h) and RELEASE(6)/(10) (17h/57h) (SPC-4; SPC-2 for RESERVE/RELEASE),
 * decoded and checked here and carried out by the LU's {@link PersistentReservations}.
 *
 * <p>Order of checks: service action, then the CDB's SCOPE and TYPE for the service actions that
 * use them (05/24/00), the parameter list length (05/1A/00), the parameter list's fields (APTPL=1
 * and SPEC_I_PT=1 are refused with 05/26/00: nothing is persisted across a restart, and
 * registering other I_T nexuses is not offered), then the reservation rules, which end in GOOD or
 * RESERVATION CONFLICT. An SPC-2 reservation of another I_T nexus makes PERSISTENT RESERVE IN and
 * OUT conflict before anything else.
 */
final class ReservationCommands {
    private ReservationCommands() {}

    static final int PR_IN = 0x5E;
    static final int PR_OUT = 0x5F;
    static final int RESERVE_6 = 0x16;
    static final int RELEASE_6 = 0x17;
    static final int RESERVE_10 = 0x56;
    static final int RELEASE_10 = 0x57;

    /** PERSISTENT RESERVE IN service actions. */
    static final int READ_KEYS = 0x00;
    static final int READ_RESERVATION = 0x01;
    static final int REPORT_CAPABILITIES = 0x02;
    static final int READ_FULL_STATUS = 0x03;

    /** PERSISTENT RESERVE OUT service actions. */
    static final int REGISTER = 0x00;
    static final int RESERVE = 0x01;
    static final int RELEASE = 0x02;
    static final int CLEAR = 0x03;
    static final int PREEMPT = 0x04;
    static final int PREEMPT_AND_ABORT = 0x05;
    static final int REGISTER_AND_IGNORE = 0x06;
    static final int REGISTER_AND_MOVE = 0x07;

    /** The basic PERSISTENT RESERVE OUT parameter list is exactly this long. */
    static final int BASIC_LIST_LENGTH = 24;

    /** Carries out the unit attentions and waits a change asks for, outside the reservation lock. */
    interface EffectSink {
        void apply(Effects effects);
    }

    static ScsiResponse persistentReserveIn(PersistentReservations pr, InitiatorPort port, byte[] cdb, ByteBuffer dataIn) {
        if (pr.heldByOtherSpc2(port)) {
            return Responses.RESERVATION_CONFLICT;
        }
        int allocation = Cdb.u16(cdb, 7);
        byte[] data = switch (cdb[1] & 0x1F) {
            case READ_KEYS -> pr.readKeys();
            case READ_RESERVATION -> pr.readReservation();
            case REPORT_CAPABILITIES -> PersistentReservations.reportCapabilities();
            case READ_FULL_STATUS -> pr.readFullStatus();
            default -> throw ScsiError.invalidFieldInCdb(1, 4);
        };
        return Responses.data(dataIn, data, allocation);
    }

    static ScsiResponse persistentReserveOut(PersistentReservations pr, InitiatorPort port, byte[] cdb,
            ByteBuffer dataOut, EffectSink sink) {
        if (pr.heldByOtherSpc2(port)) {
            return Responses.RESERVATION_CONFLICT;
        }
        int action = cdb[1] & 0x1F;
        if (action > REGISTER_AND_MOVE) {
            throw ScsiError.invalidFieldInCdb(1, 4);
        }
        int scope = (cdb[2] >>> 4) & 0x0F;
        Type type = Type.of(cdb[2] & 0x0F);
        boolean usesType = action == RESERVE || action == RELEASE || action == PREEMPT || action == PREEMPT_AND_ABORT
                || action == REGISTER_AND_MOVE;
        if (usesType && scope != 0) {
            throw ScsiError.invalidFieldInCdb(2, 7); // SCOPE: only LU_SCOPE
        }
        if (usesType && type == null && action != REGISTER_AND_MOVE) {
            throw ScsiError.invalidFieldInCdb(2, 3); // TYPE
        }
        long listLength = Cdb.u32(cdb, 5);
        int available = dataOut == null ? 0 : dataOut.remaining();
        if (action == REGISTER_AND_MOVE ? listLength < BASIC_LIST_LENGTH : listLength != BASIC_LIST_LENGTH) {
            throw ScsiError.parameterListLength();
        }
        if (available < listLength) {
            throw ScsiError.parameterListLength();
        }
        byte[] list = new byte[(int) listLength];
        dataOut.get(dataOut.position(), list);
        long key = Cdb.u64(list, 0);
        long sark = Cdb.u64(list, 8);
        Effects fx = Effects.none();
        Outcome outcome;
        if (action == REGISTER_AND_MOVE) {
            if ((list[17] & 0x01) != 0) {
                throw ScsiError.invalidFieldInParameterList(17, 0); // APTPL
            }
            boolean unregister = (list[17] & 0x02) != 0;
            if (Cdb.u16(list, 18) != 1) {
                throw ScsiError.invalidFieldInParameterList(18, -1); // RELATIVE TARGET PORT IDENTIFIER: ours is 1
            }
            long tidLength = Cdb.u32(list, 20);
            if (BASIC_LIST_LENGTH + tidLength > listLength) {
                throw ScsiError.parameterListLength();
            }
            InitiatorPort destination = InitiatorPort.parseTransportId(list, BASIC_LIST_LENGTH, (int) tidLength);
            outcome = pr.registerAndMove(port, key, sark, destination, unregister);
        } else {
            int flags = list[20] & 0xFF;
            if ((flags & 0x01) != 0) {
                throw ScsiError.invalidFieldInParameterList(20, 0); // APTPL: a RAM disk persists nothing
            }
            if ((flags & 0x08) != 0) {
                throw ScsiError.invalidFieldInParameterList(20, 3); // SPEC_I_PT: not offered (SIP_C=0)
            }
            // ALL_TG_PT (bit 2) is accepted for REGISTER and ignored elsewhere: there is one target port.
            outcome = switch (action) {
                case REGISTER -> pr.register(port, key, sark, false, fx);
                case REGISTER_AND_IGNORE -> pr.register(port, key, sark, true, fx);
                case RESERVE -> pr.reserve(port, key, type);
                case RELEASE -> pr.release(port, key, type, fx);
                case CLEAR -> pr.clear(port, key, fx);
                case PREEMPT -> pr.preempt(port, key, sark, type, false, fx);
                case PREEMPT_AND_ABORT -> pr.preempt(port, key, sark, type, true, fx);
                default -> throw new IllegalStateException("service action " + action);
            };
        }
        sink.apply(fx);
        return outcome == Outcome.GOOD ? Responses.goodAfterDataOut(listLength) : Responses.RESERVATION_CONFLICT;
    }

    /**
     * RESERVE(6)/(10) and RELEASE(6)/(10): the whole LU for this I_T nexus. Third-party
     * reservations (the 10-byte forms' 3RDPTY bit) and the obsolete extent reservations are
     * refused with 05/24/00.
     */
    static ScsiResponse reserveOrRelease(PersistentReservations pr, InitiatorPort port, byte[] cdb) {
        int op = cdb[0] & 0xFF;
        if ((op == RESERVE_10 || op == RELEASE_10) && (cdb[1] & 0x10) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 4); // 3RDPTY
        }
        if ((op == RESERVE_6 || op == RELEASE_6) && (cdb[1] & 0x01) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 0); // extent reservations (obsolete)
        }
        Outcome outcome = op == RESERVE_6 || op == RESERVE_10 ? pr.reserveSpc2(port) : pr.releaseSpc2(port);
        return outcome == Outcome.GOOD ? Responses.GOOD : Responses.RESERVATION_CONFLICT;
    }
}
