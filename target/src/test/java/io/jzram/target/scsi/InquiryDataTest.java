package io.jzram.target.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InquiryDataTest {
    private static final LunIdentity ID = new LunIdentity("iqn.2026-01.io.jzram:ram");

    @Test
    void standardDataClaimsSpc4WithHiSupAndCmdQue() {
        byte[] d = InquiryData.standard(ID, InquiryData.PERIPHERAL_DISK);

        assertThat(d[0]).as("qualifier 0, direct access").isZero();
        assertThat(d[1] & 0x80).as("RMB").isZero();
        assertThat(d[2]).as("VERSION SPC-4").isEqualTo((byte) 0x06);
        assertThat(d[3] & 0x0F).as("RESPONSE DATA FORMAT").isEqualTo(2);
        assertThat(d[3] & 0x10).as("HISUP").isNotZero();
        assertThat(d[7] & 0x02).as("CMDQUE").isNotZero();
        assertThat(d[5] & 0x01).as("PROTECT").isZero();
        assertThat((d[4] & 0xFF) + 5).as("ADDITIONAL LENGTH + 5 = length").isEqualTo(d.length);
    }

    @Test
    void standardDataCarriesPaddedIdentificationStrings() {
        byte[] d = InquiryData.standard(ID, InquiryData.PERIPHERAL_DISK);

        assertThat(new String(d, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("JZRAM   ");
        assertThat(new String(d, 16, 16, StandardCharsets.US_ASCII)).isEqualTo("zram            ");
        assertThat(new String(d, 32, 4, StandardCharsets.US_ASCII)).isEqualTo("0001");
    }

    @Test
    void standardDataListsVersionDescriptors() {
        byte[] d = InquiryData.standard(ID, InquiryData.PERIPHERAL_DISK);
        List<Integer> descriptors = new ArrayList<>();
        for (int p = 58; p < 74; p += 2) {
            descriptors.add(Cdb.u16(d, p));
        }

        assertThat(descriptors).contains(0x00A0, 0x0960, 0x0460, 0x04C0);
    }

    @Test
    void peripheralByteForAbsentLuns() {
        assertThat(InquiryData.standard(ID, InquiryData.PERIPHERAL_NO_LUN)[0] & 0xFF).isEqualTo(0x7F);
        assertThat(InquiryData.standard(ID, InquiryData.PERIPHERAL_NOT_CONNECTED)[0] & 0xFF).isEqualTo(0x3F);
        assertThat(InquiryData.standard(ID, InquiryData.PERIPHERAL_NOT_CONNECTED)[2])
                .as("Linux takes the target's SCSI level from LUN 0 even without a device").isEqualTo((byte) 6);
    }

    @Test
    void supportedPagesListsEveryPageAscending() {
        byte[] d = InquiryData.vpd(0x00, ID, 0);

        assertThat(d[1]).isZero();
        assertThat(Cdb.u16(d, 2)).isEqualTo(d.length - 4);
        assertThat(java.util.Arrays.copyOfRange(d, 4, d.length))
                .containsExactly(0x00, 0x80, 0x83, (byte) 0xB0, (byte) 0xB1, (byte) 0xB2);
    }

    @Test
    void unitSerialIsStablePerDevice() {
        byte[] d = InquiryData.vpd(0x80, ID, 5);

        assertThat(d[1] & 0xFF).isEqualTo(0x80);
        assertThat(Cdb.u16(d, 2)).isEqualTo(d.length - 4);
        assertThat(new String(d, 4, d.length - 4, StandardCharsets.US_ASCII)).isEqualTo(ID.unitSerial(5));
        assertThat(InquiryData.vpd(0x80, ID, 5)).isEqualTo(d);
        assertThat(InquiryData.vpd(0x80, ID, 6)).isNotEqualTo(d);
    }

    /** One designation descriptor of page 83h. */
    record Designator(int protocol, int codeSet, boolean piv, int association, int type, byte[] value) {}

    static List<Designator> designators(byte[] page) {
        List<Designator> list = new ArrayList<>();
        int end = 4 + Cdb.u16(page, 2);
        for (int p = 4; p < end; ) {
            int len = page[p + 3] & 0xFF;
            list.add(new Designator((page[p] >>> 4) & 0x0F, page[p] & 0x0F, (page[p + 1] & 0x80) != 0,
                    (page[p + 1] >>> 4) & 0x03, page[p + 1] & 0x0F, java.util.Arrays.copyOfRange(page, p + 4, p + 4 + len)));
            p += 4 + len;
        }
        return list;
    }

    @Test
    void deviceIdentificationHasNaaAndT10DesignatorsOfTheLu() {
        byte[] d = InquiryData.vpd(0x83, ID, 2);
        List<Designator> ds = designators(d);

        assertThat(d[1] & 0xFF).isEqualTo(0x83);
        Designator naa = ds.stream().filter(x -> x.type() == 3).findFirst().orElseThrow();
        assertThat(naa.association()).as("associated with the LU").isZero();
        assertThat(naa.codeSet()).as("binary").isEqualTo(1);
        assertThat(naa.value()).hasSize(8);
        assertThat(Cdb.u64(naa.value(), 0)).isEqualTo(ID.naa(2));
        assertThat((naa.value()[0] >>> 4) & 0x0F).isEqualTo(3);

        Designator t10 = ds.stream().filter(x -> x.type() == 1).findFirst().orElseThrow();
        assertThat(t10.association()).isZero();
        assertThat(t10.codeSet()).as("ASCII").isEqualTo(2);
        assertThat(new String(t10.value(), StandardCharsets.US_ASCII)).isEqualTo("JZRAM   " + ID.unitSerial(2));
    }

    @Test
    void deviceIdentificationNamesTheTargetPortAndDevice() {
        List<Designator> ds = designators(InquiryData.vpd(0x83, ID, 2));

        Designator port = ds.stream().filter(x -> x.type() == 4).findFirst().orElseThrow();
        assertThat(port.association()).isEqualTo(1);
        assertThat(port.piv()).isTrue();
        assertThat(port.protocol()).as("iSCSI").isEqualTo(5);
        assertThat(Cdb.u16(port.value(), 2)).isEqualTo(1);

        Designator name = ds.stream().filter(x -> x.type() == 8).findFirst().orElseThrow();
        assertThat(name.association()).as("target device").isEqualTo(2);
        assertThat(name.codeSet()).as("UTF-8").isEqualTo(3);
        assertThat(name.value().length % 4).isZero();
        assertThat(new String(name.value(), StandardCharsets.UTF_8)).startsWith("iqn.2026-01.io.jzram:ram\0");
    }

    @Test
    void blockLimits() {
        byte[] d = InquiryData.vpd(0xB0, ID, 0);

        assertThat(d).hasSize(64);
        assertThat(Cdb.u16(d, 2)).as("page length 3Ch, which Linux requires").isEqualTo(0x3C);
        assertThat(d[4] & 0x01).as("WSNZ: 0 blocks means to the end of the medium").isEqualTo(0);
        assertThat(Cdb.u16(d, 6)).as("OPTIMAL TRANSFER LENGTH GRANULARITY").isEqualTo(8);
        assertThat(Cdb.u32(d, 8)).as("MAXIMUM TRANSFER LENGTH").isEqualTo(BlockLimits.MAX_TRANSFER_BLOCKS);
        assertThat(Cdb.u32(d, 12)).as("OPTIMAL TRANSFER LENGTH").isEqualTo(BlockLimits.OPTIMAL_TRANSFER_BLOCKS);
        assertThat(Cdb.u32(d, 20)).as("MAXIMUM UNMAP LBA COUNT").isEqualTo(BlockLimits.MAX_UNMAP_BLOCKS);
        assertThat(Cdb.u32(d, 24)).as("MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT").isEqualTo(BlockLimits.MAX_UNMAP_DESCRIPTORS);
        assertThat(Cdb.u32(d, 28)).as("OPTIMAL UNMAP GRANULARITY").isEqualTo(8);
        assertThat(d[32] & 0x80).as("UGAVALID").isNotZero();
        assertThat(Cdb.u32(d, 32) & 0x7FFF_FFFFL).as("UNMAP GRANULARITY ALIGNMENT").isZero();
        assertThat(Cdb.u64(d, 36)).as("MAXIMUM WRITE SAME LENGTH").isEqualTo(BlockLimits.MAX_WRITE_SAME_BLOCKS);
    }

    @Test
    void blockDeviceCharacteristicsSayNonRotating() {
        byte[] d = InquiryData.vpd(0xB1, ID, 0);

        assertThat(Cdb.u16(d, 2)).isEqualTo(0x3C);
        assertThat(Cdb.u16(d, 4)).isEqualTo(1);
    }

    @Test
    void logicalBlockProvisioningIsThinWithUnmapAndWriteSameAndZeroReads() {
        byte[] d = InquiryData.vpd(0xB2, ID, 0);

        assertThat(Cdb.u16(d, 2)).isEqualTo(d.length - 4);
        assertThat(d[5] & 0x80).as("LBPU").isNotZero();
        assertThat(d[5] & 0x40).as("LBPWS").isNotZero();
        assertThat(d[5] & 0x20).as("LBPWS10").isNotZero();
        assertThat((d[5] >>> 2) & 0x07).as("LBPRZ 001b").isEqualTo(1);
        assertThat(d[5] & 0x02).as("ANC_SUP").isZero();
        assertThat(d[6] & 0x07).as("thin provisioned").isEqualTo(2);
    }

    @Test
    void unknownPageIsAnInvalidFieldPointingAtPageCode() {
        assertThatThrownBy(() -> InquiryData.vpd(0x86, ID, 0))
                .isInstanceOfSatisfying(ScsiError.class, e -> {
                    assertThat(SenseData.describe(e.sense())).isEqualTo("05/24/00");
                    assertThat(e.sense()[15] & 0xFF).isEqualTo(0xC0);
                    assertThat(Cdb.u16(e.sense(), 16)).isEqualTo(2);
                });
    }

    @Test
    void withoutALuOnlyPage00ExistsAndCarriesTheQualifier() {
        byte[] d = InquiryData.vpdWithoutLu(0x00, InquiryData.PERIPHERAL_NO_LUN);

        assertThat(d).containsExactly(0x7F, 0, 0, 1, 0);
        assertThatThrownBy(() -> InquiryData.vpdWithoutLu(0x83, InquiryData.PERIPHERAL_NO_LUN))
                .isInstanceOf(ScsiError.class);
    }
}
