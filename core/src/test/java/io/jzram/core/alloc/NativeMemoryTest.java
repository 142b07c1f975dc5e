package io.jzram.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    @Test
    void mallocReturnsWritableMemoryOfExactlyTheRequestedSize() {
        MemorySegment segment = NativeMemory.malloc(3 * 4096);
        try {
            assertThat(segment.byteSize()).isEqualTo(3 * 4096);
            assertThat(segment.address()).isNotZero();
            segment.fill((byte) 0x5A);
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED, 3 * 4096 - 8, 0x0102030405060708L);
            assertThat(segment.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x5A);
            assertThat(segment.get(ValueLayout.JAVA_LONG_UNALIGNED, 3 * 4096 - 8)).isEqualTo(0x0102030405060708L);
        } finally {
            NativeMemory.free(segment);
        }
    }

    @Test
    void mallocThatTheCLibraryCannotSatisfyThrowsNativeMemoryException() {
        assertThatThrownBy(() -> NativeMemory.malloc(Long.MAX_VALUE))
                .isInstanceOf(NativeMemoryException.class)
                .hasMessageContaining("malloc");
    }

    @Test
    void nonPositiveSizesAreRejected() {
        assertThatThrownBy(() -> NativeMemory.malloc(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeMemory.malloc(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void freeingNullIsHarmless() {
        NativeMemory.free(MemorySegment.NULL);
    }

    @Test
    void trimIsAvailableOnGlibcAndCanBeCalledAnyTime() {
        // This machine's C library is glibc; on musl canTrim() is false and trim() a no-op.
        assertThat(NativeMemory.canTrim()).isTrue();
        NativeMemory.trim();
    }
}
