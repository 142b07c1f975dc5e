package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Withdrawing and republishing a device's LUN (setExported). */
class ExportTest {
    private ScsiHarness h;
    private ZramDevice zram0;
    private ZramDevice zram1;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScsiHarness();
        zram0 = h.addDevice(MIB);
        zram1 = h.addDevice(MIB);
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private java.util.List<Integer> reportedLuns(ScsiCommandSet.NexusHandle n) {
        return LunMappingTest.luns(h.exec(n, 0, Cdbs.reportLuns(0, 4096), null, 4096).assertGood().data());
    }

    @Test
    void everyDeviceIsExportedUntilToldOtherwise() {
        assertThat(h.target.isExported(0)).isTrue();
        assertThat(h.target.isExported(7)).isTrue();
    }

    @Test
    void anUnexportedDeviceIsNoLunAndNotHeld() throws Exception {
        h.target.setExported(1, false);
        ScsiCommandSet.NexusHandle n = h.loginClean();

        assertThat(reportedLuns(n)).containsExactly(0);
        h.exec(n, 1, Cdbs.testUnitReady()).assertCheck("05/25/00");
        assertThat(zram1.openCount()).as("no session holds it").isZero();
        zram1.reset(false, Duration.ofSeconds(5)); // so it is not busy
        assertThat(zram0.openCount()).isEqualTo(1);
    }

    @Test
    void withdrawingALunFromALiveSessionReportsTheChangeAndReleasesTheHolder() throws Exception {
        ScsiCommandSet.NexusHandle n = h.loginClean();
        assertThat(zram1.openCount()).isEqualTo(1);

        h.target.setExported(1, false);

        assertThat(zram1.openCount()).isZero();
        h.exec(n, 0, Cdbs.testUnitReady()).assertCheck("06/3F/0E");
        assertThat(reportedLuns(n)).containsExactly(0);

        h.target.setExported(1, true);
        assertThat(zram1.openCount()).isEqualTo(1);
        assertThat(reportedLuns(n)).containsExactly(0, 1);
        assertThat(h.target.isExported(1)).isTrue();
    }

    @Test
    void theSettingEndsWithTheDevice() throws Exception {
        h.target.setExported(1, false);
        h.registry.hotRemove(1, false, Duration.ofSeconds(5));
        h.registry.hotAdd(1);
        assertThat(h.target.isExported(1)).as("a new zram1 starts exported").isTrue();
        ScsiCommandSet.NexusHandle n = h.login();
        assertThat(reportedLuns(n)).containsExactly(0, 1);
    }
}
