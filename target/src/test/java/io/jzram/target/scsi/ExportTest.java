package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.time.Duration;
import java.util.List;
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

    private List<Integer> reportedLuns(ScsiCommandSet.NexusHandle n) {
        return LunMappingTest.luns(h.exec(n, 0, Cdbs.reportLuns(0, 4096), null, 4096).assertGood().data());
    }

    @Test
    void everyDeviceIsExportedUntilToldOtherwise() {
        assertThat(h.target.luns().isExported(0)).isTrue();
        assertThat(h.target.luns().isExported(7)).isTrue();
    }

    @Test
    void anUnexportedDeviceIsNoLunAndNotHeld() throws Exception {
        h.target.luns().setExported(1, false, false);
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

        h.target.luns().setExported(1, false, true);

        assertThat(zram1.openCount()).isZero();
        h.exec(n, 0, Cdbs.testUnitReady()).assertCheck("06/3F/0E");
        assertThat(reportedLuns(n)).containsExactly(0);

        h.target.luns().setExported(1, true, false);
        assertThat(zram1.openCount()).isEqualTo(1);
        assertThat(reportedLuns(n)).containsExactly(0, 1);
        assertThat(h.target.luns().isExported(1)).isTrue();
    }

    @Test
    void theSettingEndsWithTheDevice() throws Exception {
        h.target.luns().setExported(1, false, false);
        h.registry.hotRemove(1, false, Duration.ofSeconds(5));
        h.registry.hotAdd(1);
        assertThat(h.target.luns().isExported(1)).as("a new zram1 starts exported").isTrue();
        ScsiCommandSet.NexusHandle n = h.login();
        assertThat(reportedLuns(n)).containsExactly(0, 1);
    }

    @Test
    void theSwitchOfADeviceRemovedMeanwhileFailsAndLeavesNothingForTheNextDeviceWithItsId() throws Exception {
        h.registry.hotRemove(1, false, Duration.ofSeconds(5)); // a command still holds zram1

        assertThatThrownBy(() -> h.target.luns().setExported(zram1, false, true)).isInstanceOfSatisfying(ZramException.class,
                e -> assertThat(e.reason()).isEqualTo(ZramException.Reason.NO_SUCH_DEVICE));
        assertThat(h.target.luns().isExported(1)).as("nothing recorded for id 1").isTrue();
        ZramDevice next = h.registry.hotAdd(1);
        assertThatThrownBy(() -> h.target.luns().setExported(zram1, true, true)).as("nor through the stale reference later")
                .isInstanceOf(ZramException.class);
        h.target.luns().setExported(next, false, false); // the device in hand is the registered one: it works
        assertThat(h.target.luns().isExported(1)).isFalse();
    }

    @Test
    void anIdWithdrawnBeforeItsDeviceExistsNeverAppears() throws Exception {
        ScsiCommandSet.NexusHandle n = h.loginClean();
        h.target.luns().setExported(2, false, false);

        ZramDevice zram2 = h.registry.hotAdd(2);

        assertThat(reportedLuns(n)).containsExactly(0, 1);
        assertThat(zram2.openCount()).isZero();
        h.exec(n, 0, Cdbs.testUnitReady()).assertGood(); // no REPORTED LUNS DATA HAS CHANGED: nothing changed
    }

    @Test
    void withdrawingALunSessionsHaveIsBusyAndChangesNothingWithoutForce() throws Exception {
        ScsiCommandSet.NexusHandle a = h.loginClean();
        h.login("iqn.1993-08.org.debian:01:beef", "400001370001");
        assertThat(h.target.luns().sessionsUsing(1)).isEqualTo(2);

        assertThatThrownBy(() -> h.target.luns().setExported(1, false, false))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(ZramException.Reason.BUSY))
                .hasMessage("zram1: LUN 1 in use by 2 sessions");

        assertThat(h.target.luns().isExported(1)).isTrue();
        assertThat(zram1.openCount()).isEqualTo(2);
        assertThat(reportedLuns(a)).containsExactly(0, 1);
        h.exec(a, 1, Cdbs.testUnitReady()).assertGood();

        h.target.luns().setExported(1, false, true);
        assertThat(h.target.luns().sessionsUsing(1)).isZero();
        assertThat(zram1.openCount()).isZero();
    }

    @Test
    void withdrawingAWithdrawnLunOrPublishingAPublishedOneIsANoOpThatIsNeverBusy() throws Exception {
        h.target.luns().setExported(1, false, false);
        h.loginClean();
        h.target.luns().setExported(1, false, false);
        h.target.luns().setExported(0, true, false);
        assertThat(h.target.luns().isExported(1)).isFalse();
        assertThat(h.target.luns().isExported(0)).isTrue();
        assertThat(h.target.luns().sessionsUsing(0)).isEqualTo(1);
    }

    @Test
    void sessionsUsingCountsAttachedNexusesWithTheLunOnly() throws Exception {
        assertThat(h.target.luns().sessionsUsing(0)).as("nobody logged in").isZero();
        ScsiCommandSet.NexusHandle n = h.login();
        assertThat(h.target.luns().sessionsUsing(0)).isEqualTo(1);
        assertThat(h.target.luns().sessionsUsing(5)).as("no such device").isZero();
        n.close();
        assertThat(h.target.luns().sessionsUsing(0)).as("logged out").isZero();
    }
}
