package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.target.scsi.ScsiHarness.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LUN = device id, REPORT LUNS, LUNs without a device, and what LUN 0 answers without zram0. */
class LunMappingTest {
    private ScsiHarness h;

    @BeforeEach
    void setUp() {
        h = new ScsiHarness();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    static List<Integer> luns(byte[] reportLunsData) {
        List<Integer> luns = new ArrayList<>();
        long length = Cdb.u32(reportLunsData, 0);
        for (int p = 8; p < 8 + length && p + 8 <= reportLunsData.length; p += 8) {
            int method = (reportLunsData[p] >>> 6) & 0x03;
            assertThat(method).as("peripheral (00b) or flat (01b) addressing").isIn(0, 1);
            for (int i = 2; i < 8; i++) {
                assertThat(reportLunsData[p + i]).as("single-level LUN").isZero();
            }
            luns.add(Cdb.u16(reportLunsData, p) & 0x3FFF);
        }
        return luns;
    }

    @Test
    void reportLunsListsEveryDeviceByItsId() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        h.registry.hotAdd(); // uninitialized devices are LUNs too
        ScsiCommandSet.NexusHandle n = h.login();

        Result r = h.exec(n, 0, Cdbs.reportLuns(0, 4096), null, 4096).assertGood();

        assertThat(luns(r.data())).containsExactly(0, 1, 2);
        assertThat(Cdb.u32(r.data(), 0)).isEqualTo(24);
    }

    @Test
    void lunsBelow256UsePeripheralAndAboveFlatAddressing() {
        byte[] d = new byte[16];
        ZramCommandSet.encodeLun(d, 0, 5);
        ZramCommandSet.encodeLun(d, 8, 300);

        assertThat(d).containsExactly(0, 5, 0, 0, 0, 0, 0, 0, 0x41, 0x2C, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void reportLunsTruncatesButKeepsTheFullListLength() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        Result r = h.exec(n, 0, Cdbs.reportLuns(0, 12), null, 4096).assertGood();
        assertThat(r.data()).hasSize(12);
        assertThat(Cdb.u32(r.data(), 0)).isEqualTo(16);

        assertThat(h.exec(n, 0, Cdbs.reportLuns(0, 0), null, 4096).assertGood().data()).isEmpty();
    }

    @Test
    void selectReportVariants() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        assertThat(luns(h.exec(n, 0, Cdbs.reportLuns(2, 4096), null, 4096).assertGood().data())).containsExactly(0);
        assertThat(luns(h.exec(n, 0, Cdbs.reportLuns(1, 4096), null, 4096).assertGood().data())).as("no well-known LUs").isEmpty();
        assertThat(h.exec(n, 0, Cdbs.reportLuns(0x40, 4096), null, 4096).assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:2");
    }

    @Test
    void reportLunsAndRequestSenseWorkOnAnyLun() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        assertThat(luns(h.exec(n, 77, Cdbs.reportLuns(0, 4096), null, 4096).assertGood().data())).containsExactly(0);
        Result sense = h.exec(n, 77, Cdbs.requestSense(18), null, 18).assertGood();
        assertThat(SenseData.describe(sense.data())).isEqualTo("05/25/00");
    }

    @Test
    void unknownLunInquiryHasQualifier3AndOtherCommandsFail() throws Exception {
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        Result inq = h.exec(n, 5, Cdbs.inquiry(false, 0, 96), null, 96).assertGood();
        assertThat(inq.data()[0] & 0xFF).isEqualTo(0x7F);
        Result vpd = h.exec(n, 5, Cdbs.inquiry(true, 0, 255), null, 255).assertGood();
        assertThat(vpd.data()[0] & 0xFF).isEqualTo(0x7F);
        h.exec(n, 5, Cdbs.inquiry(true, 0x83, 255), null, 255).assertCheck("05/24/00");

        h.exec(n, 5, Cdbs.testUnitReady()).assertCheck("05/25/00");
        h.exec(n, 5, Cdbs.read10(0, 1), null, 512).assertCheck("05/25/00");
        h.exec(n, 5, Cdbs.readCapacity10(), null, 8).assertCheck("05/25/00");
        h.exec(n, 16383, Cdbs.testUnitReady()).assertCheck("05/25/00");
        h.exec(n, 1L << 40, Cdbs.testUnitReady()).assertCheck("05/25/00");
        h.exec(n, -1, Cdbs.testUnitReady()).assertCheck("05/25/00");
    }

    /**
     * Linux scans LUN 0 first: without zram0 it must see "no device here" (qualifier 1, type 1Fh)
     * with a VERSION new enough to make it use REPORT LUNS, and REPORT LUNS must work at LUN 0.
     */
    @Test
    void lunZeroWithoutZram0AnswersNotConnectedAndStillReportsTheOtherLuns() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        h.addDevice(MIB);
        h.registry.hotRemove(0, false, Duration.ofSeconds(5));
        ScsiCommandSet.NexusHandle n = h.login();

        Result inq = h.exec(n, 0, Cdbs.inquiry(false, 0, 36), null, 36).assertGood();
        assertThat((inq.data()[0] >>> 5) & 0x07).as("PERIPHERAL QUALIFIER 001b").isEqualTo(1);
        assertThat(inq.data()[0] & 0x1F).as("DEVICE TYPE 1Fh").isEqualTo(0x1F);
        assertThat(inq.data()[2]).as("VERSION: SPC-4, so Linux uses REPORT LUNS").isEqualTo((byte) 6);
        assertThat(inq.data()[3] & 0x0F).isEqualTo(2);

        Result report = h.exec(n, 0, Cdbs.reportLuns(0, 4096), null, 4096).assertGood();
        assertThat(luns(report.data())).containsExactly(1, 2);

        h.exec(n, 0, Cdbs.testUnitReady()).assertCheck("05/25/00");
        h.exec(n, 1, Cdbs.inquiry(false, 0, 36), null, 36).assertGood();
    }

    @Test
    void lunZeroComesToLifeWhenZram0IsAddedAgain() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        h.registry.hotRemove(0, false, Duration.ofSeconds(5));
        ScsiCommandSet.NexusHandle n = h.login();
        assertThat(h.exec(n, 0, Cdbs.inquiry(false, 0, 36), null, 36).data()[0] & 0xFF).isEqualTo(0x3F);

        h.addDevice(MIB); // takes the lowest free id: 0

        assertThat(h.exec(n, 0, Cdbs.inquiry(false, 0, 36), null, 36).data()[0]).isZero();
        assertThat(luns(h.exec(n, 1, Cdbs.reportLuns(0, 4096), null, 4096).data())).containsExactly(0, 1);
    }

    @Test
    void emptyTargetReportsNoLuns() {
        ScsiCommandSet.NexusHandle n = h.login();

        Result r = h.exec(n, 0, Cdbs.reportLuns(0, 4096), null, 4096).assertGood();

        assertThat(Cdb.u32(r.data(), 0)).isZero();
        assertThat(r.data()).hasSize(8);
        assertThat(h.exec(n, 0, Cdbs.inquiry(false, 0, 36), null, 36).data()[0] & 0xFF).isEqualTo(0x3F);
    }

    @Test
    void removedDeviceIsNoLongerALun() throws Exception {
        h.addDevice(MIB);
        h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();

        h.registry.hotRemove(1, true, Duration.ofSeconds(5));

        h.exec(n, 1, Cdbs.testUnitReady()).assertCheck("05/25/00");
        assertThat(h.exec(n, 1, Cdbs.inquiry(false, 0, 36), null, 36).data()[0] & 0xFF).isEqualTo(0x7F);
        assertThat(luns(h.exec(n, 0, Cdbs.reportLuns(0, 4096), null, 4096).data())).containsExactly(0);
    }
}
