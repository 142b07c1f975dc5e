package io.jzram.target.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SenseDataTest {

    @Test
    void fixedFormatIs18BytesWithResponseCode70hAndAdditionalLength10() {
        byte[] s = SenseData.of(SenseData.ILLEGAL_REQUEST, 0x21, 0x00);

        assertThat(s).hasSize(18);
        assertThat(s[0] & 0xFF).isEqualTo(0x70);
        assertThat(s[7]).isEqualTo((byte) 10);
        assertThat(s.length).isEqualTo(8 + s[7]);
    }

    @Test
    void senseKeyAscAndAscqAreReallySet() {
        byte[] s = SenseData.of(SenseData.DATA_PROTECT, 0x27, 0x07);

        assertThat(s[2] & 0x0F).isEqualTo(0x07);
        assertThat(s[12] & 0xFF).isEqualTo(0x27);
        assertThat(s[13] & 0xFF).isEqualTo(0x07);
        assertThat(SenseData.describe(s)).isEqualTo("07/27/07");
    }

    @Test
    void withoutInformationValidIsClearAndWithItSetAndBigEndian() {
        assertThat(SenseData.of(SenseData.MISCOMPARE, 0x1D, 0)[0] & 0x80).isZero();

        byte[] s = SenseData.build(SenseData.MISCOMPARE, 0x1D, 0x00, 0x01020304L, -1);

        assertThat(s[0] & 0xFF).isEqualTo(0xF0);
        assertThat(new byte[] {s[3], s[4], s[5], s[6]}).containsExactly(1, 2, 3, 4);
        assertThat(s[15] & 0x80).as("SKSV").isZero();
    }

    @Test
    void fieldPointerInCdbWithBitPointer() {
        byte[] s = SenseData.build(SenseData.ILLEGAL_REQUEST, 0x24, 0, -1, SenseData.fieldPointer(true, 1, 7));

        assertThat(s[15] & 0xFF).as("SKSV | C/D | BPV | bit 7").isEqualTo(0x80 | 0x40 | 0x08 | 0x07);
        assertThat(s[16]).isZero();
        assertThat(s[17]).isEqualTo((byte) 1);
    }

    @Test
    void fieldPointerInParameterListWithoutBitPointer() {
        byte[] s = SenseData.build(SenseData.ILLEGAL_REQUEST, 0x26, 0, -1, SenseData.fieldPointer(false, 0x1234, -1));

        assertThat(s[15] & 0xFF).isEqualTo(0x80);
        assertThat(s[16] & 0xFF).isEqualTo(0x12);
        assertThat(s[17] & 0xFF).isEqualTo(0x34);
    }

    @Test
    void decodesDescriptorFormatToo() {
        byte[] descriptor = {0x72, 0x06, 0x2A, 0x09, 0, 0, 0, 0};

        assertThat(SenseData.senseKey(descriptor)).isEqualTo(6);
        assertThat(SenseData.asc(descriptor)).isEqualTo(0x2A);
        assertThat(SenseData.ascq(descriptor)).isEqualTo(0x09);
    }

    @Test
    void scsiErrorFactoriesCarryTheirCodes() {
        assertThat(SenseData.describe(ScsiError.invalidOpcode().sense())).isEqualTo("05/20/00");
        assertThat(SenseData.describe(ScsiError.lbaOutOfRange().sense())).isEqualTo("05/21/00");
        assertThat(SenseData.describe(ScsiError.invalidFieldInCdb(2, -1).sense())).isEqualTo("05/24/00");
        assertThat(SenseData.describe(ScsiError.lunNotSupported().sense())).isEqualTo("05/25/00");
        assertThat(SenseData.describe(ScsiError.invalidFieldInParameterList(0, -1).sense())).isEqualTo("05/26/00");
        assertThat(SenseData.describe(ScsiError.parameterListLength().sense())).isEqualTo("05/1A/00");
        assertThat(SenseData.describe(ScsiError.savingParametersNotSupported().sense())).isEqualTo("05/39/00");
        assertThat(SenseData.describe(ScsiError.notReady().sense())).isEqualTo("02/04/03");
    }
}
