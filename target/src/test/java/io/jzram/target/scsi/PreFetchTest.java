package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static io.jzram.target.scsi.ScsiHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PRE-FETCH(10) and (16) (SBC-3 5.9, 5.10): range checks only; GOOD, never CONDITION MET. */
class PreFetchTest {
    private static final long SIZE = 4L * MIB;
    private static final long BLOCKS = SIZE / 512;

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

    static byte[] preFetch10(long lba, int blocks, boolean immed, int group) {
        byte[] c = new byte[10];
        c[0] = 0x34;
        c[1] = (byte) (immed ? 0x02 : 0);
        Cdb.put32(c, 2, lba);
        c[6] = (byte) group;
        Cdb.put16(c, 7, blocks);
        return c;
    }

    static byte[] preFetch16(long lba, long blocks, boolean immed, int group) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x90;
        c[1] = (byte) (immed ? 0x02 : 0);
        Cdb.put64(c, 2, lba);
        Cdb.put32(c, 10, blocks);
        c[14] = (byte) group;
        return c;
    }

    @Test
    void aRangeOnTheMediumIsGoodWithOrWithoutImmedAndAnyGroup() {
        assertThat(h.exec(nexus, 0, preFetch10(0, 8, false, 0)).assertGood().status()).isEqualTo(ScsiResponse.GOOD);
        h.exec(nexus, 0, preFetch10(BLOCKS - 8, 8, true, 3)).assertGood();
        h.exec(nexus, 0, preFetch16(0, BLOCKS, false, 0)).assertGood();
        h.exec(nexus, 0, preFetch16(BLOCKS - 1, 1, true, 3)).assertGood();
    }

    @Test
    void itChangesNothing() {
        byte[] data = pattern(8, 5);
        h.write(nexus, 0, 0, data);
        long before = dev.mmStat().memUsedTotal();
        h.exec(nexus, 0, preFetch16(0, 8, false, 0)).assertGood();
        assertThat(h.read(nexus, 0, 0, 8)).isEqualTo(data);
        assertThat(dev.mmStat().memUsedTotal()).isEqualTo(before);
    }

    @Test
    void zeroBlocksIsGoodOnTheMediumAndOutOfRangePastIt() {
        h.exec(nexus, 0, preFetch10(0, 0, false, 0)).assertGood();
        h.exec(nexus, 0, preFetch10(BLOCKS + 1, 0, false, 0)).assertCheck("05/21/00");
        h.exec(nexus, 0, preFetch16(-1L, 0, false, 0)).assertCheck("05/21/00");
    }

    @Test
    void aRangeBeyondTheEndIsOutOfRange() {
        h.exec(nexus, 0, preFetch10(BLOCKS - 1, 2, false, 0)).assertCheck("05/21/00");
        h.exec(nexus, 0, preFetch16(1L << 63, 1, false, 0)).assertCheck("05/21/00");
    }

    @Test
    void aDeviceWithoutADiskSizeIsNotReady() throws Exception {
        dev.reset(true, java.time.Duration.ofSeconds(5));
        h.exec(nexus, 0, preFetch10(0, 1, false, 0)).assertCheck("02/04/03");
    }
}
