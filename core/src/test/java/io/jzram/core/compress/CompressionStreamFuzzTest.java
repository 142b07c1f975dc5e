package io.jzram.core.compress;

import static io.jzram.core.compress.BufferKind.assertGuardedOutside;
import static io.jzram.core.compress.BufferKind.bytes;
import static io.jzram.core.compress.SamplePages.SIZE;
import static io.jzram.core.compress.StreamCalls.DST_OFF;
import static io.jzram.core.compress.StreamCalls.SLACK;
import static io.jzram.core.compress.StreamCalls.SRC_OFF;
import static io.jzram.core.compress.StreamCalls.compress;
import static io.jzram.core.compress.StreamCalls.decompress;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The part of the {@link CompressionStream} contract that protects the JVM from stored data:
 * whatever bytes are handed to {@code decompress}, every algorithm either decodes exactly
 * {@code dstLen} bytes or throws {@link CorruptDataException}; no other exception, no write
 * outside the destination range, no change to the source, and the stream stays usable.
 * (A separate class from {@link CompressionStreamContractTest} because surefire miscounts a class
 * that two test engines run.)
 */
class CompressionStreamFuzzTest {

    @Provide
    Arbitrary<CompressionAlgorithm> anyAlgorithm() {
        return Arbitraries.of(AlgorithmsUnderTest.all());
    }

    @Property(tries = 400)
    void decompressingArbitraryBytesFailsCleanlyOrFillsExactlyTheDestination(
            @ForAll("anyAlgorithm") CompressionAlgorithm algorithm,
            @ForAll @Size(max = 5000) byte[] input,
            @ForAll @IntRange(min = 0, max = 2 * SIZE) int dstLen,
            @ForAll BufferKind srcKind,
            @ForAll BufferKind dstKind) {
        try (CompressionStream stream = algorithm.newStream()) {
            assertDecompressesCleanlyOrFails(stream, input, srcKind, dstKind, dstLen);
        }
    }

    @Property(tries = 600)
    void decompressingDamagedDataFailsCleanlyOrFillsExactlyTheDestination(
            @ForAll("anyAlgorithm") CompressionAlgorithm algorithm,
            @ForAll SamplePages page,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = SIZE) Integer> damagedOffsets,
            @ForAll byte damage,
            @ForAll @IntRange(min = 0, max = 20) int cutOrExtend,
            @ForAll boolean truncate,
            @ForAll BufferKind srcKind,
            @ForAll BufferKind dstKind) {
        try (CompressionStream stream = algorithm.newStream()) {
            byte[] compressed = compress(stream, page.bytes(), BufferKind.HEAP, BufferKind.HEAP);
            byte[] damaged = Arrays.copyOf(compressed,
                    Math.max(0, truncate ? compressed.length - cutOrExtend : compressed.length + cutOrExtend));
            for (int offset : damagedOffsets) {
                if (damaged.length > 0) {
                    damaged[offset % damaged.length] ^= damage == 0 ? 1 : damage;
                }
            }
            assertDecompressesCleanlyOrFails(stream, damaged, srcKind, dstKind, SIZE);

            assertThat(decompress(stream, compressed, srcKind, dstKind, SIZE))
                    .as("the same stream afterwards").isEqualTo(page.bytes());
        }
    }

    private static void assertDecompressesCleanlyOrFails(
            CompressionStream stream, byte[] input, BufferKind srcKind, BufferKind dstKind, int dstLen) {
        ByteBuffer src = srcKind.holding(input, SRC_OFF, SLACK);
        ByteBuffer dst = dstKind.allocate(DST_OFF + dstLen + SLACK);
        try {
            stream.decompress(src, SRC_OFF, input.length, dst, DST_OFF, dstLen);
        } catch (CorruptDataException expected) {
            // A clean failure; anything else (another exception, a crash) fails the property.
        }
        assertGuardedOutside(dst, DST_OFF, dstLen);
        assertGuardedOutside(src, SRC_OFF, input.length);
        assertThat(bytes(src, SRC_OFF, input.length)).isEqualTo(input);
    }
}
