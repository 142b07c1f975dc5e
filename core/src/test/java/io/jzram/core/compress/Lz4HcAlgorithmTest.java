package io.jzram.core.compress;

import static io.jzram.core.compress.SamplePages.SIZE;
import static io.jzram.core.compress.StreamCalls.compress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Lz4HcAlgorithmTest {

    private final Lz4HcAlgorithm lz4hc = new Lz4HcAlgorithm();

    @Test
    void isNamedLz4hcAndUsesTheKernelsDefaultLevel() {
        assertThat(lz4hc.name()).isEqualTo("lz4hc").isEqualTo(Lz4HcAlgorithm.NAME);
        assertThat(lz4hc.level()).isEqualTo(9).isEqualTo(Lz4HcAlgorithm.DEFAULT_LEVEL);
        assertThat(lz4hc.isAvailable()).isTrue();
    }

    @Test
    void usesTheJniHighCompressorWhereTheNativeLibraryLoads() {
        assertThat(lz4hc.isNative()).isTrue();
        assertThat(lz4hc.implementation()).isEqualTo("LZ4HCJNICompressor + LZ4JNISafeDecompressor");
        assertThat(new Lz4HcAlgorithm(Lz4Implementation.java(), 9).implementation())
                .isEqualTo("LZ4HCJavaSafeCompressor + LZ4JavaSafeSafeDecompressor");
    }

    @Test
    void compressesBetterThanLz4AndStaysReadableByIt() {
        byte[] text = SamplePages.TEXT.bytes();
        try (CompressionStream hc = lz4hc.newStream(); CompressionStream fast = new Lz4Algorithm().newStream()) {
            byte[] high = compress(hc, text, BufferKind.HEAP, BufferKind.HEAP);
            byte[] plain = compress(fast, text, BufferKind.HEAP, BufferKind.HEAP);

            assertThat(high.length).isLessThan(plain.length);
            assertThat(StreamCalls.decompress(fast, high, BufferKind.HEAP, BufferKind.HEAP, SIZE)).isEqualTo(text);
        }
    }

    @Test
    void higherLevelsCompressAtLeastAsWell() {
        byte[] text = SamplePages.TEXT.bytes();
        try (CompressionStream low = new Lz4HcAlgorithm(1).newStream();
                CompressionStream max = new Lz4HcAlgorithm(Lz4HcAlgorithm.MAX_LEVEL).newStream()) {
            assertThat(compress(max, text, BufferKind.DIRECT, BufferKind.HEAP).length)
                    .isLessThanOrEqualTo(compress(low, text, BufferKind.DIRECT, BufferKind.HEAP).length);
        }
    }

    @Test
    void rejectsLevelsOutsideLz4hcsRange() {
        assertThatThrownBy(() -> new Lz4HcAlgorithm(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lz4hc level must be from 1 to 17, not 0");
        assertThatThrownBy(() -> new Lz4HcAlgorithm(18)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharesLz4sBound() {
        assertThat(lz4hc.maxCompressedLength(SIZE)).isEqualTo(new Lz4Algorithm().maxCompressedLength(SIZE));
    }
}
