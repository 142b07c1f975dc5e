package io.jzram.core.compress;

import static io.jzram.core.compress.BufferKind.assertGuardedOutside;
import static io.jzram.core.compress.BufferKind.assertPositionAndLimitUnchanged;
import static io.jzram.core.compress.BufferKind.bytes;
import static io.jzram.core.compress.BufferKind.markPositionAndLimit;
import static io.jzram.core.compress.SamplePages.SIZE;
import static io.jzram.core.compress.StreamCalls.DST_OFF;
import static io.jzram.core.compress.StreamCalls.SLACK;
import static io.jzram.core.compress.StreamCalls.SRC_OFF;
import static io.jzram.core.compress.StreamCalls.compress;
import static io.jzram.core.compress.StreamCalls.decompress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link CompressionStream} contract, checked against every algorithm (and against lz4-java's
 * pure-Java fallback). Buffers are slices (non-zero base offset) pre-filled with a guard byte, so
 * every test also checks that nothing outside the given ranges is written. What arbitrary stored
 * bytes may do is in {@link CompressionStreamFuzzTest}.
 */
class CompressionStreamContractTest {

    /** zram's huge-page threshold for 4 KiB pages: the limit the caller uses to store pages raw. */
    private static final int HUGE_CLASS_SIZE = 3631;

    static Stream<CompressionAlgorithm> algorithms() {
        return AlgorithmsUnderTest.all().stream();
    }

    static Stream<Arguments> algorithmsAndPages() {
        return algorithms().flatMap(a -> Arrays.stream(SamplePages.values()).map(p -> Arguments.of(a, p)));
    }

    /** All four heap/direct combinations of (source, destination). */
    static List<BufferKind[]> kinds() {
        return Arrays.stream(BufferKind.values())
                .flatMap(s -> Arrays.stream(BufferKind.values()).map(d -> new BufferKind[] {s, d}))
                .toList();
    }

    @ParameterizedTest(name = "{0}: {1} page")
    @MethodSource("algorithmsAndPages")
    void roundTripsAPageThroughEveryBufferCombinationAtNonZeroOffsets(CompressionAlgorithm algorithm, SamplePages page) {
        byte[] original = page.bytes();
        int bound = algorithm.maxCompressedLength(SIZE);
        try (CompressionStream stream = algorithm.newStream()) {
            for (BufferKind[] in : kinds()) {
                ByteBuffer src = in[0].holding(original, SRC_OFF, SLACK);
                ByteBuffer dst = in[1].allocate(DST_OFF + bound + SLACK);
                markPositionAndLimit(src);
                markPositionAndLimit(dst);

                int len = stream.compress(src, SRC_OFF, SIZE, dst, DST_OFF, bound);

                assertThat(len).as("compressed length, %s -> %s", in[0], in[1]).isBetween(1, bound);
                switch (page) {
                    case ZERO, SAME_FILLED -> assertThat(len).as("compressed length").isLessThan(64);
                    case TEXT -> assertThat(len).as("compressed length").isLessThan(SIZE * 3 / 4);
                    case RANDOM -> assertThat(len).as("compressed length").isGreaterThan(SIZE - 64);
                }
                assertThat(bytes(src, SRC_OFF, SIZE)).as("source after compress").isEqualTo(original);
                assertGuardedOutside(src, SRC_OFF, SIZE);
                assertGuardedOutside(dst, DST_OFF, bound);
                assertPositionAndLimitUnchanged(src);
                assertPositionAndLimitUnchanged(dst);
                byte[] compressed = bytes(dst, DST_OFF, len);

                for (BufferKind[] out : kinds()) {
                    ByteBuffer csrc = out[0].holding(compressed, SRC_OFF, SLACK);
                    ByteBuffer page2 = out[1].allocate(DST_OFF + SIZE + SLACK);
                    markPositionAndLimit(csrc);
                    markPositionAndLimit(page2);

                    stream.decompress(csrc, SRC_OFF, len, page2, DST_OFF, SIZE);

                    assertThat(bytes(page2, DST_OFF, SIZE))
                            .as("round trip compressing %s -> %s, decompressing %s -> %s", in[0], in[1], out[0], out[1])
                            .isEqualTo(original);
                    assertGuardedOutside(page2, DST_OFF, SIZE);
                    assertThat(bytes(csrc, SRC_OFF, len)).as("compressed source after decompress").isEqualTo(compressed);
                    assertPositionAndLimitUnchanged(csrc);
                    assertPositionAndLimitUnchanged(page2);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void producesTheSameBytesWhateverTheBufferKinds(CompressionAlgorithm algorithm) {
        byte[] text = SamplePages.TEXT.bytes();
        try (CompressionStream stream = algorithm.newStream()) {
            byte[] first = null;
            for (BufferKind[] kinds : kinds()) {
                byte[] compressed = compress(stream, text, kinds[0], kinds[1]);
                if (first == null) {
                    first = compressed;
                }
                assertThat(compressed).as("%s -> %s", kinds[0], kinds[1]).isEqualTo(first);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void usesRangesBeyondTheBuffersLimitsWithoutMovingThem(CompressionAlgorithm algorithm) {
        byte[] text = SamplePages.TEXT.bytes();
        int bound = algorithm.maxCompressedLength(SIZE);
        try (CompressionStream stream = algorithm.newStream()) {
            for (BufferKind[] kinds : kinds()) {
                ByteBuffer src = kinds[0].holding(text, SRC_OFF, SLACK);
                ByteBuffer dst = kinds[1].allocate(DST_OFF + bound);
                src.position(0).limit(3);
                dst.position(2).limit(2);

                int len = stream.compress(src, SRC_OFF, SIZE, dst, DST_OFF, bound);
                ByteBuffer page = kinds[0].allocate(DST_OFF + SIZE);
                page.limit(0);
                stream.decompress(dst, DST_OFF, len, page, DST_OFF, SIZE);

                assertThat(bytes(page.duplicate().clear(), DST_OFF, SIZE)).isEqualTo(text);
                assertThat(src.position()).isZero();
                assertThat(src.limit()).isEqualTo(3);
                assertThat(dst.position()).isEqualTo(2);
                assertThat(dst.limit()).isEqualTo(2);
                assertThat(page.position()).isZero();
                assertThat(page.limit()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void acceptsReadOnlySources(CompressionAlgorithm algorithm) {
        byte[] text = SamplePages.TEXT.bytes();
        int bound = algorithm.maxCompressedLength(SIZE);
        try (CompressionStream stream = algorithm.newStream()) {
            for (BufferKind kind : BufferKind.values()) {
                ByteBuffer src = kind.holding(text, SRC_OFF, SLACK).asReadOnlyBuffer();
                ByteBuffer dst = kind.allocate(bound);
                int len = stream.compress(src, SRC_OFF, SIZE, dst, 0, bound);
                ByteBuffer page = kind.allocate(SIZE);
                stream.decompress(dst.asReadOnlyBuffer(), 0, len, page, 0, SIZE);
                assertThat(bytes(page, 0, SIZE)).as(kind.name()).isEqualTo(text);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void returnsMinusOneWhenRandomDataDoesNotFitTheHugeClassSize(CompressionAlgorithm algorithm) {
        byte[] random = SamplePages.RANDOM.bytes();
        try (CompressionStream stream = algorithm.newStream()) {
            for (BufferKind[] kinds : kinds()) {
                ByteBuffer src = kinds[0].holding(random, SRC_OFF, SLACK);
                ByteBuffer dst = kinds[1].allocate(DST_OFF + SIZE * 2);
                markPositionAndLimit(src);
                markPositionAndLimit(dst);

                int len = stream.compress(src, SRC_OFF, SIZE, dst, DST_OFF, HUGE_CLASS_SIZE);

                assertThat(len).as("%s -> %s", kinds[0], kinds[1]).isEqualTo(-1);
                assertGuardedOutside(dst, DST_OFF, HUGE_CLASS_SIZE);
                assertPositionAndLimitUnchanged(src);
                assertPositionAndLimitUnchanged(dst);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} page")
    @MethodSource("algorithmsAndPages")
    void fitsOutputOfExactlyMaxDstLenButNotOneByteLess(CompressionAlgorithm algorithm, SamplePages page) {
        byte[] original = page.bytes();
        try (CompressionStream stream = algorithm.newStream()) {
            for (BufferKind[] kinds : kinds()) {
                byte[] expected = compress(stream, original, kinds[0], kinds[1]);
                int exact = expected.length;
                ByteBuffer src = kinds[0].holding(original, SRC_OFF, SLACK);

                ByteBuffer dst = kinds[1].allocate(DST_OFF + exact + SLACK);
                assertThat(stream.compress(src, SRC_OFF, SIZE, dst, DST_OFF, exact)).isEqualTo(exact);
                assertThat(bytes(dst, DST_OFF, exact)).isEqualTo(expected);
                assertGuardedOutside(dst, DST_OFF, exact);

                ByteBuffer small = kinds[1].allocate(DST_OFF + exact + SLACK);
                assertThat(stream.compress(src, SRC_OFF, SIZE, small, DST_OFF, exact - 1))
                        .as("%s -> %s with one byte too few", kinds[0], kinds[1]).isEqualTo(-1);
                assertGuardedOutside(small, DST_OFF, exact - 1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsGarbageWithCorruptDataException(CompressionAlgorithm algorithm) {
        byte[] ones = new byte[100];
        Arrays.fill(ones, (byte) 0xFF);
        List<byte[]> garbage = List.of(new byte[0], new byte[] {0}, ones, SamplePages.random(1000, 1),
                SamplePages.random(SIZE, 2), SamplePages.TEXT.bytes());
        try (CompressionStream stream = algorithm.newStream()) {
            for (BufferKind[] kinds : kinds()) {
                for (byte[] input : garbage) {
                    assertThatThrownBy(() -> decompress(stream, input, kinds[0], kinds[1], SIZE))
                            .as("%d bytes of garbage, %s -> %s", input.length, kinds[0], kinds[1])
                            .isExactlyInstanceOf(CorruptDataException.class)
                            .hasMessageStartingWith(algorithm.name() + ": ");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} page")
    @MethodSource("algorithmsAndPages")
    void rejectsTruncatedInputWithCorruptDataException(CompressionAlgorithm algorithm, SamplePages page) {
        try (CompressionStream stream = algorithm.newStream()) {
            byte[] compressed = compress(stream, page.bytes(), BufferKind.HEAP, BufferKind.HEAP);
            for (BufferKind[] kinds : kinds()) {
                for (int len : new int[] {compressed.length - 1, compressed.length / 2, 1, 0}) {
                    byte[] truncated = Arrays.copyOf(compressed, len);
                    assertThatThrownBy(() -> decompress(stream, truncated, kinds[0], kinds[1], SIZE))
                            .as("truncated to %d of %d bytes, %s -> %s", len, compressed.length, kinds[0], kinds[1])
                            .isExactlyInstanceOf(CorruptDataException.class);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} page")
    @MethodSource("algorithmsAndPages")
    void rejectsADestinationLengthOtherThanTheOriginalOne(CompressionAlgorithm algorithm, SamplePages page) {
        try (CompressionStream stream = algorithm.newStream()) {
            byte[] compressed = compress(stream, page.bytes(), BufferKind.HEAP, BufferKind.HEAP);
            for (BufferKind[] kinds : kinds()) {
                for (int dstLen : new int[] {SIZE - 1, SIZE + 1, SIZE / 2, SIZE * 2, 0}) {
                    assertThatThrownBy(() -> decompress(stream, compressed, kinds[0], kinds[1], dstLen))
                            .as("dstLen %d, %s -> %s", dstLen, kinds[0], kinds[1])
                            .isExactlyInstanceOf(CorruptDataException.class);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void staysUsableAfterCorruptInput(CompressionAlgorithm algorithm) {
        byte[] text = SamplePages.TEXT.bytes();
        try (CompressionStream stream = algorithm.newStream()) {
            byte[] compressed = compress(stream, text, BufferKind.HEAP, BufferKind.HEAP);
            byte[] truncated = Arrays.copyOf(compressed, compressed.length / 2);
            assertThatThrownBy(() -> decompress(stream, truncated, BufferKind.HEAP, BufferKind.HEAP, SIZE))
                    .isInstanceOf(CorruptDataException.class);

            assertThat(decompress(stream, compressed, BufferKind.DIRECT, BufferKind.HEAP, SIZE)).isEqualTo(text);
            assertThat(compress(stream, text, BufferKind.HEAP, BufferKind.DIRECT)).isEqualTo(compressed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void roundTripsEmptyAndOddSizedInput(CompressionAlgorithm algorithm) {
        try (CompressionStream stream = algorithm.newStream()) {
            for (int size : new int[] {0, 1, 100, 4095, 4097, 3 * SIZE + 5}) {
                byte[] data = SamplePages.random(size, size);
                for (int i = 0; i < size / 2; i++) {
                    data[i] = (byte) (i % 7);
                }
                byte[] compressed = compress(stream, data, BufferKind.DIRECT, BufferKind.HEAP);
                assertThat(compressed.length).isLessThanOrEqualTo(algorithm.maxCompressedLength(size));
                assertThat(decompress(stream, compressed, BufferKind.HEAP, BufferKind.DIRECT, size))
                        .as("%d bytes", size).isEqualTo(data);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void neverExceedsMaxCompressedLength(CompressionAlgorithm algorithm) {
        try (CompressionStream stream = algorithm.newStream()) {
            for (int size : new int[] {0, 1, 15, 255, 1000, 4096, 65_536, 200_000}) {
                byte[] random = SamplePages.random(size, size);
                assertThat(compress(stream, random, BufferKind.HEAP, BufferKind.DIRECT).length)
                        .as("%d random bytes", size)
                        .isLessThanOrEqualTo(algorithm.maxCompressedLength(size));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void reportsCallerErrorsWithOrdinaryExceptions(CompressionAlgorithm algorithm) {
        try (CompressionStream stream = algorithm.newStream()) {
            ByteBuffer page = ByteBuffer.allocate(SIZE);
            ByteBuffer out = ByteBuffer.allocateDirect(SIZE * 2);
            assertThatThrownBy(() -> stream.compress(page, 1, SIZE, out, 0, SIZE))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> stream.compress(page, 0, SIZE, out, SIZE + 1, SIZE))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> stream.compress(page, -1, 10, out, 0, SIZE))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> stream.decompress(out, 0, 10, page, 1, SIZE))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> stream.decompress(out, 0, SIZE * 2 + 1, page, 0, SIZE))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> stream.compress(page, 0, SIZE, out.asReadOnlyBuffer(), 0, SIZE))
                    .isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> stream.decompress(out, 0, 10, page.asReadOnlyBuffer(), 0, SIZE))
                    .isInstanceOf(ReadOnlyBufferException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void canBeClosedAgainButNotUsedAfterClose(CompressionAlgorithm algorithm) {
        CompressionStream stream = algorithm.newStream();
        byte[] compressed = compress(stream, SamplePages.TEXT.bytes(), BufferKind.HEAP, BufferKind.HEAP);
        stream.close();

        assertThatCode(stream::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> compress(stream, SamplePages.TEXT.bytes(), BufferKind.HEAP, BufferKind.HEAP))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decompress(stream, compressed, BufferKind.HEAP, BufferKind.HEAP, SIZE))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void streamsAreIndependent(CompressionAlgorithm algorithm) {
        byte[] text = SamplePages.TEXT.bytes();
        byte[] random = SamplePages.RANDOM.bytes();
        try (CompressionStream a = algorithm.newStream(); CompressionStream b = algorithm.newStream()) {
            byte[] compressedText = compress(a, text, BufferKind.HEAP, BufferKind.HEAP);
            byte[] compressedRandom = compress(b, random, BufferKind.DIRECT, BufferKind.DIRECT);
            assertThat(decompress(b, compressedText, BufferKind.HEAP, BufferKind.DIRECT, SIZE)).isEqualTo(text);
            assertThat(decompress(a, compressedRandom, BufferKind.DIRECT, BufferKind.HEAP, SIZE)).isEqualTo(random);
        }
    }
}
