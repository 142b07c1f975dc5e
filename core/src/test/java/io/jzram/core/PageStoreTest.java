package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The same-filled page rules; the rest of PageStore is specified through ZramDeviceTest. */
class PageStoreTest {

    @Test
    void aPageOfOneRepeatedWordIsSameFilled() {
        assertThat(PageStore.isSameFilled(ByteBuffer.wrap(new byte[PAGE]), 0)).isTrue();
        assertThat(PageStore.isSameFilled(ByteBuffer.wrap(TestPages.sameFilled(PAGE, 0xdeadbeefL)), 0)).isTrue();
    }

    @Test
    void oneDifferentByteAnywhereMakesItNotSameFilled() {
        for (int at : new int[] {0, 7, 8, 2048, PAGE - 1}) {
            byte[] page = TestPages.sameFilled(PAGE, 0x1111111111111111L);
            page[at] ^= 1;
            assertThat(PageStore.isSameFilled(ByteBuffer.wrap(page), 0)).as("byte %d changed", at).isFalse();
        }
    }

    @Test
    void detectionHonoursOffsetsAndPositions() {
        byte[] buf = new byte[3 * PAGE];
        java.util.Arrays.fill(buf, (byte) 1);
        System.arraycopy(TestPages.sameFilled(PAGE, 5), 0, buf, PAGE, PAGE);
        ByteBuffer b = ByteBuffer.wrap(buf);
        b.position(100);
        assertThat(PageStore.isSameFilled(b, PAGE)).isTrue();
        assertThat(PageStore.isSameFilled(b, PAGE + 8)).isFalse();
    }

    @Test
    void theWordRoundTripsWhateverTheByteOrders() {
        byte[] page = TestPages.sameFilled(PAGE, 0x0102030405060708L);
        long word = PageStore.readWord(ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN), 0);
        ByteBuffer out = ByteBuffer.allocateDirect(PAGE).order(ByteOrder.LITTLE_ENDIAN);
        PageStore.fillWord(out, 0, word);
        byte[] back = new byte[PAGE];
        out.get(0, back);
        assertThat(back).isEqualTo(page);
    }
}
