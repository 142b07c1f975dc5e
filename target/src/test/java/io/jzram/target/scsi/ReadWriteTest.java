package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static io.jzram.target.scsi.ScsiHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.target.scsi.ScsiHarness.Result;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** READ and WRITE (6/10/12/16) against a real device. */
class ReadWriteTest {
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

    @Test
    void write16ThenRead16ReturnsTheData() {
        byte[] data = pattern(16, 1);

        h.exec(nexus, 0, Cdbs.write16(100, 16), data).assertGood();
        Result r = h.exec(nexus, 0, Cdbs.read16(100, 16), null, 16 * 512).assertGood();

        assertThat(r.data()).isEqualTo(data);
        assertThat(r.response().fullDataInLength()).isEqualTo(16 * 512);
    }

    @Test
    void everyCdbSizeAddressesTheSameBlocks() {
        byte[] a = pattern(3, 2);
        byte[] b = pattern(3, 3);
        byte[] c = pattern(3, 4);
        byte[] d = pattern(3, 5);

        h.exec(nexus, 0, Cdbs.write6(10, 3), a).assertGood();
        h.exec(nexus, 0, Cdbs.write10(20, 3), b).assertGood();
        h.exec(nexus, 0, Cdbs.write12(30, 3), c).assertGood();
        h.exec(nexus, 0, Cdbs.write16(40, 3), d).assertGood();

        assertThat(h.exec(nexus, 0, Cdbs.read16(10, 3), null, 1536).data()).isEqualTo(a);
        assertThat(h.exec(nexus, 0, Cdbs.read12(20, 3), null, 1536).data()).isEqualTo(b);
        assertThat(h.exec(nexus, 0, Cdbs.read10(30, 3), null, 1536).data()).isEqualTo(c);
        assertThat(h.exec(nexus, 0, Cdbs.read6(40, 3), null, 1536).data()).isEqualTo(d);
    }

    @Test
    void sixByteTransferLengthZeroMeans256Blocks() {
        byte[] data = pattern(256, 6);

        h.exec(nexus, 0, Cdbs.write6(0, 0), data).assertGood();
        Result r = h.exec(nexus, 0, Cdbs.read6(0, 0), null, 256 * 512).assertGood();

        assertThat(r.data()).isEqualTo(data);
    }

    @Test
    void sixByteLbaHas21Bits() {
        byte[] cdb = Cdbs.read6(0, 1);
        cdb[1] = (byte) 0xE0; // the three bits above the 21-bit LBA are not part of it

        h.exec(nexus, 0, cdb, null, 512).assertGood();
    }

    @Test
    void unalignedSingleSectorWritesReadBack() {
        byte[] page = pattern(8, 7);
        h.write(nexus, 0, 64, page);

        byte[] one = pattern(1, 8);
        h.write(nexus, 0, 67, one); // the 4th sector of a page
        byte[] straddle = pattern(2, 9);
        h.write(nexus, 0, 71, straddle); // the last sector of one page and the first of the next

        byte[] expected = Arrays.copyOf(page, 9 * 512);
        System.arraycopy(one, 0, expected, 3 * 512, 512);
        System.arraycopy(straddle, 0, expected, 7 * 512, 1024);
        assertThat(h.read(nexus, 0, 64, 9)).isEqualTo(expected);
    }

    @Test
    void neverWrittenBlocksReadAsZeros() {
        assertThat(h.read(nexus, 0, 1000, 8)).containsOnly(0);
    }

    @Test
    void theLastLbaCanBeWrittenAndRead() {
        byte[] data = pattern(1, 10);

        h.exec(nexus, 0, Cdbs.write10(BLOCKS - 1, 1), data).assertGood();

        assertThat(h.exec(nexus, 0, Cdbs.read10(BLOCKS - 1, 1), null, 512).data()).isEqualTo(data);
        assertThat(h.read(nexus, 0, BLOCKS - 8, 8)).endsWith(data);
    }

    @Test
    void oneBlockBeyondTheEndIsOutOfRange() {
        h.exec(nexus, 0, Cdbs.read10(BLOCKS, 1), null, 512).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.write10(BLOCKS, 1), pattern(1, 0)).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.read16(BLOCKS - 1, 2), null, 1024).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.write16(BLOCKS - 1, 2), pattern(2, 0)).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.read6((int) BLOCKS, 1), null, 512).assertCheck("05/21/00");
    }

    @Test
    void sixtyFourBitLbasNearTwoToThe64DoNotWrap() {
        // 2^64 - 1 + 2 would wrap to 1 in signed arithmetic
        h.exec(nexus, 0, Cdbs.read16(-1L, 2), null, 1024).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.write16(-1L, 2), pattern(2, 0)).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.read16(Long.MIN_VALUE, 1), null, 512).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.read16(-8L, 8), null, 4096).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.read12(0xFFFF_FFFFL, 0xFFFF_FFFFL), null, 512).assertCheck("05/24/00"); // over MAXIMUM TRANSFER LENGTH
        h.exec(nexus, 0, Cdbs.read12(0xFFFF_FFFFL, 2), null, 1024).assertCheck("05/21/00");
        assertThat(h.read(nexus, 0, 0, 1)).containsOnly(0);
    }

    @Test
    void transferLengthZeroTransfersNothingButStillChecksTheLba() {
        Result r = h.exec(nexus, 0, Cdbs.read10(5, 0), null, 512).assertGood();
        assertThat(r.data()).isEmpty();
        assertThat(r.response().fullDataInLength()).isZero();
        h.exec(nexus, 0, Cdbs.write10(5, 0), null).assertGood();
        h.exec(nexus, 0, Cdbs.read10(BLOCKS, 0), null, 0).assertGood();
        h.exec(nexus, 0, Cdbs.read10(BLOCKS + 1, 0), null, 0).assertCheck("05/21/00");
    }

    @Test
    void transfersOverTheMaximumTransferLengthAreInvalid() {
        Result r = h.exec(nexus, 0, Cdbs.read16(0, BlockLimits.MAX_TRANSFER_BLOCKS + 1), null, 512)
                .assertCheck("05/24/00");
        assertThat(r.fieldPointer()).isEqualTo("cdb:10");
        h.exec(nexus, 0, Cdbs.write12(0, BlockLimits.MAX_TRANSFER_BLOCKS + 1), new byte[512]).assertCheck("05/24/00");
    }

    @Test
    void protectionFieldsAreRejected() {
        byte[] read = Cdbs.read10(0, 1);
        read[1] = (byte) 0x20; // RDPROTECT 001b
        assertThat(h.exec(nexus, 0, read, null, 512).assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:1.7");

        byte[] write = Cdbs.write16(0, 1);
        write[1] = (byte) 0x60;
        h.exec(nexus, 0, write, pattern(1, 0)).assertCheck("05/24/00");
    }

    @Test
    void dpoAndFuaAreAccepted() {
        byte[] write = Cdbs.write10(0, 1);
        write[1] = 0x18;
        h.exec(nexus, 0, write, pattern(1, 11)).assertGood();
        byte[] read = Cdbs.read10(0, 1);
        read[1] = 0x18;

        assertThat(h.exec(nexus, 0, read, null, 512).assertGood().data()).isEqualTo(pattern(1, 11));
    }

    @Test
    void writeWithLessDataThanTheCdbAnnouncesWritesTheWholeBlocksReceivedAndReportsTheFullLength() {
        byte[] old = pattern(4, 12);
        h.write(nexus, 0, 0, old);
        byte[] fresh = pattern(4, 13);

        Result r = h.exec(nexus, 0, Cdbs.write10(0, 4), java.util.Arrays.copyOf(fresh, 2 * 512 + 100)).assertGood();

        assertThat(r.response().dataOutLength()).as("for the residual overflow").isEqualTo(4 * 512);
        byte[] expected = old.clone();
        System.arraycopy(fresh, 0, expected, 0, 2 * 512);
        assertThat(h.read(nexus, 0, 0, 4)).isEqualTo(expected);
    }

    @Test
    void writeWithoutAnyDataOutWritesNothing() {
        Result r = h.exec(nexus, 0, Cdbs.write10(0, 1), null).assertGood();

        assertThat(r.response().dataOutLength()).isEqualTo(512);
        assertThat(h.read(nexus, 0, 0, 1)).containsOnly(0);
    }

    @Test
    void writeUsesOnlyTheAnnouncedBytesOfALargerDataOut() {
        byte[] data = pattern(4, 13);

        Result r = h.exec(nexus, 0, Cdbs.write10(0, 2), data).assertGood();

        assertThat(r.response().dataOutLength()).as("for the residual underflow").isEqualTo(1024);
        assertThat(h.read(nexus, 0, 0, 4)).isEqualTo(Arrays.copyOf(Arrays.copyOf(data, 1024), 2048));
    }

    @Test
    void writeAndVerifyWrites() {
        byte[] ten = pattern(2, 17);
        byte[] twelve = pattern(2, 18);
        byte[] sixteen = pattern(2, 19);
        byte[] cdb10 = Cdbs.write10(0, 2);
        cdb10[0] = 0x2E;
        cdb10[1] = 0x02; // BYTCHK 01b
        byte[] cdb12 = Cdbs.write12(2, 2);
        cdb12[0] = (byte) 0xAE;
        byte[] cdb16 = Cdbs.write16(4, 2);
        cdb16[0] = (byte) 0x8E;

        h.exec(nexus, 0, cdb10, ten).assertGood();
        h.exec(nexus, 0, cdb12, twelve).assertGood();
        h.exec(nexus, 0, cdb16, sixteen).assertGood();

        byte[] all = h.read(nexus, 0, 0, 6);
        assertThat(Arrays.copyOfRange(all, 0, 1024)).isEqualTo(ten);
        assertThat(Arrays.copyOfRange(all, 1024, 2048)).isEqualTo(twelve);
        assertThat(Arrays.copyOfRange(all, 2048, 3072)).isEqualTo(sixteen);
        cdb16[1] = 0x04; // BYTCHK 10b: reserved
        h.exec(nexus, 0, cdb16, sixteen).assertCheck("05/24/00");
    }

    @Test
    void responsesSayHowMuchDataOutTheyWanted() {
        assertThat(h.exec(nexus, 0, Cdbs.read10(0, 1), null, 512).response().dataOutLength()).isZero();
        assertThat(h.exec(nexus, 0, Cdbs.testUnitReady()).response().dataOutLength()).isZero();
        assertThat(h.exec(nexus, 0, Cdbs.read10(BLOCKS, 1), null, 512).response().dataOutLength()).isEqualTo(-1);
        assertThat(new ScsiResponse(0, null, 0, 0).dataOutLength()).as("four-argument constructor").isEqualTo(-1);
    }

    @Test
    void readIntoASmallerBufferFillsWhatFitsAndReportsTheFullLength() {
        byte[] data = pattern(4, 14);
        h.write(nexus, 0, 8, data);

        Result whole = h.exec(nexus, 0, Cdbs.read10(8, 4), null, 1024).assertGood();
        assertThat(whole.data()).isEqualTo(Arrays.copyOf(data, 1024));
        assertThat(whole.response().fullDataInLength()).isEqualTo(2048);

        Result partial = h.exec(nexus, 0, Cdbs.read10(8, 4), null, 700).assertGood();
        assertThat(partial.data()).isEqualTo(Arrays.copyOf(data, 700));
        assertThat(partial.response().fullDataInLength()).isEqualTo(2048);

        Result none = h.exec(nexus, 0, Cdbs.read10(8, 4), null, 0).assertGood();
        assertThat(none.response().fullDataInLength()).isEqualTo(2048);
    }

    @Test
    void readIntoALargerBufferReportsWhatWasTransferred() {
        Result r = h.exec(nexus, 0, Cdbs.read10(0, 1), null, 4096).assertGood();

        assertThat(r.response().dataInLength()).isEqualTo(512);
        assertThat(r.response().fullDataInLength()).isEqualTo(512);
    }

    @Test
    void buffersAreUsedFromTheirPositionAndLeftAsTheyWere() {
        byte[] data = pattern(2, 15);
        ByteBuffer out = ByteBuffer.allocateDirect(100 + 1024 + 50);
        out.position(100).put(data).flip().position(100);
        h.exec(nexus, 0, Cdbs.write10(3, 2), out, null).assertGood();

        ByteBuffer in = ByteBuffer.allocateDirect(4096);
        in.position(333).limit(333 + 1024);
        Result r = h.exec(nexus, 0, Cdbs.read10(3, 2), null, in).assertGood();

        assertThat(r.data()).isEqualTo(data);
        byte[] before = new byte[333];
        in.get(0, before);
        assertThat(before).containsOnly(0);
    }

    @Test
    void writeOverMemLimitIsSpaceAllocationFailedAndKeepsOldData() throws Exception {
        byte[] old = pattern(8, 16);
        h.write(nexus, 0, 0, old);
        dev.setMemLimit(dev.mmStat().memUsedTotal() + 4096);

        java.util.Random rnd = new java.util.Random(1);
        Result failed = null;
        for (int i = 0; i < 256 && failed == null; i++) {
            byte[] noise = new byte[64 * 1024]; // incompressible: forces allocations
            rnd.nextBytes(noise);
            Result r = h.exec(nexus, 0, Cdbs.write10(1024 + i * 128L, 128), noise);
            if (r.status() != ScsiResponse.GOOD) {
                failed = r;
            }
        }

        assertThat(failed).as("a write over mem_limit must fail").isNotNull();
        failed.assertCheck("07/27/07");
        assertThat(h.read(nexus, 0, 0, 8)).isEqualTo(old);
    }

    /**
     * READ and WRITE work on the buffer's window (position to limit), not the whole buffer, and put
     * position and limit back, also when the device call fails (the harness checks both after
     * every command). The windows here start inside larger buffers, and the write's holds more
     * bytes than the CDB announces (ignored), so a bound left in place would show.
     */
    @Test
    void readAndWriteUseTheBufferWindowAndLeaveItsPositionAndLimitAlone() throws Exception {
        byte[] data = pattern(4, 21);
        ByteBuffer out = ByteBuffer.allocate(8192);
        out.put(1024, data).position(1024).limit(1024 + data.length + 512);
        h.exec(nexus, 0, Cdbs.write16(8, 4), out, null).assertGood();

        ByteBuffer in = ByteBuffer.allocate(8192);
        in.position(512).limit(512 + data.length);
        assertThat(h.exec(nexus, 0, Cdbs.read16(8, 4), null, in).assertGood().data()).isEqualTo(data);
        assertThat(Arrays.copyOfRange(in.array(), 0, 512)).containsOnly(0);
        assertThat(Arrays.copyOfRange(in.array(), 512 + data.length, 8192)).containsOnly(0);

        dev.setMemLimit(dev.mmStat().memUsedTotal() + 4096);
        java.util.Random rnd = new java.util.Random(2);
        Result failed = null;
        for (int i = 0; i < 64 && failed == null; i++) {
            ByteBuffer noise = ByteBuffer.allocate(96 * 1024); // incompressible: forces allocations
            rnd.nextBytes(noise.array());
            noise.position(4096).limit(4096 + 64 * 1024 + 512);
            Result r = h.exec(nexus, 0, Cdbs.write10(1024 + i * 128L, 128), noise, null);
            if (r.status() != ScsiResponse.GOOD) {
                failed = r;
            }
        }
        assertThat(failed).as("a write over mem_limit must fail").isNotNull();
        failed.assertCheck("07/27/07");
    }

    @Test
    void uninitializedDeviceIsNotReady() throws Exception {
        dev.reset(true, Duration.ofSeconds(5));

        h.exec(nexus, 0, Cdbs.read10(0, 1), null, 512).assertCheck("02/04/03");
        h.exec(nexus, 0, Cdbs.write10(0, 1), pattern(1, 0)).assertCheck("02/04/03");
        h.exec(nexus, 0, Cdbs.testUnitReady()).assertCheck("02/04/03");
    }
}
