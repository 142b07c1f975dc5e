package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static io.jzram.target.scsi.ScsiHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.target.scsi.ScsiHarness.Result;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UNMAP: parameter list validation and its effect on the device. */
class UnmapTest {
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

    private Result unmap(byte[] list) {
        return h.exec(nexus, 0, Cdbs.unmap(list.length), list);
    }

    private void fillWithNoise(long lba, int blocks) {
        byte[] noise = new byte[blocks * 512];
        new Random(lba).nextBytes(noise);
        h.write(nexus, 0, lba, noise);
    }

    @Test
    void unmapFreesTheMemoryOfWholePages() {
        fillWithNoise(0, 2048); // 1 MiB of incompressible data
        long before = dev.mmStat().memUsedTotal();

        unmap(Cdbs.unmapList(new long[] {0, 2048})).assertGood();

        assertThat(dev.mmStat().memUsedTotal()).isLessThan(before);
        assertThat(h.read(nexus, 0, 0, 2048)).containsOnly(0);
    }

    @Test
    void partiallyCoveredEdgePagesAreZeroedSoTheWholeRangeReadsZeros() {
        byte[] data = pattern(24, 1);
        h.write(nexus, 0, 0, data); // pages 0, 1, 2

        unmap(Cdbs.unmapList(new long[] {3, 15})).assertGood(); // sectors 3..17: page 1 whole, 0 and 2 partly

        byte[] expected = data.clone();
        Arrays.fill(expected, 3 * 512, 18 * 512, (byte) 0);
        assertThat(h.read(nexus, 0, 0, 24)).isEqualTo(expected);
    }

    @Test
    void aSingleBlockReadsZerosAfterUnmap() {
        h.write(nexus, 0, 0, pattern(8, 5));

        unmap(Cdbs.unmapList(new long[] {1, 1})).assertGood();

        byte[] expected = pattern(8, 5);
        Arrays.fill(expected, 512, 1024, (byte) 0);
        assertThat(h.read(nexus, 0, 0, 8)).isEqualTo(expected);
    }

    @Test
    void severalDescriptorsAreAllApplied() {
        h.write(nexus, 0, 0, pattern(32, 2));

        unmap(Cdbs.unmapList(new long[] {0, 8}, new long[] {16, 8}, new long[] {30, 0})).assertGood();

        assertThat(h.read(nexus, 0, 0, 8)).containsOnly(0);
        assertThat(h.read(nexus, 0, 8, 8)).isEqualTo(Arrays.copyOfRange(pattern(32, 2), 8 * 512, 16 * 512));
        assertThat(h.read(nexus, 0, 16, 8)).containsOnly(0);
    }

    @Test
    void lastPageOfTheDeviceCanBeUnmapped() {
        fillWithNoise(BLOCKS - 8, 8);

        unmap(Cdbs.unmapList(new long[] {BLOCKS - 8, 8})).assertGood();

        assertThat(h.read(nexus, 0, BLOCKS - 8, 8)).containsOnly(0);
    }

    @Test
    void parameterListLengthZeroIsNotAnError() {
        h.exec(nexus, 0, Cdbs.unmap(0), null).assertGood();
    }

    @Test
    void parameterListShorterThanTheHeaderIsALengthError() {
        h.exec(nexus, 0, Cdbs.unmap(7), new byte[7]).assertCheck("05/1A/00");
        h.exec(nexus, 0, Cdbs.unmap(24), new byte[8]).assertCheck("05/1A/00");
    }

    @Test
    void descriptorDataLengthBeyondTheListIsAnInvalidField() {
        byte[] list = Cdbs.unmapList(new long[] {0, 8});
        Cdb.put16(list, 2, 32);
        Cdb.put16(list, 0, 38);

        assertThat(unmap(list).assertCheck("05/26/00").fieldPointer()).isEqualTo("list:2");
    }

    @Test
    void inconsistentUnmapDataLengthIsAnInvalidField() {
        byte[] list = Cdbs.unmapList(new long[] {0, 8});
        Cdb.put16(list, 0, 4); // less than the descriptors it should cover

        assertThat(unmap(list).assertCheck("05/26/00").fieldPointer()).isEqualTo("list:0");

        Cdb.put16(list, 0, 200); // more than was sent
        unmap(list).assertCheck("05/26/00");
    }

    @Test
    void anIncompleteLastDescriptorIsIgnored() {
        h.write(nexus, 0, 0, pattern(16, 3));
        byte[] list = Arrays.copyOf(Cdbs.unmapList(new long[] {0, 8}), 8 + 16 + 10);
        Cdb.put16(list, 0, list.length - 2);
        Cdb.put16(list, 2, 26);
        Cdb.put64(list, 24, 8);

        unmap(list).assertGood();

        assertThat(h.read(nexus, 0, 0, 8)).containsOnly(0);
        assertThat(h.read(nexus, 0, 8, 8)).isEqualTo(Arrays.copyOfRange(pattern(16, 3), 4096, 8192));
    }

    @Test
    void outOfRangeDescriptorFailsTheWholeCommandBeforeAnythingIsUnmapped() {
        byte[] data = pattern(8, 4);
        h.write(nexus, 0, 0, data);

        unmap(Cdbs.unmapList(new long[] {0, 8}, new long[] {BLOCKS - 4, 5})).assertCheck("05/21/00");
        unmap(Cdbs.unmapList(new long[] {-1L, 2})).assertCheck("05/21/00");
        unmap(Cdbs.unmapList(new long[] {BLOCKS, 1})).assertCheck("05/21/00");

        assertThat(h.read(nexus, 0, 0, 8)).isEqualTo(data);
    }

    @Test
    void moreDescriptorsThanTheBlockLimitsAllowAreAnInvalidField() {
        long[][] ranges = new long[BlockLimits.MAX_UNMAP_DESCRIPTORS + 1][];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = new long[] {8L * i, 8};
        }

        unmap(Cdbs.unmapList(ranges)).assertCheck("05/26/00");
        unmap(Cdbs.unmapList(Arrays.copyOf(ranges, BlockLimits.MAX_UNMAP_DESCRIPTORS))).assertGood();
    }

    @Test
    void moreBlocksThanTheMaximumUnmapLbaCountAreAnInvalidField() throws Exception {
        long max = BlockLimits.MAX_UNMAP_BLOCKS;
        ZramDevice big = h.addDevice((max + 8) * 512); // sparse: nothing is allocated until written
        h.clearUnitAttentions(nexus, big.id());

        byte[] tooMany = Cdbs.unmapList(new long[] {0, max}, new long[] {max, 8});
        Result r = h.exec(nexus, big.id(), Cdbs.unmap(tooMany.length), tooMany).assertCheck("05/26/00");
        assertThat(r.fieldPointer()).as("the NUMBER OF LOGICAL BLOCKS that crosses the limit").isEqualTo("list:" + (8 + 16 + 8));

        byte[] exactly = Cdbs.unmapList(new long[] {0, max - 8}, new long[] {max, 8});
        h.exec(nexus, big.id(), Cdbs.unmap(exactly.length), exactly).assertGood();
    }

    @Test
    void anchorIsNotSupported() {
        byte[] list = Cdbs.unmapList(new long[] {0, 8});
        byte[] cdb = Cdbs.unmap(list.length);
        cdb[1] = 1;

        assertThat(h.exec(nexus, 0, cdb, list).assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:1.0");
    }
}
