package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** READ DEFECT DATA(10) and (12) (SBC-3 5.15, 5.16): empty lists, in the format asked for. */
class ReadDefectDataTest {
    private ScsiHarness h;
    private ScsiCommandSet.NexusHandle nexus;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScsiHarness();
        h.addDevice(4L * MIB);
        nexus = h.loginClean();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    static byte[] readDefectData10(boolean plist, boolean glist, int format, int allocation) {
        byte[] c = new byte[10];
        c[0] = 0x37;
        c[2] = (byte) ((plist ? 0x10 : 0) | (glist ? 0x08 : 0) | format);
        Cdb.put16(c, 7, allocation);
        return c;
    }

    static byte[] readDefectData12(boolean plist, boolean glist, int format, long allocation) {
        byte[] c = new byte[12];
        c[0] = (byte) 0xB7;
        c[1] = (byte) ((plist ? 0x10 : 0) | (glist ? 0x08 : 0) | format);
        Cdb.put32(c, 6, allocation);
        return c;
    }

    @Test
    void tenReturnsAFourByteHeaderOfAnEmptyListInTheFormatAskedFor() {
        byte[] d = h.exec(nexus, 0, readDefectData10(true, true, 0b101, 32), null, 32).assertGood().data();
        assertThat(d).containsExactly(0x00, 0x10 | 0x08 | 0b101, 0x00, 0x00);
        byte[] none = h.exec(nexus, 0, readDefectData10(false, false, 0, 32), null, 32).assertGood().data();
        assertThat(none).containsExactly(0, 0, 0, 0);
    }

    @Test
    void twelveReturnsAnEightByteHeaderOfAnEmptyList() {
        byte[] d = h.exec(nexus, 0, readDefectData12(false, true, 0b011, 64), null, 64).assertGood().data();
        assertThat(d).containsExactly(0x00, 0x08 | 0b011, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void reservedFormatsAreInvalidFields() {
        for (int format : new int[] {0b001, 0b010, 0b111}) {
            assertThat(h.exec(nexus, 0, readDefectData10(true, false, format, 32), null, 32)
                    .assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:2.2");
            assertThat(h.exec(nexus, 0, readDefectData12(true, false, format, 32), null, 32)
                    .assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:1.2");
        }
    }

    @Test
    void theAllocationLengthTruncatesTheHeader() {
        assertThat(h.exec(nexus, 0, readDefectData12(true, true, 0, 2), null, 2).assertGood().data()).hasSize(2);
        assertThat(h.exec(nexus, 0, readDefectData10(true, true, 0, 0), null, 0).assertGood().data()).isEmpty();
    }
}
