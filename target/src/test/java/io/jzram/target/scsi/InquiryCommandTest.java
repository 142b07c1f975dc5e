package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.target.scsi.ScsiHarness.Result;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** INQUIRY through the command set: standard data, VPD pages, allocation lengths. */
class InquiryCommandTest {
    private ScsiHarness h;
    private ZramDevice dev;
    private ScsiCommandSet.NexusHandle nexus;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScsiHarness();
        dev = h.addDevice(MIB);
        nexus = h.login(); // unit attentions pending on purpose: INQUIRY is not blocked by them
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    @Test
    void standardInquiryOfADisk() {
        Result r = h.exec(nexus, 0, Cdbs.inquiry(false, 0, 255), null, 255).assertGood();

        assertThat(r.data()).hasSize(InquiryData.STANDARD_LENGTH);
        assertThat(r.data()[0]).isZero();
        assertThat(new String(r.data(), 8, 8, StandardCharsets.US_ASCII)).isEqualTo("JZRAM   ");
    }

    @Test
    void allocationLengthTruncatesAndZeroReturnsNothing() {
        Result r36 = h.exec(nexus, 0, Cdbs.inquiry(false, 0, 36), null, 255).assertGood();
        assertThat(r36.data()).hasSize(36);
        assertThat(r36.data()[4] & 0xFF).as("ADDITIONAL LENGTH is not truncated").isEqualTo(InquiryData.STANDARD_LENGTH - 5);
        assertThat(r36.response().fullDataInLength()).isEqualTo(36);

        Result r0 = h.exec(nexus, 0, Cdbs.inquiry(false, 0, 0), null, 255).assertGood();
        assertThat(r0.data()).isEmpty();
        assertThat(r0.response().fullDataInLength()).isZero();
    }

    @Test
    void smallerDataInBufferThanAllocationLengthReportsTheOverflow() {
        Result r = h.exec(nexus, 0, Cdbs.inquiry(false, 0, 96), null, 20).assertGood();

        assertThat(r.data()).hasSize(20);
        assertThat(r.response().fullDataInLength()).isEqualTo(96);
    }

    @Test
    void vpdPagesOfTheDevice() {
        for (int page : new int[] {0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2}) {
            Result r = h.exec(nexus, 0, Cdbs.inquiry(true, page, 255), null, 255).assertGood();
            assertThat(r.data()[0]).as("page %02x qualifier", page).isZero();
            assertThat(r.data()[1] & 0xFF).isEqualTo(page);
            assertThat(Cdb.u16(r.data(), 2) + 4).isEqualTo(r.data().length);
        }
        Result serial = h.exec(nexus, 0, Cdbs.inquiry(true, 0x80, 255), null, 255);
        assertThat(new String(serial.data(), 4, 16, StandardCharsets.US_ASCII)).isEqualTo(h.identity.unitSerial(0));
    }

    @Test
    void identifiersAreStableAcrossCommandSetsAndDifferPerDevice() throws Exception {
        ZramDevice second = h.addDevice(MIB);
        byte[] id0 = h.exec(nexus, 0, Cdbs.inquiry(true, 0x83, 255), null, 255).data();
        byte[] id1 = h.exec(nexus, second.id(), Cdbs.inquiry(true, 0x83, 255), null, 255).data();

        try (ScsiHarness restarted = new ScsiHarness()) {
            restarted.addDevice(MIB);
            ScsiCommandSet.NexusHandle n = restarted.login();
            assertThat(restarted.exec(n, 0, Cdbs.inquiry(true, 0x83, 255), null, 255).data()).isEqualTo(id0);
        }
        assertThat(id1).isNotEqualTo(id0);
    }

    @Test
    void pageCodeWithoutEvpdIsAnInvalidField() {
        assertThat(h.exec(nexus, 0, Cdbs.inquiry(false, 0x80, 255), null, 255).assertCheck("05/24/00").fieldPointer())
                .isEqualTo("cdb:2");
    }

    @Test
    void unsupportedVpdPageIsAnInvalidField() {
        h.exec(nexus, 0, Cdbs.inquiry(true, 0x89, 255), null, 255).assertCheck("05/24/00");
    }

    @Test
    void cmddtIsAnInvalidField() {
        byte[] cdb = Cdbs.inquiry(false, 0, 255);
        cdb[1] = 0x02;

        h.exec(nexus, 0, cdb, null, 255).assertCheck("05/24/00");
    }

    @Test
    void inquiryWorksWhileTheDeviceIsNotReady() throws Exception {
        dev.reset(true, Duration.ofSeconds(5));

        Result r = h.exec(nexus, 0, Cdbs.inquiry(false, 0, 96), null, 96).assertGood();
        assertThat(r.data()[0]).isZero();
        h.exec(nexus, 0, Cdbs.inquiry(true, 0xB0, 255), null, 255).assertGood();
    }
}
