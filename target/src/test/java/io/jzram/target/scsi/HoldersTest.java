package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An attached nexus holds every device: reset and removal are busy until it logs out. */
class HoldersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ScsiHarness h;

    @BeforeEach
    void setUp() {
        h = new ScsiHarness();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static void assertBusy(ThrowingRunnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ZramException.class,
                e -> assertThat(e.reason()).isEqualTo(ZramException.Reason.BUSY));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void resetOfADeviceWithAnAttachedNexusIsBusyUntilTheHandleIsClosed() throws Exception {
        ZramDevice d = h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        assertThat(d.openCount()).isEqualTo(1);
        assertBusy(() -> d.reset(false, TIMEOUT));

        n.close();

        assertThat(d.openCount()).isZero();
        assertThatCode(() -> d.reset(false, TIMEOUT)).doesNotThrowAnyException();
    }

    @Test
    void hotRemoveIsBusyWhileAttached() throws Exception {
        ZramDevice d = h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        assertBusy(() -> h.registry.hotRemove(d.id(), false, TIMEOUT));
        n.close();
        h.registry.hotRemove(d.id(), false, TIMEOUT);

        assertThat(h.registry.find(d.id())).isEmpty();
    }

    @Test
    void everyNexusHoldsEveryDevice() throws Exception {
        ZramDevice a = h.addDevice(MIB);
        ZramDevice b = h.addDevice(MIB);
        ScsiCommandSet.NexusHandle one = h.login();
        ScsiCommandSet.NexusHandle two = h.login("iqn.1993-08.org.debian:01:other", "400001370000");

        assertThat(a.openCount()).isEqualTo(2);
        assertThat(b.openCount()).isEqualTo(2);
        one.close();
        assertThat(a.openCount()).isEqualTo(1);
        assertBusy(() -> a.reset(false, TIMEOUT));
        two.close();
        assertThat(a.openCount()).isZero();
        assertThat(b.openCount()).isZero();
    }

    @Test
    void devicesAddedLaterAreHeldByExistingNexuses() throws Exception {
        ScsiCommandSet.NexusHandle n = h.login();

        ZramDevice d = h.addDevice(MIB);

        assertThat(d.openCount()).isEqualTo(1);
        assertBusy(() -> d.reset(false, TIMEOUT));
        n.close();
        assertThat(d.openCount()).isZero();
    }

    @Test
    void forcedRemovalReleasesTheHolderAndTheLun() throws Exception {
        ZramDevice d = h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();

        h.registry.hotRemove(d.id(), true, TIMEOUT);

        assertThat(d.openCount()).isZero();
        h.exec(n, d.id(), Cdbs.testUnitReady()).assertCheck("05/25/00");
    }

    @Test
    void closingIsIdempotent() throws Exception {
        ZramDevice d = h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.login();

        n.close();
        n.close();

        assertThat(d.openCount()).isZero();
    }

    @Test
    void closingTheCommandSetReleasesEverythingAndStopsFollowingTheRegistry() throws Exception {
        ZramDevice d = h.addDevice(MIB);
        h.login();

        h.target.close();

        assertThat(d.openCount()).isZero();
        ZramDevice later = h.addDevice(MIB);
        assertThat(later.openCount()).isZero();
    }

    @Test
    void aForcedResetLeavesTheNexusHoldingTheDevice() throws Exception {
        ZramDevice d = h.addDevice(MIB);
        ScsiCommandSet.NexusHandle n = h.loginClean();
        d.reset(true, TIMEOUT);
        d.init(MIB);

        h.exec(n, 0, Cdbs.testUnitReady());

        assertThat(d.openCount()).isEqualTo(1);
        assertBusy(() -> d.reset(false, TIMEOUT));
    }
}
