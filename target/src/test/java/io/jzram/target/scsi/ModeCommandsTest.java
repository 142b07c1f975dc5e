package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.target.scsi.ScsiHarness.Result;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MODE SENSE and MODE SELECT (6) and (10) through the command set. */
class ModeCommandsTest {
    private static final long SIZE = 2L * MIB;

    private ScsiHarness h;
    private ZramDevice dev;
    private ScsiCommandSet.NexusHandle nexus;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScsiHarness();
        dev = h.addDevice(SIZE);
        nexus = h.loginClean();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    @Test
    void modeSense6AllPagesWithBlockDescriptor() {
        Result r = h.exec(nexus, 0, Cdbs.modeSense6(false, 0, 0x3F, 0, 255), null, 255).assertGood();

        assertThat(r.data()[0] & 0xFF).isEqualTo(r.data().length - 1);
        assertThat(Cdb.u32(r.data(), 4)).isEqualTo(SIZE / 512);
        assertThat(r.data()[12] & 0x3F).as("first page: caching").isEqualTo(0x08);
        assertThat(r.data()[14] & 0x04).as("WCE").isZero();
    }

    @Test
    void truncationKeepsTheFullModeDataLength() {
        byte[] full = h.exec(nexus, 0, Cdbs.modeSense6(false, 0, 0x3F, 0, 255), null, 255).data();

        Result r = h.exec(nexus, 0, Cdbs.modeSense6(false, 0, 0x3F, 0, 4), null, 255).assertGood();
        assertThat(r.data()).hasSize(4);
        assertThat(r.data()[0] & 0xFF).isEqualTo(full.length - 1);

        Result r10 = h.exec(nexus, 0, Cdbs.modeSense10(false, false, 0, 0x3F, 0, 10), null, 255).assertGood();
        assertThat(r10.data()).hasSize(10);
        byte[] full10 = h.exec(nexus, 0, Cdbs.modeSense10(false, false, 0, 0x3F, 0, 512), null, 512).data();
        assertThat(Cdb.u16(r10.data(), 0)).isEqualTo(full10.length - 2);

        assertThat(h.exec(nexus, 0, Cdbs.modeSense6(false, 0, 0x3F, 0, 0), null, 255).assertGood().data()).isEmpty();
    }

    @Test
    void modeSense10WithLlbaa() {
        Result r = h.exec(nexus, 0, Cdbs.modeSense10(true, false, 0, 0x08, 0, 512), null, 512).assertGood();

        assertThat(Cdb.u16(r.data(), 6)).isEqualTo(16);
        assertThat(Cdb.u64(r.data(), 8)).isEqualTo(SIZE / 512);
    }

    @Test
    void savedValuesAreNotSupported() {
        h.exec(nexus, 0, Cdbs.modeSense6(false, 3, 0x08, 0, 255), null, 255).assertCheck("05/39/00");
    }

    @Test
    void unknownPageIsAnInvalidField() {
        assertThat(h.exec(nexus, 0, Cdbs.modeSense10(false, false, 0, 0x01, 0, 255), null, 255)
                .assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:2.5");
    }

    @Test
    void modeSenseWorksWhileNotReadyWithCapacityZero() throws Exception {
        dev.reset(true, Duration.ofSeconds(5));

        Result r = h.exec(nexus, 0, Cdbs.modeSense6(false, 0, 0x08, 0, 255), null, 255).assertGood();

        assertThat(Cdb.u32(r.data(), 4)).isZero();
    }

    private byte[] currentAsSelectList(boolean ten, int page) {
        byte[] d = ten
                ? h.exec(nexus, 0, Cdbs.modeSense10(false, false, 0, page, 0, 512), null, 512).data()
                : h.exec(nexus, 0, Cdbs.modeSense6(false, 0, page, 0, 255), null, 255).data();
        d[0] = 0;
        if (ten) {
            d[1] = 0;
        }
        return d;
    }

    @Test
    void modeSelectOfTheCurrentValuesIsAccepted() {
        byte[] six = currentAsSelectList(false, 0x3F);
        h.exec(nexus, 0, Cdbs.modeSelect6(true, false, six.length), six).assertGood();

        byte[] ten = currentAsSelectList(true, 0x0A);
        h.exec(nexus, 0, Cdbs.modeSelect10(true, false, ten.length), ten).assertGood();

        h.exec(nexus, 0, Cdbs.modeSelect6(true, false, 0), null).assertGood();
    }

    @Test
    void modeSelectThatEnablesTheWriteCacheIsRejectedAndChangesNothing() {
        byte[] list = currentAsSelectList(false, 0x08);
        list[12 + 2] |= 0x04; // WCE

        h.exec(nexus, 0, Cdbs.modeSelect6(true, false, list.length), list).assertCheck("05/26/00");

        Result after = h.exec(nexus, 0, Cdbs.modeSense6(false, 0, 0x08, 0, 255), null, 255);
        assertThat(after.data()[14] & 0x04).isZero();
    }

    @Test
    void modeSelectWithSaveIsAnInvalidFieldInCdb() {
        byte[] list = currentAsSelectList(false, 0x08);

        assertThat(h.exec(nexus, 0, Cdbs.modeSelect6(true, true, list.length), list)
                .assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:1.0");
    }

    @Test
    void modeSelectWithLessDataThanAnnouncedIsALengthError() {
        byte[] list = currentAsSelectList(false, 0x08);

        h.exec(nexus, 0, Cdbs.modeSelect6(true, false, list.length + 4), list).assertCheck("05/1A/00");
        h.exec(nexus, 0, Cdbs.modeSelect10(true, false, 2), new byte[2]).assertCheck("05/1A/00");
    }
}
