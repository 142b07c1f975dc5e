package io.jzram.target.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModePagesTest {
    private static final long CAPACITY = 2048;

    private static byte[] sense6(boolean dbd, int pc, int page) {
        return ModePages.sense(false, dbd, false, pc, page, 0, CAPACITY);
    }

    private static byte[] sense10(boolean dbd, boolean llbaa, int pc, int page) {
        return ModePages.sense(true, dbd, llbaa, pc, page, 0, CAPACITY);
    }

    /** Offset of the first page in mode parameter data. */
    private static int firstPage(byte[] d, boolean ten) {
        return ten ? 8 + Cdb.u16(d, 6) : 4 + (d[3] & 0xFF);
    }

    @Test
    void modeSense6HeaderAndShortBlockDescriptor() {
        byte[] d = sense6(false, ModePages.PC_CURRENT, ModePages.CACHING);

        assertThat(d[0] & 0xFF).as("MODE DATA LENGTH").isEqualTo(d.length - 1);
        assertThat(d[2] & 0x80).as("WP").isZero();
        assertThat(d[2] & 0x10).as("DPOFUA").isNotZero();
        assertThat(d[3]).as("BLOCK DESCRIPTOR LENGTH").isEqualTo((byte) 8);
        assertThat(Cdb.u32(d, 4)).as("NUMBER OF LOGICAL BLOCKS").isEqualTo(CAPACITY);
        assertThat(Cdb.u24(d, 9)).as("LOGICAL BLOCK LENGTH").isEqualTo(512);
    }

    @Test
    void cachingPageReportsNoWriteCache() {
        byte[] d = sense6(true, ModePages.PC_CURRENT, ModePages.CACHING);
        int p = firstPage(d, false);

        assertThat(p).as("DBD: no block descriptor").isEqualTo(4);
        assertThat(d[p] & 0x3F).isEqualTo(0x08);
        assertThat(d[p + 1]).isEqualTo((byte) 0x12);
        assertThat(d[p + 2] & 0x04).as("WCE").isZero();
        assertThat(d[p + 2] & 0x01).as("RCD").isZero();
        assertThat(d).hasSize(4 + 20);
    }

    @Test
    void controlPageSaysFixedFormatSense() {
        byte[] d = sense6(true, ModePages.PC_CURRENT, ModePages.CONTROL);
        int p = firstPage(d, false);

        assertThat(d[p] & 0x3F).isEqualTo(0x0A);
        assertThat(d[p + 1]).isEqualTo((byte) 0x0A);
        assertThat(d[p + 2] & 0x04).as("D_SENSE").isZero();
    }

    @Test
    void allPagesInAscendingOrder() {
        byte[] d = sense10(true, false, ModePages.PC_CURRENT, ModePages.ALL_PAGES);
        int p = firstPage(d, true);
        StringBuilder codes = new StringBuilder();
        while (p < d.length) {
            codes.append(String.format("%02X ", d[p] & 0x3F));
            p += 2 + (d[p + 1] & 0xFF);
        }

        assertThat(p).isEqualTo(d.length);
        assertThat(codes.toString().trim()).isEqualTo("08 0A 1C");
        assertThat(Cdb.u16(d, 0)).as("MODE DATA LENGTH (10)").isEqualTo(d.length - 2);
    }

    @Test
    void modeSense10WithLlbaaHasALongDescriptor() {
        byte[] d = sense10(false, true, ModePages.PC_CURRENT, ModePages.CACHING);

        assertThat(d[4] & 0x01).as("LONGLBA").isEqualTo(1);
        assertThat(Cdb.u16(d, 6)).isEqualTo(16);
        assertThat(Cdb.u64(d, 8)).isEqualTo(CAPACITY);
        assertThat(Cdb.u32(d, 20)).isEqualTo(512);
    }

    @Test
    void shortDescriptorSaturatesAbove32Bits() {
        byte[] d = ModePages.sense(false, false, false, 0, ModePages.CACHING, 0, 1L << 33);

        assertThat(Cdb.u32(d, 4)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void changeableValuesAreAllZero() {
        byte[] d = sense6(false, ModePages.PC_CHANGEABLE, ModePages.ALL_PAGES);
        int p = firstPage(d, false);

        assertThat(Arrays.copyOfRange(d, 4, 12)).as("block descriptor").containsOnly(0);
        while (p < d.length) {
            int len = d[p + 1] & 0xFF;
            assertThat(Arrays.copyOfRange(d, p + 2, p + 2 + len)).containsOnly(0);
            p += 2 + len;
        }
    }

    @Test
    void defaultValuesEqualCurrentValues() {
        assertThat(sense6(false, ModePages.PC_DEFAULT, ModePages.ALL_PAGES))
                .isEqualTo(sense6(false, ModePages.PC_CURRENT, ModePages.ALL_PAGES));
    }

    @Test
    void savedValuesAreNotSupported() {
        assertThatThrownBy(() -> sense6(false, ModePages.PC_SAVED, ModePages.CACHING))
                .isInstanceOfSatisfying(ScsiError.class,
                        e -> assertThat(SenseData.describe(e.sense())).isEqualTo("05/39/00"));
    }

    @Test
    void unknownPageOrSubpageIsAnInvalidField() {
        assertThatThrownBy(() -> sense6(false, 0, 0x19)).isInstanceOfSatisfying(ScsiError.class,
                e -> assertThat(Cdb.u16(e.sense(), 16)).isEqualTo(2));
        assertThatThrownBy(() -> ModePages.sense(false, false, false, 0, ModePages.CACHING, 1, CAPACITY))
                .isInstanceOfSatisfying(ScsiError.class, e -> assertThat(Cdb.u16(e.sense(), 16)).isEqualTo(3));
        assertThatCode(() -> ModePages.sense(false, false, false, 0, ModePages.ALL_PAGES, 0xFF, CAPACITY))
                .doesNotThrowAnyException();
    }

    // ---------------------------------------------------------------- MODE SELECT

    /** What MODE SENSE returned, turned into a MODE SELECT list (MODE DATA LENGTH is reserved: 0). */
    private static byte[] selectListFrom(byte[] sense, boolean ten) {
        byte[] list = sense.clone();
        if (ten) {
            list[0] = 0;
            list[1] = 0;
        } else {
            list[0] = 0;
        }
        return list;
    }

    private static void select(boolean ten, byte[] list) {
        ModePages.select(ten, true, ByteBuffer.wrap(list), 0, list.length, CAPACITY);
    }

    private static void assertRejected(boolean ten, byte[] list, String code, int fieldPointer) {
        assertThatThrownBy(() -> select(ten, list)).isInstanceOfSatisfying(ScsiError.class, e -> {
            assertThat(SenseData.describe(e.sense())).isEqualTo(code);
            if (fieldPointer >= 0) {
                assertThat(e.sense()[15] & 0xC0).as("SKSV, in parameter list").isEqualTo(0x80);
                assertThat(Cdb.u16(e.sense(), 16)).isEqualTo(fieldPointer);
            }
        });
    }

    @Test
    void selectOfTheCurrentValuesIsAccepted() {
        assertThatCode(() -> select(false, selectListFrom(sense6(false, 0, ModePages.ALL_PAGES), false)))
                .doesNotThrowAnyException();
        assertThatCode(() -> select(true, selectListFrom(sense10(false, false, 0, ModePages.ALL_PAGES), true)))
                .doesNotThrowAnyException();
        assertThatCode(() -> select(true, selectListFrom(sense10(false, true, 0, ModePages.CONTROL), true)))
                .doesNotThrowAnyException();
        assertThatCode(() -> select(false, new byte[] {0, 0, 0, 0})).as("header only").doesNotThrowAnyException();
    }

    @Test
    void selectIgnoresThePsBit() {
        byte[] list = selectListFrom(sense6(true, 0, ModePages.CACHING), false);
        list[4] |= (byte) 0x80;

        assertThatCode(() -> select(false, list)).doesNotThrowAnyException();
    }

    @Test
    void selectThatEnablesTheWriteCacheIsRejectedPointingAtWce() {
        byte[] list = selectListFrom(sense6(true, 0, ModePages.CACHING), false);
        list[4 + 2] |= 0x04;

        assertThatThrownBy(() -> select(false, list)).isInstanceOfSatisfying(ScsiError.class, e -> {
            assertThat(SenseData.describe(e.sense())).isEqualTo("05/26/00");
            assertThat(e.sense()[15] & 0xFF).as("SKSV, BPV, bit 2").isEqualTo(0x80 | 0x08 | 2);
            assertThat(Cdb.u16(e.sense(), 16)).isEqualTo(6);
        });
    }

    @Test
    void selectRejectsMalformedLists() {
        assertThatThrownBy(() -> select(false, new byte[] {0, 0})).isInstanceOfSatisfying(ScsiError.class,
                e -> assertThat(SenseData.describe(e.sense())).isEqualTo("05/1A/00"));
        assertRejected(false, new byte[] {0, 0, 0, 4, 0, 0, 0, 0}, "05/26/00", 3); // descriptor length 4
        assertRejected(false, new byte[] {0, 0, 0, 8, 0, 0, 0, 0}, "05/26/00", 3); // descriptor beyond the list

        byte[] unknown = {0, 0, 0, 0, 0x19, 2, 0, 0};
        assertRejected(false, unknown, "05/26/00", 4);

        byte[] subpage = {0, 0, 0, 0, 0x48, 2, 0, 0};
        assertRejected(false, subpage, "05/26/00", 4);

        byte[] wrongLength = selectListFrom(sense6(true, 0, ModePages.CACHING), false);
        wrongLength[5] = 0x10;
        assertRejected(false, wrongLength, "05/26/00", 5);

        byte[] truncated = Arrays.copyOf(selectListFrom(sense6(true, 0, ModePages.CACHING), false), 10);
        assertRejected(false, truncated, "05/26/00", 5);

        byte[] dangling = {0, 0, 0, 0, 0x08};
        assertRejected(false, dangling, "05/26/00", 4);
    }

    @Test
    void selectRejectsABlockDescriptorThatChangesCapacityOrBlockSize() {
        byte[] list = selectListFrom(sense6(false, 0, ModePages.CACHING), false);
        assertThatCode(() -> select(false, list)).doesNotThrowAnyException();

        byte[] zeroBlocks = list.clone();
        Cdb.put32(zeroBlocks, 4, 0);
        assertThatCode(() -> select(false, zeroBlocks)).as("0: keep the capacity").doesNotThrowAnyException();

        byte[] otherCapacity = list.clone();
        Cdb.put32(otherCapacity, 4, CAPACITY - 1);
        assertRejected(false, otherCapacity, "05/26/00", 4);

        byte[] otherBlockSize = list.clone();
        otherBlockSize[10] = 0x10; // 4096
        otherBlockSize[11] = 0;
        assertRejected(false, otherBlockSize, "05/26/00", 9);
    }

    @Test
    void selectWithPagesButWithoutPageFormatIsAnInvalidFieldInCdb() {
        byte[] list = selectListFrom(sense6(true, 0, ModePages.CACHING), false);

        assertThatThrownBy(() -> ModePages.select(false, false, ByteBuffer.wrap(list), 0, list.length, CAPACITY))
                .isInstanceOfSatisfying(ScsiError.class, e -> {
                    assertThat(SenseData.describe(e.sense())).isEqualTo("05/24/00");
                    assertThat(e.sense()[15] & 0x40).as("C/D: in the CDB").isNotZero();
                });
    }
}
