package io.jzram.target.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SupportedOpcodesTest {

    private static byte[] rsoc(int options, boolean rctd, int opcode, int sa) {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) Cdb.MAINTENANCE_IN;
        cdb[1] = Cdb.SA_REPORT_SUPPORTED_OPCODES;
        cdb[2] = (byte) ((rctd ? 0x80 : 0) | options);
        cdb[3] = (byte) opcode;
        Cdb.put16(cdb, 4, sa);
        Cdb.put32(cdb, 6, 4096);
        return cdb;
    }

    @Test
    void allCommandsFormatListsEveryCommandWithItsCdbLength() {
        byte[] d = SupportedOpcodes.report(rsoc(SupportedOpcodes.ALL, false, 0, 0));

        assertThat(Cdb.u32(d, 0)).isEqualTo(d.length - 4);
        assertThat((d.length - 4) % 8).isZero();
        Set<String> seen = new HashSet<>();
        for (int p = 4; p < d.length; p += 8) {
            int op = d[p] & 0xFF;
            boolean servactv = (d[p + 5] & 0x01) != 0;
            seen.add(String.format("%02X", op) + (servactv ? "/" + String.format("%02X", Cdb.u16(d, p + 2)) : ""));
            assertThat(Cdb.u16(d, p + 6)).isEqualTo(Cdb.lengthOf(op));
        }
        assertThat(seen).contains("00", "03", "12", "1A", "28", "2A", "35", "41", "42", "5A", "88", "8A", "93",
                "9E/10", "A0", "A3/0C");
        assertThat(seen).hasSize(SupportedOpcodes.COMMANDS.size());
    }

    @Test
    void oneCommandFormatReportsWriteSame16AsSupportedWithUsageData() {
        byte[] d = SupportedOpcodes.report(rsoc(SupportedOpcodes.ONE_NO_SA, false, Cdb.WRITE_SAME_16, 0));

        assertThat(d[1] & 0x07).as("SUPPORT 011b: Linux checks (buffer[1] & 3) == 3").isEqualTo(3);
        assertThat(Cdb.u16(d, 2)).isEqualTo(16);
        assertThat(d[4] & 0xFF).as("usage starts with the opcode").isEqualTo(0x93);
        assertThat(d[5] & 0x09).as("UNMAP and NDOB bits usable").isEqualTo(0x09);
        assertThat(d).hasSize(4 + 16);
    }

    @Test
    void unsupportedCommandIsReportedAsSuch() {
        byte[] d = SupportedOpcodes.report(rsoc(SupportedOpcodes.ONE_NO_SA, false, 0x89, 0)); // COMPARE AND WRITE

        assertThat(d[1] & 0x07).isEqualTo(1);
        assertThat(Cdb.u16(d, 2)).isZero();
    }

    @Test
    void serviceActionCommandsNeedTheServiceActionFormat() {
        assertThatThrownBy(() -> SupportedOpcodes.report(rsoc(SupportedOpcodes.ONE_NO_SA, false, 0x9E, 0)))
                .isInstanceOf(ScsiError.class);
        assertThatThrownBy(() -> SupportedOpcodes.report(rsoc(SupportedOpcodes.ONE_WITH_SA, false, 0x28, 0)))
                .isInstanceOf(ScsiError.class);

        byte[] rc16 = SupportedOpcodes.report(rsoc(SupportedOpcodes.ONE_WITH_SA, false, 0x9E, 0x10));
        assertThat(rc16[1] & 0x07).isEqualTo(3);
        assertThat(rc16[5] & 0x1F).isEqualTo(0x1F);
        byte[] other = SupportedOpcodes.report(rsoc(SupportedOpcodes.ONE_WITH_SA, false, 0x9E, 0x11));
        assertThat(other[1] & 0x07).isEqualTo(1);
        byte[] either = SupportedOpcodes.report(rsoc(SupportedOpcodes.ONE_EITHER, false, 0x28, 0x1F));
        assertThat(either[1] & 0x07).as("no service actions: SA ignored").isEqualTo(3);
    }

    @Test
    void reservedReportingOptionsAreInvalid() {
        assertThatThrownBy(() -> SupportedOpcodes.report(rsoc(0b100, false, 0, 0)))
                .isInstanceOfSatisfying(ScsiError.class, e -> assertThat(SenseData.describe(e.sense())).isEqualTo("05/24/00"));
    }

    @Test
    void rctdAddsTimeoutsDescriptors() {
        byte[] all = SupportedOpcodes.report(rsoc(SupportedOpcodes.ALL, true, 0, 0));
        assertThat(all.length - 4).isEqualTo(20 * SupportedOpcodes.COMMANDS.size());
        assertThat(all[4 + 5] & 0x02).as("CTDP").isNotZero();
        assertThat(Cdb.u16(all, 4 + 8)).isEqualTo(0x0A);

        byte[] one = SupportedOpcodes.report(rsoc(SupportedOpcodes.ONE_NO_SA, true, Cdb.READ_10, 0));
        assertThat(one[1] & 0x80).as("CTDP").isNotZero();
        assertThat(one).hasSize(4 + 10 + 12);
        assertThat(Cdb.u16(one, 14)).isEqualTo(0x0A);
    }

    @Test
    void usageDataMatchesTheCdbLengthOfEveryCommand() {
        for (SupportedOpcodes.Command c : SupportedOpcodes.COMMANDS) {
            assertThat(c.usage()).hasSize(Cdb.lengthOf(c.opcode()));
            assertThat(c.usage()[0] & 0xFF).isEqualTo(c.opcode());
            assertThat(SupportedOpcodes.isSupported(c.opcode())).isTrue();
        }
    }
}
