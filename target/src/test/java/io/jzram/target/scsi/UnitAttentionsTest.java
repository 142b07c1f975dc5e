package io.jzram.target.scsi;

import static io.jzram.target.scsi.UnitAttention.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitAttentionsTest {

    @Test
    void emptyUntilEstablished() {
        UnitAttentions uas = new UnitAttentions();

        assertThat(uas.isEmpty()).isTrue();
        assertThat(uas.take()).isNull();
        assertThat(uas.peek()).isNull();
    }

    @Test
    void eachConditionIsReportedOnce() {
        UnitAttentions uas = new UnitAttentions();
        uas.establish(CAPACITY_DATA_CHANGED);
        uas.establish(CAPACITY_DATA_CHANGED);

        assertThat(uas.take()).isEqualTo(CAPACITY_DATA_CHANGED);
        assertThat(uas.take()).isNull();
    }

    @Test
    void resetsComeBeforeCapacityBeforeLunInventory() {
        UnitAttentions uas = new UnitAttentions();
        uas.establish(REPORTED_LUNS_DATA_CHANGED);
        uas.establish(CAPACITY_DATA_CHANGED);
        uas.establish(LOGICAL_UNIT_RESET);

        assertThat(uas.peek()).isEqualTo(LOGICAL_UNIT_RESET);
        assertThat(uas.take()).isEqualTo(LOGICAL_UNIT_RESET);
        assertThat(uas.take()).isEqualTo(CAPACITY_DATA_CHANGED);
        assertThat(uas.take()).isEqualTo(REPORTED_LUNS_DATA_CHANGED);
        assertThat(uas.isEmpty()).isTrue();
    }

    @Test
    void twoDifferentResetsMergeIntoOneGenericReset() {
        UnitAttentions uas = new UnitAttentions();
        uas.establish(LOGICAL_UNIT_RESET);
        uas.establish(RESET_OCCURRED);
        uas.establish(CAPACITY_DATA_CHANGED);

        assertThat(uas.take()).isEqualTo(RESET_OCCURRED);
        assertThat(uas.take()).isEqualTo(CAPACITY_DATA_CHANGED);
        assertThat(uas.take()).isNull();
    }

    @Test
    void clearRemovesOneCondition() {
        UnitAttentions uas = new UnitAttentions();
        uas.establish(REPORTED_LUNS_DATA_CHANGED);
        uas.establish(RESET_OCCURRED);
        uas.clear(REPORTED_LUNS_DATA_CHANGED);

        assertThat(uas.take()).isEqualTo(RESET_OCCURRED);
        assertThat(uas.take()).isNull();
    }

    @Test
    void senseIsUnitAttentionWithTheCodes() {
        assertThat(SenseData.describe(RESET_OCCURRED.sense())).isEqualTo("06/29/00");
        assertThat(SenseData.describe(LOGICAL_UNIT_RESET.sense())).isEqualTo("06/29/03");
        assertThat(SenseData.describe(CAPACITY_DATA_CHANGED.sense())).isEqualTo("06/2A/09");
        assertThat(SenseData.describe(REPORTED_LUNS_DATA_CHANGED.sense())).isEqualTo("06/3F/0E");
    }
}
