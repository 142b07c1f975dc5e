package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static io.jzram.target.scsi.ScsiHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.target.scsi.ScsiHarness.Result;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VERIFY (10/16) and SYNCHRONIZE CACHE (10/16). */
class VerifyAndSynchronizeCacheTest {
    private static final long SIZE = 2L * MIB;
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
    void verifyWithoutByteCheckOnlyChecksTheRange() {
        h.exec(nexus, 0, Cdbs.verify10(0, 100, 0)).assertGood();
        h.exec(nexus, 0, Cdbs.verify16(BLOCKS - 1, 1, 0)).assertGood();
        h.exec(nexus, 0, Cdbs.verify16(BLOCKS - 1, 2, 0)).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.verify16(-1L, 2, 0)).assertCheck("05/21/00");
    }

    @Test
    void verifyWithByteCheckComparesWithTheDataOut() {
        int blocks = BlockCommands.VERIFY_CHUNK / 512 + 3; // more than one compare chunk
        byte[] data = pattern(blocks, 1);
        h.write(nexus, 0, 10, data);

        h.exec(nexus, 0, Cdbs.verify10(10, blocks, 1), data).assertGood();
    }

    @Test
    void miscompareReportsTheOffsetOfTheFirstDifferentByte() {
        int blocks = BlockCommands.VERIFY_CHUNK / 512 + 3;
        byte[] data = pattern(blocks, 2);
        h.write(nexus, 0, 10, data);
        byte[] other = data.clone();
        int at = BlockCommands.VERIFY_CHUNK + 700;
        other[at] ^= 1;

        Result r = h.exec(nexus, 0, Cdbs.verify16(10, blocks, 1), other).assertCheck("0E/1D/00");

        assertThat(r.sense()[0] & 0x80).as("VALID").isNotZero();
        assertThat(Cdb.u32(r.sense(), 3)).as("INFORMATION").isEqualTo(at);
    }

    @Test
    void byteCheck11bComparesEveryBlockWithOneBlock() {
        byte[] block = pattern(1, 3);
        h.exec(nexus, 0, Cdbs.writeSame16(0, 20, false, false), block).assertGood();

        h.exec(nexus, 0, Cdbs.verify16(0, 20, 3), block).assertGood();
        Result r = h.exec(nexus, 0, Cdbs.verify16(0, 21, 3), block).assertCheck("0E/1D/00");
        assertThat(Cdb.u32(r.sense(), 3)).isLessThan(512);
    }

    /** VERIFY(12): the 12-byte CDB (LBA in bytes 2-5, a 32-bit length in 6-9), the same rules. */
    static byte[] verify12(long lba, long blocks, int bytchk) {
        byte[] c = new byte[12];
        c[0] = (byte) 0xAF;
        c[1] = (byte) (bytchk << 1);
        Cdb.put32(c, 2, lba);
        Cdb.put32(c, 6, blocks);
        return c;
    }

    @Test
    void verify12ChecksItsRangeAndComparesLikeTheOthers() {
        byte[] data = pattern(9, 7);
        h.write(nexus, 0, 30, data);

        h.exec(nexus, 0, verify12(BLOCKS - 1, 1, 0)).assertGood();
        h.exec(nexus, 0, verify12(BLOCKS - 1, 2, 0)).assertCheck("05/21/00");
        h.exec(nexus, 0, verify12(30, 9, 1), data).assertGood();
        byte[] other = data.clone();
        other[4000] ^= 0x40;
        Result r = h.exec(nexus, 0, verify12(30, 9, 1), other).assertCheck("0E/1D/00");
        assertThat(Cdb.u32(r.sense(), 3)).as("INFORMATION").isEqualTo(4000);
        assertThat(h.exec(nexus, 0, verify12(0, 1, 2), pattern(1, 0)).assertCheck("05/24/00").fieldPointer())
                .isEqualTo("cdb:1.2");
    }

    @Test
    void byteCheck10bIsReserved() {
        assertThat(h.exec(nexus, 0, Cdbs.verify10(0, 1, 2), pattern(1, 0)).assertCheck("05/24/00").fieldPointer())
                .isEqualTo("cdb:1.2");
    }

    @Test
    void verifyWithByteCheckNeedsTheData() {
        h.exec(nexus, 0, Cdbs.verify10(0, 2, 1), pattern(1, 0)).assertCheck("05/24/00");
        h.exec(nexus, 0, Cdbs.verify10(0, 0, 1), null).assertGood();
    }

    @Test
    void verifyProtectIsRejected() {
        byte[] cdb = Cdbs.verify10(0, 1, 0);
        cdb[1] |= (byte) 0x20;

        h.exec(nexus, 0, cdb).assertCheck("05/24/00");
    }

    @Test
    void synchronizeCacheChecksItsRangeAndSucceeds() {
        h.exec(nexus, 0, Cdbs.synchronizeCache10(0, 0)).assertGood(); // to the end of the device
        h.exec(nexus, 0, Cdbs.synchronizeCache10(0, (int) BLOCKS)).assertGood();
        h.exec(nexus, 0, Cdbs.synchronizeCache16(BLOCKS - 1, 1)).assertGood();
        h.exec(nexus, 0, Cdbs.synchronizeCache16(BLOCKS, 1)).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.synchronizeCache16(BLOCKS + 1, 0)).assertCheck("05/21/00");
        h.exec(nexus, 0, Cdbs.synchronizeCache16(-1L, 2)).assertCheck("05/21/00");
    }

    @Test
    void synchronizeCacheWhileUninitializedIsNotReady() throws Exception {
        dev.reset(true, Duration.ofSeconds(5));

        h.exec(nexus, 0, Cdbs.synchronizeCache10(0, 0)).assertCheck("02/04/03");
        h.exec(nexus, 0, Cdbs.verify10(0, 1, 0)).assertCheck("02/04/03");
    }
}
