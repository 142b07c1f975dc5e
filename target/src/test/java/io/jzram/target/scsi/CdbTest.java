package io.jzram.target.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CdbTest {

    @Test
    void groupCodeGivesTheCdbLength() {
        assertThat(Cdb.lengthOf(Cdb.READ_6)).isEqualTo(6);
        assertThat(Cdb.lengthOf(Cdb.READ_10)).isEqualTo(10);
        assertThat(Cdb.lengthOf(Cdb.MODE_SENSE_10)).isEqualTo(10);
        assertThat(Cdb.lengthOf(Cdb.READ_16)).isEqualTo(16);
        assertThat(Cdb.lengthOf(Cdb.SERVICE_ACTION_IN_16)).isEqualTo(16);
        assertThat(Cdb.lengthOf(Cdb.READ_12)).isEqualTo(12);
        assertThat(Cdb.lengthOf(Cdb.REPORT_LUNS)).isEqualTo(12);
        assertThat(Cdb.lengthOf(0x7F)).as("variable length").isEqualTo(-1);
        assertThat(Cdb.lengthOf(0xC0)).as("vendor specific").isEqualTo(-1);
    }

    @Test
    void bigEndianFieldsAreUnsigned() {
        byte[] b = {(byte) 0xFF, (byte) 0xFE, (byte) 0xFD, (byte) 0xFC, (byte) 0xFB, (byte) 0xFA, (byte) 0xF9, (byte) 0xF8};

        assertThat(Cdb.u8(b, 0)).isEqualTo(0xFF);
        assertThat(Cdb.u16(b, 0)).isEqualTo(0xFFFE);
        assertThat(Cdb.u24(b, 0)).isEqualTo(0xFFFEFD);
        assertThat(Cdb.u32(b, 0)).isEqualTo(0xFFFEFDFCL);
        assertThat(Cdb.u64(b, 0)).isEqualTo(0xFFFEFDFCFBFAF9F8L);
        assertThat(Cdb.u16(ByteBuffer.wrap(b), 1)).isEqualTo(0xFEFD);
        assertThat(Cdb.u32(ByteBuffer.wrap(b), 4)).isEqualTo(0xFBFAF9F8L);
    }

    @Test
    void putsRoundTrip() {
        byte[] b = new byte[14];
        Cdb.put16(b, 0, 0xABCD);
        Cdb.put32(b, 2, 0xFFFF_FFFEL);
        Cdb.put64(b, 6, 0x8000_0000_0000_0001L);

        assertThat(Cdb.u16(b, 0)).isEqualTo(0xABCD);
        assertThat(Cdb.u32(b, 2)).isEqualTo(0xFFFF_FFFEL);
        assertThat(Cdb.u64(b, 6)).isEqualTo(0x8000_0000_0000_0001L);
    }
}
