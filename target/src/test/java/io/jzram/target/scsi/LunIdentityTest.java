package io.jzram.target.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LunIdentityTest {
    private static final String IQN = "iqn.2026-01.io.jzram:ram";

    @Test
    void defaultsAreJzramZram() {
        LunIdentity id = new LunIdentity(IQN);

        assertThat(id.vendor()).isEqualTo("JZRAM");
        assertThat(id.product()).isEqualTo("zram");
        assertThat(id.revision()).hasSize(4);
    }

    @Test
    void naaIsLocallyAssignedAndDeterministic() {
        long a = new LunIdentity(IQN).naa(3);
        long b = new LunIdentity(IQN).naa(3);

        assertThat(a >>> 60).as("NAA 3h: locally assigned").isEqualTo(3);
        assertThat(a).as("same IQN and id, new instance (restart)").isEqualTo(b);
    }

    @Test
    void naaIsAFixedFunctionOfIqnAndId() {
        // Pinned so that a refactoring cannot silently change every LU's WWN (multipath, fstab by-id).
        assertThat(new LunIdentity(IQN).naa(0)).isEqualTo(0x3131b538ea332c7dL);
        assertThat(new LunIdentity(IQN).naa(1)).isEqualTo(0x313f7a2b847ceecbL);
        assertThat(new LunIdentity(IQN).unitSerial(0)).isEqualTo("3131b538ea332c7d");
        assertThat(new LunIdentity(IQN.toUpperCase()).naa(0)).as("IQNs are case-folded").isEqualTo(0x3131b538ea332c7dL);
    }

    @Test
    void naaDiffersPerDeviceAndPerTarget() {
        Set<Long> seen = new HashSet<>();
        for (int id = 0; id < 1000; id++) {
            assertThat(seen.add(new LunIdentity(IQN).naa(id))).isTrue();
            assertThat(seen.add(new LunIdentity(IQN + "2").naa(id))).isTrue();
        }
    }

    @Test
    void unitSerialIsSixteenHexDigits() {
        assertThat(new LunIdentity(IQN).unitSerial(7)).matches("[0-9a-f]{16}");
    }

    @Test
    void rejectsStringsThatDoNotFitInquiryFields() {
        assertThatThrownBy(() -> new LunIdentity(IQN, "TOOLONGVENDOR", "zram", "0001"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LunIdentity(IQN, "JZRAM", "a product name too long", "0001"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LunIdentity(IQN, "JZRAM", "zram", "12345"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LunIdentity(IQN, "JZ\u00e9", "zram", "1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LunIdentity(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
