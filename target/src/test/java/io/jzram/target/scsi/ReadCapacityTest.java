package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.target.scsi.ScsiHarness.Result;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** READ CAPACITY (10) and (16). */
class ReadCapacityTest {
    private static final long SIZE = 3L * MIB;

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
    void readCapacity10ReturnsTheLastLbaNotTheCount() {
        Result r = h.exec(nexus, 0, Cdbs.readCapacity10(), null, 8).assertGood();

        assertThat(Cdb.u32(r.data(), 0)).as("RETURNED LOGICAL BLOCK ADDRESS").isEqualTo(SIZE / 512 - 1);
        assertThat(Cdb.u32(r.data(), 4)).as("BLOCK LENGTH IN BYTES").isEqualTo(512);
    }

    @Test
    void readCapacity16ReportsThinProvisioningAndFourKibPhysicalBlocks() {
        Result r = h.exec(nexus, 0, Cdbs.readCapacity16(32), null, 32).assertGood();
        byte[] d = r.data();

        assertThat(d).hasSize(32);
        assertThat(Cdb.u64(d, 0)).isEqualTo(SIZE / 512 - 1);
        assertThat(Cdb.u32(d, 8)).isEqualTo(512);
        assertThat(d[12] & 0x01).as("PROT_EN").isZero();
        assertThat(d[13] & 0x0F).as("LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT").isEqualTo(3);
        assertThat(d[14] & 0x80).as("LBPME").isNotZero();
        assertThat(d[14] & 0x40).as("LBPRZ").isNotZero();
        assertThat(Cdb.u16(d, 14) & 0x3FFF).as("LOWEST ALIGNED LOGICAL BLOCK ADDRESS").isZero();
    }

    @Test
    void readCapacity16TruncatesToTheAllocationLength() {
        Result r = h.exec(nexus, 0, Cdbs.readCapacity16(12), null, 32).assertGood();

        assertThat(r.data()).hasSize(12);
        assertThat(Cdb.u64(r.data(), 0)).isEqualTo(SIZE / 512 - 1);
        assertThat(h.exec(nexus, 0, Cdbs.readCapacity16(0), null, 32).assertGood().data()).isEmpty();
    }

    @Test
    void readCapacity10IntoASmallBuffer() {
        Result r = h.exec(nexus, 0, Cdbs.readCapacity10(), null, 4).assertGood();

        assertThat(r.data()).hasSize(4);
        assertThat(r.response().fullDataInLength()).isEqualTo(8);
    }

    @Test
    void capacityThatDoesNotFitIn32BitsSaturatesReadCapacity10() {
        assertThat(Cdb.u32(BlockCommands.readCapacity10Data(1L << 32), 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(Cdb.u32(BlockCommands.readCapacity10Data((1L << 32) + 1), 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(Cdb.u32(BlockCommands.readCapacity10Data(0xFFFF_FFFFL), 0)).isEqualTo(0xFFFF_FFFEL);
        assertThat(Cdb.u64(BlockCommands.readCapacity16Data(1L << 40), 0)).isEqualTo((1L << 40) - 1);
    }

    @Test
    void lbaWithoutPmiIsAnInvalidField() {
        byte[] rc10 = Cdbs.readCapacity10();
        rc10[5] = 1;
        assertThat(h.exec(nexus, 0, rc10, null, 8).assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:2");

        rc10[8] = 1; // PMI (obsolete): accepted, still the last LBA
        assertThat(Cdb.u32(h.exec(nexus, 0, rc10, null, 8).assertGood().data(), 0)).isEqualTo(SIZE / 512 - 1);

        byte[] rc16 = Cdbs.readCapacity16(32);
        rc16[9] = 1;
        h.exec(nexus, 0, rc16, null, 32).assertCheck("05/24/00");
    }

    @Test
    void otherServiceActionsOfServiceActionIn16AreInvalid() {
        byte[] cdb = Cdbs.readCapacity16(32);
        cdb[1] = 0x11; // not a service action this device server has (10h READ CAPACITY(16) and 12h GET LBA STATUS are)

        assertThat(h.exec(nexus, 0, cdb, null, 32).assertCheck("05/24/00").fieldPointer()).isEqualTo("cdb:1.4");
    }

    @Test
    void notReadyWhileUninitialized() throws Exception {
        dev.reset(true, Duration.ofSeconds(5));

        h.exec(nexus, 0, Cdbs.readCapacity10(), null, 8).assertCheck("02/04/03");
        h.exec(nexus, 0, Cdbs.readCapacity16(32), null, 32).assertCheck("02/04/03");
    }

    @Test
    void capacityIsRoundedToTheDevicePageSize() throws Exception {
        ZramDevice odd = h.addDevice(1000 * 512 + 1); // init rounds disksize up to 4 KiB
        h.clearUnitAttentions(nexus, odd.id());

        Result r = h.exec(nexus, odd.id(), Cdbs.readCapacity16(32), null, 32).assertGood();

        assertThat(Cdb.u64(r.data(), 0) + 1).isEqualTo(odd.diskSize() / 512);
        assertThat((Cdb.u64(r.data(), 0) + 1) % 8).isZero();
    }
}
