package io.jzram.core.compress;

import static io.jzram.core.compress.SamplePages.SIZE;
import static io.jzram.core.compress.StreamCalls.compress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.Test;

class ZstdAlgorithmTest {

    private final ZstdAlgorithm zstd = new ZstdAlgorithm();

    @Test
    void isNamedZstdAndUsesTheKernelsDefaultLevel() {
        assertThat(zstd.name()).isEqualTo("zstd").isEqualTo(ZstdAlgorithm.NAME);
        assertThat(zstd.level()).isEqualTo(3).isEqualTo(ZstdAlgorithm.DEFAULT_LEVEL);
        assertThat(zstd).hasToString("zstd level 3");
    }

    @Test
    void isAvailableWhereZstdJniBundlesANativeLibrary() {
        // zstd-jni bundles its library for linux/amd64 and the other platforms we build on.
        assertThat(zstd.unavailabilityCause()).isEmpty();
        assertThat(zstd.isAvailable()).isTrue();
    }

    @Test
    void reportsItselfUnavailableWhenTheNativeLibraryDoesNotLoad() {
        UnsatisfiedLinkError failure = new UnsatisfiedLinkError("no libzstd-jni for this platform");
        ZstdAlgorithm unavailable = new ZstdAlgorithm(ZstdAlgorithm.DEFAULT_LEVEL, failure);

        assertThat(unavailable.isAvailable()).isFalse();
        assertThat(unavailable.unavailabilityCause()).containsSame(failure);
        assertThat(unavailable).hasToString("zstd level 3 (unavailable)");
        assertThat(unavailable.maxCompressedLength(SIZE)).isEqualTo(zstd.maxCompressedLength(SIZE));
        assertThatThrownBy(unavailable::newStream)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("zstd is not available on this machine: ")
                .hasCause(failure);
    }

    @Test
    void writesStandardZstdFramesWithTheContentSize() {
        byte[] text = SamplePages.TEXT.bytes();
        try (CompressionStream stream = zstd.newStream()) {
            byte[] compressed = compress(stream, text, BufferKind.HEAP, BufferKind.DIRECT);

            assertThat(Arrays.copyOf(compressed, 4)).containsExactly(0x28, 0xB5, 0x2F, 0xFD);
            assertThat(Zstd.getFrameContentSize(compressed)).isEqualTo(SIZE);
            assertThat(Zstd.decompress(compressed, SIZE)).isEqualTo(text);
        }
    }

    @Test
    void higherLevelsCompressAtLeastAsWell() {
        byte[] text = SamplePages.TEXT.bytes();
        try (CompressionStream low = new ZstdAlgorithm(1).newStream();
                CompressionStream high = new ZstdAlgorithm(19).newStream()) {
            assertThat(compress(high, text, BufferKind.DIRECT, BufferKind.DIRECT).length)
                    .isLessThanOrEqualTo(compress(low, text, BufferKind.DIRECT, BufferKind.DIRECT).length);
        }
    }

    @Test
    void boundsOutputLikeZstdCompressBound() {
        for (int size : new int[] {0, 1, 255, 256, SIZE, 128 << 10, (128 << 10) + 1, 1 << 20}) {
            assertThat(zstd.maxCompressedLength(size)).as("%d bytes", size).isEqualTo(Zstd.compressBound(size));
        }
        assertThatThrownBy(() -> zstd.maxCompressedLength(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zstd.maxCompressedLength(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsLevelsOutsideZstdsRange() {
        assertThatThrownBy(() -> new ZstdAlgorithm(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zstd level must be from 1 to 22, not 0");
        assertThatThrownBy(() -> new ZstdAlgorithm(23)).isInstanceOf(IllegalArgumentException.class);
    }
}
