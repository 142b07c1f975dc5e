package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.target.scsi.ScsiHarness.Result;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When unit attentions are established, what they block, and when they are cleared. */
class UnitAttentionLifecycleTest {
    private ScsiHarness h;

    @BeforeEach
    void setUp() {
        h = new ScsiHarness();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private Result tur(ScsiCommandSet.NexusHandle n, int lun) {
        return h.exec(n, lun, Cdbs.testUnitReady());
    }

    @Test
    void aNewNexusGetsAResetUnitAttentionOnEveryLunOnce() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        tur(n, 0).assertCheck("06/29/00");
        tur(n, 0).assertGood();
        tur(n, 1).assertCheck("06/29/00");
        tur(n, 1).assertGood();
    }

    @Test
    void reLoginOfTheSamePortGetsItAgainAndOtherNexusesAreNotDisturbed() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle first = h.login(ScsiHarness.INITIATOR, "400001370000");
        ScsiCommandSet.NexusHandle other = h.login("iqn.1993-08.org.debian:01:other", "400001370000");
        tur(first, 0).assertCheck("06/29/00");
        tur(other, 0).assertCheck("06/29/00");
        first.close();

        ScsiCommandSet.NexusHandle again = h.login(ScsiHarness.INITIATOR, "400001370000");

        tur(again, 0).assertCheck("06/29/00");
        tur(again, 0).assertGood();
        tur(other, 0).assertGood();
    }

    @Test
    void unitAttentionPreemptsTheCommandButNotInquiryReportLunsOrRequestSense() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        h.exec(n, 0, Cdbs.inquiry(false, 0, 36), null, 36).assertGood();
        h.exec(n, 0, Cdbs.reportLuns(0, 64), null, 64).assertGood();
        h.exec(n, 0, Cdbs.read10(0, 1), null, 512).assertCheck("06/29/00");
        h.exec(n, 0, Cdbs.read10(0, 1), null, 512).assertGood();
    }

    @Test
    void unitAttentionComesBeforeAnInvalidOpcode() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        h.exec(n, 0, new byte[] {(byte) 0xC5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).assertCheck("06/29/00");
        h.exec(n, 0, new byte[] {(byte) 0xC5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).assertCheck("05/20/00");
    }

    @Test
    void requestSenseReturnsAndClearsThePendingUnitAttention() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        Result r = h.exec(n, 0, Cdbs.requestSense(252), null, 252).assertGood();
        assertThat(r.data()).hasSize(18);
        assertThat(SenseData.describe(r.data())).isEqualTo("06/29/00");

        assertThat(SenseData.describe(h.exec(n, 0, Cdbs.requestSense(18), null, 18).data())).isEqualTo("00/00/00");
        tur(n, 0).assertGood();
    }

    @Test
    void requestSenseWithAllocationLengthZeroClearsNothing() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        h.exec(n, 0, Cdbs.requestSense(0), null, 18).assertGood();

        tur(n, 0).assertCheck("06/29/00");
    }

    @Test
    void capacityDataHasChangedAfterResetAndInit() throws Exception {
        ZramDevice d = h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();

        d.reset(true, Duration.ofSeconds(5)); // forced: the nexus holds the device
        tur(n, 0).assertCheck("02/04/03");
        d.init(2L * MIB);

        h.exec(n, 0, Cdbs.readCapacity16(32), null, 32).assertCheck("06/2A/09");
        Result rc = h.exec(n, 0, Cdbs.readCapacity16(32), null, 32).assertGood();
        assertThat(Cdb.u64(rc.data(), 0) + 1).isEqualTo(2L * MIB / 512);
        tur(n, 0).assertGood();
    }

    @Test
    void capacityChangeIsReportedToEveryNexusOnce() throws Exception {
        ZramDevice d = h.addDevice(MIB);
        ScsiCommandSet.NexusHandle a = h.loginClean();
        ScsiCommandSet.NexusHandle b = h.login("iqn.1993-08.org.debian:01:other", "400001370000");
        tur(b, 0).assertCheck("06/29/00");

        d.reset(true, Duration.ofSeconds(5));
        d.init(MIB);

        tur(a, 0).assertCheck("06/2A/09");
        tur(a, 0).assertGood();
        tur(b, 0).assertCheck("06/2A/09");
        tur(b, 0).assertGood();
    }

    @Test
    void firstInitOfADeviceThatWasUninitializedAtLoginChangesTheCapacity() throws Exception {
        ZramDevice d = h.registry.hotAdd();
        ScsiCommandSet.NexusHandle n = h.login();
        tur(n, 0).assertCheck("06/29/00");
        tur(n, 0).assertCheck("02/04/03");
        assertThat(SenseData.describe(h.exec(n, 0, Cdbs.requestSense(18), null, 18).data())).isEqualTo("02/04/03");

        d.init(MIB);

        tur(n, 0).assertCheck("06/2A/09");
        tur(n, 0).assertGood();
    }

    @Test
    void hotAddEstablishesReportedLunsDataHasChangedOncePerNexus() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();

        h.addDevice(MIB);

        tur(n, 0).assertCheck("06/3F/0E");
        tur(n, 0).assertGood();
        tur(n, 1).assertCheck("06/29/00"); // the new LU's own power-on
        tur(n, 1).assertCheck("06/2A/09"); // hot_add made it uninitialized, then disksize was set
        tur(n, 1).assertGood();
    }

    @Test
    void hotRemoveEstablishesReportedLunsDataHasChanged() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();

        h.registry.hotRemove(1, true, Duration.ofSeconds(5));

        h.exec(n, 0, Cdbs.read10(0, 1), null, 512).assertCheck("06/3F/0E");
        h.exec(n, 0, Cdbs.read10(0, 1), null, 512).assertGood();
    }

    @Test
    void reportLunsClearsReportedLunsDataHasChanged() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();
        h.addDevice(MIB);

        h.exec(n, 0, Cdbs.reportLuns(0, 4096), null, 4096).assertGood();

        tur(n, 0).assertGood();
    }

    @Test
    void lunInventoryChangeReachesEveryAttachedNexus() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle a = h.loginClean();
        ScsiCommandSet.NexusHandle b = h.login("iqn.1993-08.org.debian:01:other", "400001370000");
        h.clearUnitAttentions(b, 0);

        h.addDevice(MIB);

        tur(a, 0).assertCheck("06/3F/0E");
        tur(b, 0).assertCheck("06/3F/0E");
    }

    @Test
    void logicalUnitResetEstablishesBusDeviceResetOnThatLunForEveryNexus() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle a = h.loginClean();
        ScsiCommandSet.NexusHandle b = h.login("iqn.1993-08.org.debian:01:other", "400001370000");
        h.clearUnitAttentions(b, 0);
        h.clearUnitAttentions(b, 1);

        h.target.logicalUnitReset(a, 1);

        tur(a, 0).assertGood();
        tur(a, 1).assertCheck("06/29/03");
        tur(b, 1).assertCheck("06/29/03");
        tur(b, 1).assertGood();
    }

    @Test
    void targetResetEstablishesResetOnEveryLun() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();

        h.target.targetReset(n);

        tur(n, 0).assertCheck("06/29/00");
        tur(n, 1).assertCheck("06/29/00");
        tur(n, 0).assertGood();
    }

    @Test
    void pendingResetsMergeIntoOne() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();
        h.target.logicalUnitReset(n, 0);
        h.target.targetReset(n);

        tur(n, 0).assertCheck("06/29/00");
        tur(n, 0).assertGood();
    }
}
