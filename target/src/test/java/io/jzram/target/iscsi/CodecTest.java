package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.List;
import java.util.Map;

import org.jscsi.parser.ProtocolDataUnit;
import org.jscsi.parser.ProtocolDataUnitFactory;
import org.jscsi.parser.data.DataInParser;
import org.jscsi.parser.login.LoginResponseParser;
import org.jscsi.parser.login.LoginStage;
import org.jscsi.parser.login.LoginStatus;
import org.jscsi.parser.logout.LogoutResponse;
import org.jscsi.parser.r2t.Ready2TransferParser;
import org.jscsi.parser.reject.RejectParser.ReasonCode;
import org.jscsi.parser.scsi.SCSIResponseParser;
import org.jscsi.parser.scsi.SCSIStatus;
import org.jscsi.parser.tmf.TaskManagementFunctionRequestParser.FunctionCode;
import org.jscsi.parser.tmf.TaskManagementFunctionResponseParser.ResponseCode;
import org.junit.jupiter.api.Test;

import io.jzram.target.iscsi.testinit.TestInitiator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Our PDU encoder against jSCSI's independent parsers, our reader against the test initiator's
 * framing (with and without digests), and the jSCSI constants we rely on against RFC 7143.
 */
class CodecTest {

    /** The test initiator's framing, without a socket. */
    record Framer(boolean digests) {
        byte[] frame(byte[] bhs, byte[] data) {
            return TestInitiator.frame(bhs, data, digests, digests);
        }

        void close() {}
    }

    /** Collects what a PduWriter writes. */
    static final class Sink implements GatheringByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(srcs[i]);
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            bytes.writeBytes(b);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    static final PduWriter.Window WINDOW = new PduWriter.Window() {
        @Override
        public int expCmdSn() {
            return 1000;
        }

        @Override
        public int maxCmdSn() {
            return 1127;
        }
    };

    private static ProtocolDataUnit parse(byte[] wire) throws Exception {
        ProtocolDataUnit pdu = new ProtocolDataUnitFactory().create("None", "None");
        pdu.deserialize(ByteBuffer.wrap(wire));
        return pdu;
    }

    @Test
    void jscsiConstantsMatchRfc7143() {
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_NOP_OUT)).isEqualTo(org.jscsi.parser.OperationCode.NOP_OUT);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_SCSI_CMD)).isEqualTo(org.jscsi.parser.OperationCode.SCSI_COMMAND);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_TMF_REQ)).isEqualTo(org.jscsi.parser.OperationCode.SCSI_TM_REQUEST);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_LOGIN_REQ)).isEqualTo(org.jscsi.parser.OperationCode.LOGIN_REQUEST);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_TEXT_REQ)).isEqualTo(org.jscsi.parser.OperationCode.TEXT_REQUEST);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_DATA_OUT)).isEqualTo(org.jscsi.parser.OperationCode.SCSI_DATA_OUT);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_LOGOUT_REQ)).isEqualTo(org.jscsi.parser.OperationCode.LOGOUT_REQUEST);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_SNACK)).isEqualTo(org.jscsi.parser.OperationCode.SNACK_REQUEST);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_NOP_IN)).isEqualTo(org.jscsi.parser.OperationCode.NOP_IN);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_SCSI_RESP)).isEqualTo(org.jscsi.parser.OperationCode.SCSI_RESPONSE);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_TMF_RESP)).isEqualTo(org.jscsi.parser.OperationCode.SCSI_TM_RESPONSE);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_LOGIN_RESP)).isEqualTo(org.jscsi.parser.OperationCode.LOGIN_RESPONSE);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_TEXT_RESP)).isEqualTo(org.jscsi.parser.OperationCode.TEXT_RESPONSE);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_DATA_IN)).isEqualTo(org.jscsi.parser.OperationCode.SCSI_DATA_IN);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_LOGOUT_RESP)).isEqualTo(org.jscsi.parser.OperationCode.LOGOUT_RESPONSE);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_R2T)).isEqualTo(org.jscsi.parser.OperationCode.R2T);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_ASYNC)).isEqualTo(org.jscsi.parser.OperationCode.ASYNC_MESSAGE);
        assertThat(org.jscsi.parser.OperationCode.valueOf((byte) Bhs.OP_REJECT)).isEqualTo(org.jscsi.parser.OperationCode.REJECT);
        assertThat(LoginStatus.NOT_FOUND.value()).isEqualTo((short) 0x0203);
        assertThat(LoginStatus.MISSING_PARAMETER.value()).isEqualTo((short) 0x0207);
        assertThat(LoginStatus.INVALID_DURING_LOGIN.value()).isEqualTo((short) 0x020b);
        assertThat(LoginStatus.INITIATOR_ERROR.value()).isEqualTo((short) 0x0200);
        assertThat(LoginStatus.AUTHENTICATION_FAILURE.value()).isEqualTo((short) 0x0201);
        assertThat(LoginStatus.UNSUPPORTED_VERSION.value()).isEqualTo((short) 0x0205);
        assertThat(LoginStatus.SESSION_TYPE_NOT_SUPPORTED.value()).isEqualTo((short) 0x0209);
        assertThat(LoginStatus.SESSION_DOSE_NOT_EXIST.value()).isEqualTo((short) 0x020a);
        assertThat(LoginStatus.TARGET_ERROR.value()).isEqualTo((short) 0x0300);
        assertThat(LoginStatus.SERVICE_UNAVAILABLE.value()).isEqualTo((short) 0x0301);
        assertThat(LoginStatus.OUT_OF_RESOURCES.value()).isEqualTo((short) 0x0302);
        assertThat(FunctionCode.valueOf((byte) 1)).isEqualTo(FunctionCode.ABORT_TASK);
        assertThat(FunctionCode.valueOf((byte) 2)).isEqualTo(FunctionCode.ABORT_TASK_SET);
        assertThat(FunctionCode.valueOf((byte) 3)).isEqualTo(FunctionCode.CLEAR_ACA);
        assertThat(FunctionCode.valueOf((byte) 4)).isEqualTo(FunctionCode.CLEAR_TASK_SET);
        assertThat(FunctionCode.valueOf((byte) 5)).isEqualTo(FunctionCode.LUN_RESET);
        assertThat(FunctionCode.valueOf((byte) 6)).isEqualTo(FunctionCode.TARGET_WARM_RESET);
        assertThat(FunctionCode.valueOf((byte) 7)).isEqualTo(FunctionCode.TARGET_COLD_RESET);
        assertThat(FunctionCode.valueOf((byte) 8)).isEqualTo(FunctionCode.TASK_REASSIGN);
        assertThat(ResponseCode.FUNCTION_COMPLETE.value()).isEqualTo((byte) 0);
        assertThat(ResponseCode.TASK_DOES_NOT_EXIST.value()).isEqualTo((byte) 1);
        assertThat(ResponseCode.TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED.value()).isEqualTo((byte) 4);
        assertThat(ResponseCode.TASK_MANAGEMENT_FUNCTION_NOT_SUPPORTED.value()).isEqualTo((byte) 5);
        assertThat(ResponseCode.FUNCTION_REJECTED.value()).isEqualTo((byte) 0xff);
        assertThat(ReasonCode.DATA_DIGEST_ERROR.value()).isEqualTo((byte) 2);
        assertThat(ReasonCode.PROTOCOL_ERROR.value()).isEqualTo((byte) 4);
        assertThat(ReasonCode.COMMAND_NOT_SUPPORTED.value()).isEqualTo((byte) 5);
        assertThat(ReasonCode.INVALID_PDU_FIELD.value()).isEqualTo((byte) 9);
        assertThat(ReasonCode.IMMEDIATE_COMMAND_REJECT.value()).isEqualTo((byte) 6);
        assertThat(LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY.value()).isEqualTo((byte) 0);
        assertThat(LogoutResponse.CONNECTION_RECOVERY_NOT_SUPPORTED.value()).isEqualTo((byte) 2);
    }

    @Test
    void ourTargetPdusParseWithJscsi() throws Exception {
        Sink sink = new Sink();
        PduWriter w = new PduWriter(sink, 77, WINDOW);
        // a Data-In with phase collapse and underflow
        byte[] data = new byte[1000];
        w.send(TargetPdus.dataIn(true, 0, TargetPdus.RESIDUAL_UNDERFLOW, 24, 0, 0x1234, 3, 4096),
                ByteBuffer.wrap(data), PduWriter.Sn.ADVANCE);
        ProtocolDataUnit pdu = parse(sink.bytes.toByteArray());
        DataInParser din = (DataInParser) pdu.getBasicHeaderSegment().getParser();
        assertThat(pdu.getBasicHeaderSegment().getInitiatorTaskTag()).isEqualTo(0x1234);
        assertThat(pdu.getBasicHeaderSegment().getDataSegmentLength()).isEqualTo(1000);
        assertThat(din.isStatusFlag()).isTrue();
        assertThat(din.getStatus()).isEqualTo(SCSIStatus.GOOD);
        assertThat(din.isResidualUnderflow()).isTrue();
        assertThat(din.getResidualCount()).isEqualTo(24);
        assertThat(din.getDataSequenceNumber()).isEqualTo(3);
        assertThat(din.getBufferOffset()).isEqualTo(4096);
        assertThat(din.getStatusSequenceNumber()).isEqualTo(77);
        assertThat(din.getExpectedCommandSequenceNumber()).isEqualTo(1000);
        assertThat(din.getMaximumCommandSequenceNumber()).isEqualTo(1127);

        // a SCSI Response with sense data
        sink.bytes.reset();
        byte[] sense = new byte[18];
        sense[0] = 0x70;
        ByteBuffer senseData = ByteBuffer.allocate(20).putShort((short) 18).put(sense).flip();
        w.send(TargetPdus.scsiResponse(0, 2, TargetPdus.RESIDUAL_OVERFLOW, 5, 0x99, 7), senseData, PduWriter.Sn.ADVANCE);
        pdu = parse(sink.bytes.toByteArray());
        SCSIResponseParser resp = (SCSIResponseParser) pdu.getBasicHeaderSegment().getParser();
        assertThat(resp.getStatus()).isEqualTo(SCSIStatus.CHECK_CONDITION);
        assertThat(resp.isResidualOverflow()).isTrue();
        assertThat(resp.getResidualCount()).isEqualTo(5);
        assertThat(resp.getExpectedDataSequenceNumber()).isEqualTo(7);
        assertThat(resp.getStatusSequenceNumber()).isEqualTo(78);
        assertThat(pdu.getBasicHeaderSegment().getDataSegmentLength()).isEqualTo(20);

        // an R2T peeks at the StatSN without taking it
        sink.bytes.reset();
        w.send(TargetPdus.r2t(0, 0x55, 0x66, 2, 65536, 131072), null, PduWriter.Sn.PEEK);
        pdu = parse(sink.bytes.toByteArray());
        Ready2TransferParser r2t = (Ready2TransferParser) pdu.getBasicHeaderSegment().getParser();
        assertThat(r2t.getTargetTransferTag()).isEqualTo(0x66);
        assertThat(r2t.getReady2TransferSequenceNumber()).isEqualTo(2);
        assertThat(r2t.getBufferOffset()).isEqualTo(65536);
        assertThat(r2t.getDesiredDataTransferLength()).isEqualTo(131072);
        assertThat(r2t.getStatusSequenceNumber()).isEqualTo(79);
        assertThat(w.nextStatSn()).isEqualTo(79);

        // a Login Response
        sink.bytes.reset();
        byte[] isid = {(byte) 0x80, 1, 2, 3, 4, 5};
        byte[] text = TextParameters.of(Map.of("MaxRecvDataSegmentLength", "262144")).encode();
        w.send(TargetPdus.loginResponse(true, false, 1, 3, isid, 9, 0x10, 0, 0), ByteBuffer.wrap(text),
                PduWriter.Sn.ADVANCE);
        pdu = parse(sink.bytes.toByteArray());
        LoginResponseParser login = (LoginResponseParser) pdu.getBasicHeaderSegment().getParser();
        assertThat(login.getStatus()).isEqualTo(LoginStatus.SUCCESS);
        assertThat(login.getCurrentStageNumber()).isEqualTo(LoginStage.LOGIN_OPERATIONAL_NEGOTIATION);
        assertThat(login.getNextStageNumber()).isEqualTo(LoginStage.FULL_FEATURE_PHASE);
        assertThat(login.getTargetSessionIdentifyingHandle()).isEqualTo((short) 9);
        assertThat(pdu.getBasicHeaderSegment().isFinalFlag()).isTrue();
    }

    /** A channel over bytes, handing out at most {@code chunk} bytes per read (to exercise partial reads). */
    static ScatteringByteChannel channel(byte[] bytes, int chunk) {
        ReadableByteChannel base = Channels.newChannel(new java.io.ByteArrayInputStream(bytes));
        return new ScatteringByteChannel() {
            @Override
            public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
                for (int i = offset; i < offset + length; i++) {
                    if (dsts[i].hasRemaining()) {
                        return read(dsts[i]);
                    }
                }
                return 0;
            }

            @Override
            public long read(ByteBuffer[] dsts) throws IOException {
                return read(dsts, 0, dsts.length);
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                ByteBuffer limited = dst.slice(dst.position(), Math.min(chunk, dst.remaining()));
                int n = base.read(limited);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
    }

    @Property(tries = 60)
    void readerAcceptsWhatTheTestInitiatorFrames(@ForAll @IntRange(min = 0, max = 70000) int length,
            @ForAll boolean digests, @ForAll @IntRange(min = 1, max = 9000) int chunk) throws Exception {
        Framer framer = new Framer(digests);
        byte[] bhs = new byte[48];
        bhs[0] = 0x05;
        bhs[1] = (byte) 0x80;
        ByteBuffer.wrap(bhs).putInt(16, 42).putInt(40, 4096);
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        byte[] wire = framer.frame(bhs, data);
        byte[] twice = new byte[wire.length * 2];
        System.arraycopy(wire, 0, twice, 0, wire.length);
        System.arraycopy(wire, 0, twice, wire.length, wire.length);
        PduReader r = new PduReader(channel(twice, chunk), 1 << 20);
        r.setDigests(digests, digests);
        for (int round = 0; round < 2; round++) {
            assertThat(r.readHeader()).isTrue();
            assertThat(Bhs.opcode(r.header())).isEqualTo(0x05);
            assertThat(r.header().getInt(Bhs.ITT)).isEqualTo(42);
            assertThat(r.dataLength()).isEqualTo(length);
            ByteBuffer dst = ByteBuffer.allocateDirect(length + 10);
            dst.position(5);
            r.readData(dst);
            assertThat(dst.position()).isEqualTo(5 + length);
            byte[] got = new byte[length];
            dst.get(5, got);
            assertThat(got).isEqualTo(data);
        }
        assertThat(r.readHeader()).isFalse();
        assertThat(r.bytesRead()).isEqualTo(twice.length);
        framer.close();
    }

    @Test
    void readerRejectsCorruptDigestsAndOversizeSegments() throws Exception {
        Framer framer = new Framer(true);
        byte[] bhs = new byte[48];
        bhs[0] = 0x00;
        byte[] wire = framer.frame(bhs, new byte[] {1, 2, 3, 4, 5});
        byte[] badData = wire.clone();
        badData[badData.length - 2] ^= 1;
        PduReader r = new PduReader(channel(badData, 100), 1 << 20);
        r.setDigests(true, true);
        assertThat(r.readHeader()).isTrue();
        assertThatThrownBy(r::readDataBytes).isInstanceOfSatisfying(MalformedPduException.class,
                e -> assertThat(e.kind()).isEqualTo(MalformedPduException.Kind.DATA_DIGEST));
        byte[] badHeader = wire.clone();
        badHeader[10] ^= 1;
        PduReader r2 = new PduReader(channel(badHeader, 100), 1 << 20);
        r2.setDigests(true, true);
        assertThatThrownBy(r2::readHeader).isInstanceOfSatisfying(MalformedPduException.class,
                e -> assertThat(e.kind()).isEqualTo(MalformedPduException.Kind.HEADER_DIGEST));
        PduReader r3 = new PduReader(channel(wire, 100), 4);
        r3.setDigests(true, true);
        assertThatThrownBy(r3::readHeader).isInstanceOfSatisfying(MalformedPduException.class,
                e -> assertThat(e.kind()).isEqualTo(MalformedPduException.Kind.OVERSIZE));
        PduReader r4 = new PduReader(channel(java.util.Arrays.copyOf(wire, 30), 100), 1 << 20);
        assertThatThrownBy(r4::readHeader).isInstanceOf(java.io.EOFException.class);
        framer.close();
    }

    @Test
    void writerDigestsAreWhatTheTestInitiatorExpects() throws Exception {
        Sink sink = new Sink();
        PduWriter w = new PduWriter(sink, 1, WINDOW);
        w.setDigests(true, true);
        byte[] data = {9, 8, 7, 6, 5, 4, 3};
        w.send(List.of(new PduWriter.Out(TargetPdus.nopIn(0, 5, -1), ByteBuffer.wrap(data), PduWriter.Sn.ADVANCE),
                new PduWriter.Out(TargetPdus.nopIn(0, 6, -1), null, PduWriter.Sn.ADVANCE)));
        byte[] wire = sink.bytes.toByteArray();
        assertThat(wire).hasSize(48 + 4 + 8 + 4 + 48 + 4);
        Framer framer = new Framer(true);
        byte[] bhs = java.util.Arrays.copyOf(wire, 48);
        byte[] expected = framer.frame(bhs, data);
        assertThat(java.util.Arrays.copyOf(wire, expected.length)).isEqualTo(expected);
        assertThat(ByteBuffer.wrap(wire, expected.length + 24, 4).getInt()).isEqualTo(2); // second StatSN
        framer.close();
        assertThat(IscsiServer.compactIpv6(new byte[16])).isEqualTo("::");
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 1;
        assertThat(IscsiServer.compactIpv6(v6)).isEqualTo("2001::1");
    }
}
