package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LUN masking (LunMap.setVisibility): a masked LUN is a LUN that does not exist, for that initiator only")
class LunMaskingTest {
    static final String WEB = "iqn.1993-08.org.debian:01:web";
    static final String DB = "iqn.1993-08.org.debian:01:db";

    private ScsiHarness h;
    private ZramDevice zram0;
    private ZramDevice zram1;
    private ZramDevice zram2;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScsiHarness();
        zram0 = h.addDevice(MIB);
        zram1 = h.addDevice(MIB);
        zram2 = h.addDevice(MIB);
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    /** web sees zram0 and zram2; every other initiator sees everything. */
    static LunVisibility webSeesZeroAndTwo() {
        Map<String, Set<Integer>> masks = Map.of(WEB, Set.of(0, 2));
        return (initiator, id) -> !masks.containsKey(initiator) || masks.get(initiator).contains(id);
    }

    private List<Integer> reportedLuns(ScsiCommandSet.NexusHandle n) {
        return LunMappingTest.luns(h.exec(n, 0, Cdbs.reportLuns(0, 4096), null, 4096).assertGood().data());
    }

    /** REPORT LUNS until the REPORTED LUNS DATA HAS CHANGED condition it clears is gone; then the LUNs. */
    private List<Integer> lunsAfterChange(ScsiCommandSet.NexusHandle n) {
        return reportedLuns(n);
    }

    @Test
    void a_session_attaches_with_the_luns_its_initiator_may_see_and_holds_only_those() {
        h.target.luns().setVisibility(webSeesZeroAndTwo());
        ScsiCommandSet.NexusHandle web = h.login(WEB, "400001370001");
        ScsiCommandSet.NexusHandle db = h.login(DB, "400001370002");

        assertThat(reportedLuns(web)).containsExactly(0, 2);
        assertThat(reportedLuns(db)).containsExactly(0, 1, 2);
        assertThat(zram1.openCount()).as("only db holds zram1").isEqualTo(1);
        assertThat(zram0.openCount()).isEqualTo(2);
    }

    @Test
    void a_masked_lun_answers_exactly_as_a_lun_that_does_not_exist() throws Exception {
        h.target.luns().setVisibility(webSeesZeroAndTwo());
        ScsiCommandSet.NexusHandle web = h.login(WEB, "400001370001");
        h.clearUnitAttentions(web, 0);

        ScsiHarness.Result masked = h.exec(web, 1, Cdbs.testUnitReady());
        ScsiHarness.Result absent = h.exec(web, 7, Cdbs.testUnitReady());
        masked.assertCheck("05/25/00");
        assertThat(masked.sense()).isEqualTo(absent.sense());

        byte[] maskedInquiry = h.exec(web, 1, Cdbs.inquiry(false, 0, 96), null, 96).assertGood().data();
        byte[] absentInquiry = h.exec(web, 7, Cdbs.inquiry(false, 0, 96), null, 96).assertGood().data();
        assertThat(maskedInquiry).isEqualTo(absentInquiry);
        assertThat(maskedInquiry[0] & 0xFF).as("peripheral qualifier 011b: no logical unit").isEqualTo(0x7F);
        h.exec(web, 1, Cdbs.read16(0, 1), null, 512).assertCheck("05/25/00");
    }

    @Test
    void masking_a_lun_of_a_live_session_withdraws_it_at_once_and_releases_the_holder() throws Exception {
        ScsiCommandSet.NexusHandle web = h.login(WEB, "400001370001");
        ScsiCommandSet.NexusHandle db = h.login(DB, "400001370002");
        for (int lun = 0; lun < 3; lun++) {
            h.clearUnitAttentions(web, lun);
            h.clearUnitAttentions(db, lun);
        }
        assertThat(zram1.openCount()).isEqualTo(2);

        h.target.luns().setVisibility(webSeesZeroAndTwo());

        assertThat(zram1.openCount()).as("web let go of zram1; db still holds it").isEqualTo(1);
        h.exec(web, 0, Cdbs.testUnitReady()).assertCheck("06/3F/0E"); // REPORTED LUNS DATA HAS CHANGED
        assertThat(lunsAfterChange(web)).containsExactly(0, 2);
        h.exec(web, 1, Cdbs.testUnitReady()).assertCheck("05/25/00");
        h.exec(db, 1, Cdbs.testUnitReady()).assertGood();
        assertThat(reportedLuns(db)).containsExactly(0, 1, 2);
    }

    @Test
    void unmasking_adds_the_lun_with_the_unit_attentions_of_a_new_lun() throws Exception {
        h.target.luns().setVisibility(webSeesZeroAndTwo());
        ScsiCommandSet.NexusHandle web = h.login(WEB, "400001370001");
        h.clearUnitAttentions(web, 0);
        h.clearUnitAttentions(web, 2);

        h.target.luns().setVisibility(LunVisibility.ALL);

        assertThat(zram1.openCount()).isEqualTo(1);
        h.exec(web, 0, Cdbs.testUnitReady()).assertCheck("06/3F/0E");
        assertThat(reportedLuns(web)).containsExactly(0, 1, 2);
        h.exec(web, 1, Cdbs.testUnitReady()).assertCheck("06/29/00"); // POWER ON, RESET, OR BUS DEVICE RESET OCCURRED
        h.exec(web, 1, Cdbs.testUnitReady()).assertGood();
    }

    @Test
    void a_masked_device_held_by_nobody_resets_without_force() throws Exception {
        ScsiCommandSet.NexusHandle web = h.login(WEB, "400001370001");
        assertThat(zram1.openCount()).isEqualTo(1);
        h.target.luns().setVisibility((initiator, id) -> id != 1);
        zram1.reset(false, Duration.ofSeconds(5)); // not busy any more
        assertThat(h.target.luns().sessionsUsing(1)).isZero();
        assertThat(h.target.luns().sessionsUsing(0)).isEqualTo(1);
        web.close();
    }

    @Test
    void masking_and_the_export_switch_both_apply_and_a_new_device_follows_the_rule() throws Exception {
        h.target.luns().setVisibility(webSeesZeroAndTwo());
        ScsiCommandSet.NexusHandle web = h.login(WEB, "400001370001");
        h.target.luns().setExported(2, false, true);
        assertThat(reportedLuns(web)).containsExactly(0);

        ZramDevice zram3 = h.addDevice(MIB); // id 3: web may not see it
        assertThat(reportedLuns(web)).containsExactly(0);
        assertThat(zram3.openCount()).isZero();
        h.target.luns().setExported(2, true, false);
        assertThat(reportedLuns(web)).containsExactly(0, 2);
    }

    @Test
    void a_lun_reset_from_an_initiator_the_lun_is_masked_from_resets_nothing() throws Exception {
        h.target.luns().setVisibility(webSeesZeroAndTwo());
        ScsiCommandSet.NexusHandle web = h.login(WEB, "400001370001");
        ScsiCommandSet.NexusHandle db = h.login(DB, "400001370002");
        h.clearUnitAttentions(db, 1);

        h.target.logicalUnitReset(web, 1);
        h.exec(db, 1, Cdbs.testUnitReady()).assertGood();

        h.target.logicalUnitReset(db, 1);
        h.exec(db, 1, Cdbs.testUnitReady()).assertCheck("06/29/03"); // BUS DEVICE RESET FUNCTION OCCURRED
    }
}
