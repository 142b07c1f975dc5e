package io.jzram.core.compress;

import static io.jzram.core.compress.SamplePages.SIZE;
import static io.jzram.core.compress.StreamCalls.compress;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

class Lz4AlgorithmTest {

    private final Lz4Algorithm lz4 = new Lz4Algorithm();

    @Test
    void isNamedLz4() {
        assertThat(lz4.name()).isEqualTo("lz4").isEqualTo(Lz4Algorithm.NAME);
        assertThat(lz4.isAvailable()).isTrue();
    }

    @Test
    void usesTheJniFastCompressorAndSafeDecompressorWhereTheNativeLibraryLoads() {
        // lz4-java bundles its library for linux/amd64 and the other platforms we build on.
        assertThat(lz4.isNative()).isTrue();
        assertThat(lz4.implementation()).isEqualTo("LZ4JNICompressor + LZ4JNISafeDecompressor");
        assertThat(lz4.toString()).isEqualTo("lz4 (LZ4JNICompressor + LZ4JNISafeDecompressor)");
    }

    @Test
    void fallsBackToTheSafeJavaImplementation() {
        Lz4Algorithm java = new Lz4Algorithm(Lz4Implementation.java());

        assertThat(java.isNative()).isFalse();
        assertThat(java.implementation()).isEqualTo("LZ4JavaSafeCompressor + LZ4JavaSafeSafeDecompressor");
    }

    @Test
    void javaAndNativeImplementationsReadEachOthersOutput() {
        byte[] text = SamplePages.TEXT.bytes();
        Lz4Algorithm java = new Lz4Algorithm(Lz4Implementation.java());
        try (CompressionStream nativeStream = lz4.newStream(); CompressionStream javaStream = java.newStream()) {
            byte[] fromNative = compress(nativeStream, text, BufferKind.HEAP, BufferKind.HEAP);
            byte[] fromJava = compress(javaStream, text, BufferKind.DIRECT, BufferKind.DIRECT);

            assertThat(StreamCalls.decompress(javaStream, fromNative, BufferKind.HEAP, BufferKind.DIRECT, SIZE))
                    .isEqualTo(text);
            assertThat(StreamCalls.decompress(nativeStream, fromJava, BufferKind.DIRECT, BufferKind.HEAP, SIZE))
                    .isEqualTo(text);
        }
    }

    @Test
    void writesPlainLz4Blocks() {
        byte[] text = SamplePages.TEXT.bytes();
        try (CompressionStream stream = lz4.newStream()) {
            byte[] compressed = compress(stream, text, BufferKind.HEAP, BufferKind.HEAP);

            byte[] restored = LZ4Factory.safeInstance().safeDecompressor().decompress(compressed, SIZE);
            assertThat(restored).isEqualTo(text);
        }
    }

    @Test
    void boundsOutputLikeLz4CompressBound() {
        assertThat(lz4.maxCompressedLength(SIZE)).isEqualTo(SIZE + SIZE / 255 + 16);
        assertThat(lz4.maxCompressedLength(0)).isEqualTo(16);
    }

    @Test
    void compressesAZeroPageToAFewDozenBytes() {
        try (CompressionStream stream = lz4.newStream()) {
            int len = stream.compress(ByteBuffer.allocateDirect(SIZE), 0, SIZE, ByteBuffer.allocate(64), 0, 64);
            assertThat(len).isBetween(1, 32);
        }
    }
}
