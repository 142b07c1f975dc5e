package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static io.jzram.target.scsi.ScsiHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET LBA STATUS (SBC-3 5.6): runs of mapped and deallocated blocks, zero pages deallocated. */
class GetLbaStatusTest {
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

    static byte[] getLbaStatus(long lba, long allocation) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x9E;
        c[1] = 0x12;
        Cdb.put64(c, 2, lba);
        Cdb.put32(c, 10, allocation);
        return c;
    }

    record Descriptor(long lba, long blocks, int status) {}

    private List<Descriptor> status(long lba, int allocation) {
        ScsiHarness.Result r = h.exec(nexus, 0, getLbaStatus(lba, allocation), null, allocation).assertGood();
        byte[] d = r.data();
        long length = Cdb.u32(d, 0);
        assertThat((length - 4) % 16).as("PARAMETER DATA LENGTH: 4 + 16 per descriptor").isZero();
        List<Descriptor> list = new ArrayList<>();
        for (int p = 8; p + 16 <= Math.min(d.length, length + 4); p += 16) {
            list.add(new Descriptor(Cdb.u64(d, p), Cdb.u32(d, p + 8), d[p + 12] & 0x0F));
        }
        return list;
    }

    @Test
    void anUnwrittenDeviceIsOneDeallocatedRunToTheEnd() {
        assertThat(status(0, 24)).containsExactly(new Descriptor(0, BLOCKS, LbaStatus.DEALLOCATED));
    }

    @Test
    void writtenPagesAreMappedAndTheRunsFollowEachOther() {
        h.write(nexus, 0, 16, pattern(16, 1)); // pages 2 and 3
        assertThat(status(0, 8 + 16 * 4)).containsExactly(
                new Descriptor(0, 16, LbaStatus.DEALLOCATED),
                new Descriptor(16, 16, LbaStatus.MAPPED),
                new Descriptor(32, BLOCKS - 32, LbaStatus.DEALLOCATED));
    }

    @Test
    void theFirstDescriptorStartsAtTheStartingLbaEvenInsideAPage() {
        h.write(nexus, 0, 0, pattern(8, 2));
        assertThat(status(3, 24)).containsExactly(new Descriptor(3, 5, LbaStatus.MAPPED));
    }

    @Test
    void aWrittenBlockMapsItsWholePage() {
        h.write(nexus, 0, 9, pattern(1, 3)); // one block of page 1
        assertThat(status(8, 24)).containsExactly(new Descriptor(8, 8, LbaStatus.MAPPED));
    }

    @Test
    void zeroFilledPagesAndUnmappedPagesAreDeallocated() {
        h.write(nexus, 0, 0, pattern(32, 4));
        h.write(nexus, 0, 0, ScsiHarness.zeros(8)); // page 0: same-filled with zeros
        h.exec(nexus, 0, Cdbs.unmap(24), Cdbs.unmapList(new long[] {16, 8})).assertGood(); // page 2
        assertThat(status(0, 8 + 16 * 5)).containsExactly(
                new Descriptor(0, 8, LbaStatus.DEALLOCATED),
                new Descriptor(8, 8, LbaStatus.MAPPED),
                new Descriptor(16, 8, LbaStatus.DEALLOCATED),
                new Descriptor(24, 8, LbaStatus.MAPPED),
                new Descriptor(32, BLOCKS - 32, LbaStatus.DEALLOCATED));
    }

    @Test
    void aPageFilledWithAnotherWordIsMapped() {
        byte[] same = new byte[8 * 512];
        java.util.Arrays.fill(same, (byte) 0x5A);
        h.write(nexus, 0, 8, same);
        assertThat(status(8, 24)).containsExactly(new Descriptor(8, 8, LbaStatus.MAPPED));
    }

    @Test
    void theAllocationLengthLimitsTheDescriptorsButNotTheParameterDataLength() {
        for (int page = 0; page < 10; page += 2) {
            h.write(nexus, 0, page * 8L, pattern(8, page));
        }
        List<Descriptor> two = status(0, 8 + 32);
        assertThat(two).containsExactly(new Descriptor(0, 8, LbaStatus.MAPPED), new Descriptor(8, 8, LbaStatus.DEALLOCATED));
        ScsiHarness.Result r = h.exec(nexus, 0, getLbaStatus(0, 4), null, 4).assertGood();
        assertThat(r.data()).hasSize(4);
        assertThat(Cdb.u32(r.data(), 0)).as("the header says what one descriptor would be").isEqualTo(4 + 16);
    }

    @Test
    void anAllocationLengthOfZeroReturnsNothing() {
        assertThat(h.exec(nexus, 0, getLbaStatus(0, 0), null, 0).assertGood().data()).isEmpty();
    }

    @Test
    void theLastBlockIsTheLastLbaThatCanBeAsked() {
        assertThat(status(BLOCKS - 1, 24)).containsExactly(new Descriptor(BLOCKS - 1, 1, LbaStatus.DEALLOCATED));
        h.exec(nexus, 0, getLbaStatus(BLOCKS, 24), null, 24).assertCheck("05/21/00");
        h.exec(nexus, 0, getLbaStatus(1L << 63, 24), null, 24).assertCheck("05/21/00");
        h.exec(nexus, 0, getLbaStatus(-1L, 24), null, 24).assertCheck("05/21/00");
    }

    @Test
    void aCommandLooksAtNoMoreThanItsScanLimit() throws Exception {
        long blocks = LbaStatus.MAX_SCAN_BLOCKS * 2;
        ZramDevice big = h.addDevice(blocks * 512);
        ScsiCommandSet.NexusHandle n = h.loginClean();
        ScsiHarness.Result r = h.exec(n, big.id(), getLbaStatus(8, 24), null, 24).assertGood();
        assertThat(Cdb.u64(r.data(), 8)).isEqualTo(8);
        assertThat(Cdb.u32(r.data(), 16)).as("cut at the scan limit: true of every block it covers")
                .isEqualTo(LbaStatus.MAX_SCAN_BLOCKS);
    }

    @Test
    void aDeviceWithoutADiskSizeIsNotReady() throws Exception {
        dev.reset(true, java.time.Duration.ofSeconds(5));
        h.exec(nexus, 0, getLbaStatus(0, 24), null, 24).assertCheck("02/04/03");
    }
}
