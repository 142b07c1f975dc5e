package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static io.jzram.target.scsi.ScsiHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WRITE SAME (10) and (16), with and without UNMAP, and NDOB. */
class WriteSameTest {
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

    private byte[] noise(int blocks, long seed) {
        byte[] b = new byte[blocks * 512];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void unmapWithAZeroBlockReadsBackZerosIncludingPartialEdgePages() {
        byte[] data = noise(48, 1);
        h.write(nexus, 0, 0, data);

        h.exec(nexus, 0, Cdbs.writeSame16(5, 30, true, false), ScsiHarness.zeros(1)).assertGood(); // sectors 5..34

        byte[] expected = data.clone();
        Arrays.fill(expected, 5 * 512, 35 * 512, (byte) 0);
        assertThat(h.read(nexus, 0, 0, 48)).isEqualTo(expected);
    }

    @Test
    void unmapFreesMemory() {
        h.write(nexus, 0, 0, noise(2048, 2));
        long before = dev.mmStat().memUsedTotal();

        h.exec(nexus, 0, Cdbs.writeSame10(0, 2048, true), ScsiHarness.zeros(1)).assertGood();

        assertThat(dev.mmStat().memUsedTotal()).isLessThan(before);
        assertThat(h.read(nexus, 0, 0, 2048)).containsOnly(0);
    }

    @Test
    void zeroBlockWithoutUnmapAlsoZeroes() {
        h.write(nexus, 0, 0, noise(16, 3));

        h.exec(nexus, 0, Cdbs.writeSame10(1, 14, false), ScsiHarness.zeros(1)).assertGood();

        byte[] got = h.read(nexus, 0, 0, 16);
        assertThat(Arrays.copyOfRange(got, 512, 15 * 512)).containsOnly(0);
        assertThat(Arrays.copyOfRange(got, 0, 512)).isEqualTo(Arrays.copyOfRange(noise(16, 3), 0, 512));
        assertThat(Arrays.copyOfRange(got, 15 * 512, 16 * 512)).isEqualTo(Arrays.copyOfRange(noise(16, 3), 15 * 512, 16 * 512));
    }

    @Test
    void nonZeroBlockIsReplicatedOverTheRangeBeyondOneChunk() {
        byte[] block = pattern(1, 4);
        int blocks = BlockCommands.PATTERN_CHUNK / 512 * 3 + 5;

        h.exec(nexus, 0, Cdbs.writeSame16(3, blocks, false, false), block).assertGood();

        byte[] got = h.read(nexus, 0, 3, blocks);
        for (int i = 0; i < blocks; i++) {
            assertThat(Arrays.copyOfRange(got, i * 512, i * 512 + 512)).as("block %d", i).isEqualTo(block);
        }
        assertThat(h.read(nexus, 0, 0, 3)).containsOnly(0);
        assertThat(h.read(nexus, 0, 3 + blocks, 1)).containsOnly(0);
    }

    @Test
    void unmapDeallocatesWhateverTheBlockHolds() {
        h.write(nexus, 0, 0, noise(9, 5));
        long before = dev.mmStat().memUsedTotal();

        h.exec(nexus, 0, Cdbs.writeSame16(0, 9, true, false), pattern(1, 5)).assertGood();

        assertThat(h.read(nexus, 0, 0, 9)).as("deallocated blocks read zeros (LBPRZ=1)").containsOnly(0);
        assertThat(dev.mmStat().memUsedTotal()).isLessThan(before);
    }

    @Test
    void ndobWritesZerosWithoutDataOut() {
        h.write(nexus, 0, 0, noise(8, 6));

        h.exec(nexus, 0, Cdbs.writeSame16(0, 8, true, true), null).assertGood();
        h.write(nexus, 0, 8, noise(8, 7));
        h.exec(nexus, 0, Cdbs.writeSame16(8, 8, false, true), null).assertGood();

        assertThat(h.read(nexus, 0, 0, 16)).containsOnly(0);
    }

    @Test
    void theLastBlocksOfTheDevice() {
        byte[] block = pattern(1, 8);

        h.exec(nexus, 0, Cdbs.writeSame16(BLOCKS - 3, 3, false, false), block).assertGood();

        assertThat(Arrays.copyOfRange(h.read(nexus, 0, BLOCKS - 1, 1), 0, 512)).isEqualTo(block);
        h.exec(nexus, 0, Cdbs.writeSame16(BLOCKS - 3, 4, false, false), block).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.writeSame16(-2L, 4, true, false), ScsiHarness.zeros(1)).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.writeSame10(BLOCKS, 1, true), ScsiHarness.zeros(1)).assertCheck("05/21/00");
    }

    @Test
    void zeroBlocksWritesFromTheLbaToTheEndOfTheMediumBecauseWsnzIsClear() {
        byte[] block = pattern(1, 9);
        h.write(nexus, 0, BLOCKS - 20, noise(4, 10));

        h.exec(nexus, 0, Cdbs.writeSame16(BLOCKS - 16, 0, false, false), block).assertGood();

        byte[] tail = h.read(nexus, 0, BLOCKS - 20, 20);
        assertThat(Arrays.copyOfRange(tail, 0, 4 * 512)).as("before the LBA: untouched").isEqualTo(noise(4, 10));
        for (int b = 4; b < 20; b++) {
            assertThat(Arrays.copyOfRange(tail, b * 512, b * 512 + 512)).as("block %d", b).isEqualTo(block);
        }
    }

    @Test
    void zeroBlocksAtTheEndOfTheMediumWritesNothingAndPastItIsOutOfRange() {
        h.exec(nexus, 0, Cdbs.writeSame10(BLOCKS, 0, false), pattern(1, 1)).assertGood();
        h.exec(nexus, 0, Cdbs.writeSame10(BLOCKS + 1, 0, false), pattern(1, 1)).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.writeSame16(-1L, 0, true, false), ScsiHarness.zeros(1)).assertCheck("05/21/00");
    }

    @Test
    void zeroBlocksCountsAsTheRestOfTheMediumAgainstTheMaximumWriteSameLength() throws Exception {
        long big = (BlockLimits.MAX_WRITE_SAME_BLOCKS + 16) * 512;
        ZramDevice large = h.addDevice(big);
        ScsiCommandSet.NexusHandle n = h.loginClean();
        int lun = large.id();
        assertThat(h.exec(n, lun, Cdbs.writeSame16(0, 0, true, false), ScsiHarness.zeros(1))
                .assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:10");
        h.exec(n, lun, Cdbs.writeSame16(16, 0, true, false), ScsiHarness.zeros(1)).assertGood();
    }

    @Test
    void moreThanTheMaximumWriteSameLengthIsRejected() {
        h.exec(nexus, 0, Cdbs.writeSame16(0, BlockLimits.MAX_WRITE_SAME_BLOCKS + 1, true, false), ScsiHarness.zeros(1))
                .assertCheck("05/24/00");
    }

    @Test
    void unsupportedFlagsAreRejected() {
        byte[] anchor = Cdbs.writeSame16(0, 8, true, false);
        anchor[1] |= 0x10;
        assertThat(h.exec(nexus, 0, anchor, ScsiHarness.zeros(1)).assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:1.4");

        byte[] lbdata = Cdbs.writeSame10(0, 8, false);
        lbdata[1] |= 0x02;
        h.exec(nexus, 0, lbdata, pattern(1, 0)).assertCheck("05/24/00");

        byte[] pbdata = Cdbs.writeSame10(0, 8, false);
        pbdata[1] |= 0x04;
        h.exec(nexus, 0, pbdata, pattern(1, 0)).assertCheck("05/24/00");

        byte[] wrprotect = Cdbs.writeSame16(0, 8, false, false);
        wrprotect[1] |= (byte) 0x20;
        h.exec(nexus, 0, wrprotect, pattern(1, 0)).assertCheck("05/24/00");
    }

    @Test
    void dataOutOtherThanExactlyOneBlockIsRejected() {
        h.exec(nexus, 0, Cdbs.writeSame10(0, 8, false), null).assertCheck("05/24/00");
        h.exec(nexus, 0, Cdbs.writeSame10(0, 8, false), new byte[100]).assertCheck("05/24/00");
        h.exec(nexus, 0, Cdbs.writeSame16(0, 1, true, false), new byte[1024]).assertCheck("05/24/00");
        h.exec(nexus, 0, Cdbs.writeSame16(0, 1, true, false), new byte[512]).assertGood();
    }
}
