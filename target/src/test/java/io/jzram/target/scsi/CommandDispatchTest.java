package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramException;
import io.jzram.target.scsi.ScsiHarness.Result;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dispatch, the simple commands, and how failures become CHECK CONDITION. */
class CommandDispatchTest {
    private ScsiHarness h;
    private ScsiCommandSet.NexusHandle nexus;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScsiHarness();
        h.addDevice(MIB);
        nexus = h.loginClean();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    @Test
    void testUnitReadyOnAReadyDevice() {
        h.exec(nexus, 0, Cdbs.testUnitReady()).assertGood();
    }

    @Test
    void unknownOpcodeIsInvalidCommandOperationCode() {
        Result r = h.exec(nexus, 0, new byte[] {(byte) 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) // COMPARE AND WRITE
                .assertCheck("05/20/00");
        assertThat(r.fieldPointer()).isEqualTo("cdb:0");
        h.exec(nexus, 0, new byte[] {0x7F, 0, 0, 0, 0, 0, 0, 0x10}).assertCheck("05/20/00");
        h.exec(nexus, 0, new byte[] {0x04, 0, 0, 0, 0, 0}).assertCheck("05/20/00"); // FORMAT UNIT
    }

    @Test
    void nacaIsNotSupported() {
        byte[] cdb = Cdbs.testUnitReady();
        cdb[5] = 0x04;
        assertThat(h.exec(nexus, 0, cdb).assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:5.2");

        byte[] inquiry = Cdbs.inquiry(false, 0, 36);
        inquiry[5] = 0x04;
        h.exec(nexus, 0, inquiry, null, 36).assertCheck("05/24/00");
    }

    @Test
    void cdbShorterThanItsGroupCodeSaysIsAnInvalidField() {
        h.exec(nexus, 0, new byte[] {0x28, 0, 0, 0, 0, 0}, null, 512).assertCheck("05/24/00");
        h.exec(nexus, 0, new byte[0]).assertCheck("05/24/00");
        h.exec(nexus, 0, (byte[]) null).assertCheck("05/24/00");
    }

    @Test
    void startStopUnitAndPreventAllowMediumRemovalSucceedWithoutEffect() {
        h.exec(nexus, 0, Cdbs.startStopUnit(false)).assertGood();
        h.exec(nexus, 0, Cdbs.testUnitReady()).assertGood();
        h.exec(nexus, 0, Cdbs.startStopUnit(true)).assertGood();
        h.exec(nexus, 0, Cdbs.preventAllowMediumRemoval(true)).assertGood();
        h.exec(nexus, 0, Cdbs.preventAllowMediumRemoval(false)).assertGood();
    }

    @Test
    void requestSenseWithNothingPendingIsNoSense() {
        Result r = h.exec(nexus, 0, Cdbs.requestSense(8), null, 18).assertGood();

        assertThat(r.data()).hasSize(8);
        assertThat(r.data()[0] & 0x7F).isEqualTo(0x70);
        assertThat(r.data()[2] & 0x0F).isZero();
    }

    @Test
    void requestSenseInDescriptorFormatIsNotSupported() {
        byte[] cdb = Cdbs.requestSense(252);
        cdb[1] = 1;

        h.exec(nexus, 0, cdb, null, 252).assertCheck("05/24/00");
    }

    @Test
    void reportSupportedOperationCodesAsLinuxAsksForWriteSame() {
        Result ws16 = h.exec(nexus, 0, Cdbs.reportSupportedOpcodes(1, 0x93, 0, 512), null, 512).assertGood();
        assertThat(ws16.data()[1] & 0x03).isEqualTo(3);
        Result ws10 = h.exec(nexus, 0, Cdbs.reportSupportedOpcodes(1, 0x41, 0, 512), null, 512).assertGood();
        assertThat(ws10.data()[1] & 0x03).isEqualTo(3);

        Result all = h.exec(nexus, 0, Cdbs.reportSupportedOpcodes(0, 0, 0, 8), null, 512).assertGood();
        assertThat(all.data()).hasSize(8);
        assertThat(Cdb.u32(all.data(), 0)).isEqualTo(8L * SupportedOpcodes.COMMANDS.size());

        byte[] otherSa = Cdbs.reportSupportedOpcodes(0, 0, 0, 512);
        otherSa[1] = 0x0D; // REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS
        h.exec(nexus, 0, otherSa, null, 512).assertCheck("05/24/00");
    }

    @Test
    void deviceFailuresMapToTheirSenseCodes() {
        ZramCommandSet t = h.target;
        assertThat(SenseData.describe(t.fromDeviceFailure(fail(ZramException.Reason.NOT_INITIALIZED), 0x28).sense()))
                .isEqualTo("02/04/03");
        assertThat(SenseData.describe(t.fromDeviceFailure(fail(ZramException.Reason.OUT_OF_RANGE), 0x28).sense()))
                .isEqualTo("05/21/00");
        assertThat(SenseData.describe(t.fromDeviceFailure(fail(ZramException.Reason.NO_SPACE), 0x2A).sense()))
                .isEqualTo("07/27/07");
        assertThat(SenseData.describe(t.fromDeviceFailure(fail(ZramException.Reason.READ_FAILED), 0x28).sense()))
                .isEqualTo("03/11/00");
        assertThat(SenseData.describe(t.fromDeviceFailure(fail(ZramException.Reason.TIMED_OUT), 0x28).sense()))
                .isEqualTo("04/44/00");
        assertThat(t.fromDeviceFailure(fail(ZramException.Reason.BUSY), 0x28).status()).isEqualTo(ScsiResponse.BUSY);
    }

    private static ZramException fail(ZramException.Reason reason) {
        return new ZramException(reason, "test");
    }

    @Test
    void anUnexpectedExceptionBecomesInternalTargetFailureAndIsNotPropagated() {
        ScsiCommandSet.NexusHandle foreign = new ScsiCommandSet.NexusHandle() {
            @Override
            public ItNexus nexus() {
                return null;
            }

            @Override
            public void close() {}
        };

        ScsiResponse r = h.target.execute(foreign, 0, Cdbs.testUnitReady(), null, null);

        assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
        assertThat(SenseData.describe(r.sense())).isEqualTo("04/44/00");
        ScsiResponse again = h.target.execute(foreign, 0, Cdbs.read10(0, 1), null, ByteBuffer.allocate(512));
        assertThat(SenseData.describe(again.sense())).isEqualTo("04/44/00");
    }

    @Test
    void aClosedNexusHasNoLuns() {
        nexus.close();

        h.exec(nexus, 0, Cdbs.testUnitReady()).assertCheck("05/25/00");
    }
}
