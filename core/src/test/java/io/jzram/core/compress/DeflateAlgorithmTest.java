package io.jzram.core.compress;

import static io.jzram.core.compress.SamplePages.SIZE;
import static io.jzram.core.compress.StreamCalls.compress;
import static io.jzram.core.compress.StreamCalls.decompress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

class DeflateAlgorithmTest {

    private final DeflateAlgorithm deflate = new DeflateAlgorithm();

    @Test
    void isNamedDeflateAndUsesZlibsDefaultLevelLikeTheKernel() {
        assertThat(deflate.name()).isEqualTo("deflate").isEqualTo(DeflateAlgorithm.NAME);
        assertThat(deflate.level()).isEqualTo(6).isEqualTo(DeflateAlgorithm.DEFAULT_LEVEL);
        assertThat(deflate.isAvailable()).isTrue();
        assertThat(deflate).hasToString("deflate level 6");
    }

    @Test
    void writesRawDeflateAsAPlainDeflaterWould() throws DataFormatException {
        byte[] text = SamplePages.TEXT.bytes();
        byte[] compressed;
        try (CompressionStream stream = deflate.newStream()) {
            compressed = compress(stream, text, BufferKind.DIRECT, BufferKind.HEAP);
        }

        Deflater reference = new Deflater(6, true);
        reference.setInput(text);
        reference.finish();
        byte[] expected = new byte[SIZE * 2];
        int expectedLen = reference.deflate(expected);
        reference.end();
        assertThat(compressed).isEqualTo(Arrays.copyOf(expected, expectedLen));

        Inflater inflater = new Inflater(true);
        inflater.setInput(compressed);
        byte[] restored = new byte[SIZE];
        assertThat(inflater.inflate(restored)).isEqualTo(SIZE);
        assertThat(inflater.finished()).isTrue();
        inflater.end();
        assertThat(restored).isEqualTo(text);
    }

    @Test
    void rejectsTheZlibWrapper() {
        byte[] text = SamplePages.TEXT.bytes();
        Deflater zlib = new Deflater(6, false);
        zlib.setInput(text);
        zlib.finish();
        byte[] wrapped = new byte[SIZE * 2];
        int len = zlib.deflate(wrapped);
        zlib.end();

        try (CompressionStream stream = deflate.newStream()) {
            assertThatThrownBy(() -> decompress(stream, Arrays.copyOf(wrapped, len), BufferKind.HEAP,
                    BufferKind.HEAP, SIZE)).isInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void rejectsBytesAfterTheEndOfTheStream() {
        byte[] text = SamplePages.TEXT.bytes();
        try (CompressionStream stream = deflate.newStream()) {
            byte[] compressed = compress(stream, text, BufferKind.HEAP, BufferKind.HEAP);
            byte[] padded = Arrays.copyOf(compressed, compressed.length + 1);

            assertThatThrownBy(() -> decompress(stream, padded, BufferKind.DIRECT, BufferKind.DIRECT, SIZE))
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessage("deflate: 1 bytes after the end of the deflate stream");
        }
    }

    @Test
    void everyLevelRoundTrips() {
        byte[] text = SamplePages.TEXT.bytes();
        for (int level = 0; level <= 9; level++) {
            try (CompressionStream stream = new DeflateAlgorithm(level).newStream()) {
                byte[] compressed = compress(stream, text, BufferKind.HEAP, BufferKind.DIRECT);
                assertThat(decompress(stream, compressed, BufferKind.DIRECT, BufferKind.HEAP, SIZE))
                        .as("level %d", level).isEqualTo(text);
            }
        }
    }

    @Test
    void storedOutputThatDoesNotFitReturnsMinusOne() {
        try (CompressionStream stream = new DeflateAlgorithm(0).newStream()) {
            byte[] stored = compress(stream, SamplePages.TEXT.bytes(), BufferKind.HEAP, BufferKind.HEAP);
            assertThat(stored.length).isGreaterThan(SIZE);
            for (int room : new int[] {0, 1, 4, 5, SIZE, stored.length - 1}) {
                for (BufferKind kind : BufferKind.values()) {
                    assertThat(stream.compress(BufferKind.HEAP.holding(SamplePages.TEXT.bytes(), 0, 0), 0, SIZE,
                            kind.allocate(room), 0, room)).as("%d bytes of %s room", room, kind).isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void rejectsLevelsOutsideZlibsRange() {
        assertThatThrownBy(() -> new DeflateAlgorithm(10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deflate level must be from 0 to 9, not 10");
        assertThatThrownBy(() -> new DeflateAlgorithm(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundsOutputLikeZlibsCompressBound() {
        assertThat(deflate.maxCompressedLength(SIZE)).isEqualTo(SIZE + 1 + 13);
        assertThat(deflate.maxCompressedLength(0)).isEqualTo(13);
        assertThatThrownBy(() -> deflate.maxCompressedLength(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> deflate.maxCompressedLength(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
