package io.jzram.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SizeClassPoolTest {

    private final CountingChunkMemory memory = new CountingChunkMemory();
    private final SizeClassPool pool = new SizeClassPool(memory);

    @AfterEach
    void closePool() {
        pool.close();
        assertThat(memory.liveChunks()).as("chunks left after close").isZero();
    }

    private static byte[] pattern(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private void write(long handle, byte[] bytes) {
        MemorySegment.copy(bytes, 0, pool.segment(handle), ValueLayout.JAVA_BYTE, 0, bytes.length);
    }

    private byte[] read(long handle) {
        return pool.segment(handle).toArray(ValueLayout.JAVA_BYTE);
    }

    private SizeClassStats statsOfClassHolding(int size) {
        return pool.classStats().stream()
                .filter(s -> s.minObjectSize() <= size && size <= s.maxObjectSize())
                .findFirst().orElseThrow();
    }

    @Test
    void theHugeClassSizeIs3632() {
        assertThat(pool.hugeClassSize()).isEqualTo(3632);
    }

    @Test
    void aNewPoolHoldsNoMemory() {
        assertThat(pool.totalBytes()).isZero();
        assertThat(memory.liveChunks()).isZero();
        assertThat(pool.classStats()).allSatisfy(s -> assertThat(s.chunks()).isZero());
    }

    @Test
    void mallocReturnsANonZeroHandleToAnObjectOfTheRequestedSize() {
        long handle = pool.malloc(1000, 7);
        assertThat(handle).isNotZero();
        assertThat(pool.size(handle)).isEqualTo(1000);
        assertThat(pool.segment(handle).byteSize()).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 31, 32, 33, 500, 2048, 3631, 3632, 4095, 4096})
    void bytesWrittenThroughTheSegmentReadBackThroughSegmentAndBuffer(int size) {
        long handle = pool.malloc(size, 1);
        byte[] bytes = pattern(size, size);
        write(handle, bytes);

        assertThat(read(handle)).isEqualTo(bytes);
        ByteBuffer buffer = pool.buffer(handle);
        int offset = pool.offset(handle);
        byte[] viaBuffer = new byte[size];
        buffer.get(offset, viaBuffer);
        assertThat(viaBuffer).isEqualTo(bytes);
    }

    @Test
    void bytesWrittenThroughTheBufferReadBackThroughTheSegment() {
        long handle = pool.malloc(700, 1);
        byte[] bytes = pattern(700, 3);
        pool.buffer(handle).put(pool.offset(handle), bytes);
        assertThat(read(handle)).isEqualTo(bytes);
    }

    @Test
    void theBufferIsADirectViewOfTheWholeChunkSharedByItsObjects() {
        long a = pool.malloc(1000, 1);
        long b = pool.malloc(1000, 2);
        SizeClassStats cls = statsOfClassHolding(1000);

        ByteBuffer buffer = pool.buffer(a);
        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.capacity()).isEqualTo(cls.pagesPerChunk() * 4096);
        assertThat(pool.buffer(b)).isSameAs(buffer);
        assertThat(pool.buffer(a)).isSameAs(buffer);
        assertThat(pool.offset(a)).isNotEqualTo(pool.offset(b));
        assertThat(pool.offset(a) % cls.classSize()).isZero();
        assertThat(pool.offset(b) + 1000).isLessThanOrEqualTo(buffer.capacity());
    }

    @Test
    void objectsDoNotOverlap() {
        Random random = new Random(42);
        Map<Long, byte[]> live = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            int size = 1 + random.nextInt(4096);
            long handle = pool.malloc(size, i);
            byte[] bytes = pattern(size, i);
            write(handle, bytes);
            live.put(handle, bytes);
        }
        live.forEach((handle, bytes) -> assertThat(read(handle)).isEqualTo(bytes));
    }

    @Test
    void handlesAreUniqueAmongLiveObjects() {
        Random random = new Random(1);
        Set<Long> live = new HashSet<>();
        List<Long> order = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 5000; i++) {
                long handle = pool.malloc(1 + random.nextInt(4096), i);
                assertThat(live.add(handle)).as("handle %x already live", handle).isTrue();
                order.add(handle);
            }
            // free a random half, so slots and chunk ids get reused in the next round
            for (int i = order.size() - 1; i >= 0; i--) {
                if (random.nextBoolean()) {
                    long handle = order.remove(i);
                    pool.free(handle);
                    live.remove(handle);
                }
            }
        }
        assertThat(live).hasSize(order.size());
    }

    @Test
    void theFirstObjectOfAClassAllocatesOneChunkOfThatClass() {
        long handle = pool.malloc(1000, 0);
        SizeClassStats cls = statsOfClassHolding(1000);
        assertThat(pool.totalBytes()).isEqualTo(cls.pagesPerChunk() * 4096L);
        assertThat(cls.chunks()).isEqualTo(1);
        assertThat(cls.objectsUsed()).isEqualTo(1);
        assertThat(cls.objectsAllocated()).isEqualTo(cls.objectsPerChunk());
        pool.free(handle);
    }

    @Test
    void objectsFillAChunkBeforeTheNextChunkIsAllocated() {
        SizeClassStats cls = statsOfClassHolding(3000);
        for (int i = 0; i < cls.objectsPerChunk(); i++) {
            pool.malloc(3000, i);
        }
        assertThat(pool.totalBytes()).isEqualTo(cls.pagesPerChunk() * 4096L);
        pool.malloc(3000, 99);
        assertThat(pool.totalBytes()).isEqualTo(2 * cls.pagesPerChunk() * 4096L);
    }

    @Test
    void objectsOfHugeClassSizeOrMoreTakeAOnePageChunkEach() {
        pool.malloc(3632, 0);
        pool.malloc(3700, 1);
        pool.malloc(4096, 2);
        assertThat(pool.totalBytes()).isEqualTo(3 * 4096L);
        SizeClassStats huge = statsOfClassHolding(3632);
        assertThat(huge.huge()).isTrue();
        assertThat(huge.chunks()).isEqualTo(3);
        assertThat(huge.minObjectSize()).isEqualTo(3632);
    }

    @Test
    void objectsJustBelowHugeClassSizeShareEightPageChunksNineToAChunk() {
        for (int i = 0; i < 9; i++) {
            pool.malloc(3631, i);
        }
        assertThat(pool.totalBytes()).isEqualTo(8 * 4096L);
    }

    @Test
    void freeingTheLastObjectOfAChunkReturnsTheChunk() {
        long a = pool.malloc(1000, 0);
        long b = pool.malloc(1000, 1);
        pool.free(a);
        assertThat(pool.totalBytes()).isPositive();
        pool.free(b);
        assertThat(pool.totalBytes()).isZero();
        assertThat(memory.liveChunks()).isZero();
    }

    @Test
    void freeingEverythingReturnsAllMemory() {
        Random random = new Random(5);
        List<Long> handles = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            handles.add(pool.malloc(1 + random.nextInt(4096), i));
        }
        assertThat(pool.totalBytes()).isEqualTo(memory.liveBytes()).isPositive();
        java.util.Collections.shuffle(handles, random);
        handles.forEach(pool::free);
        assertThat(pool.totalBytes()).isZero();
        assertThat(memory.liveChunks()).isZero();
        assertThat(pool.classStats()).allSatisfy(s -> {
            assertThat(s.chunks()).isZero();
            assertThat(s.objectsUsed()).isZero();
        });
    }

    @Test
    void totalBytesIsTheSumOfChunkSizesInTheClassStats() {
        Random random = new Random(9);
        for (int i = 0; i < 2000; i++) {
            pool.malloc(1 + random.nextInt(4096), i);
        }
        long fromStats = pool.classStats().stream().mapToLong(s -> s.pagesUsed() * 4096).sum();
        assertThat(pool.totalBytes()).isEqualTo(fromStats).isEqualTo(memory.liveBytes());
        long objects = pool.classStats().stream().mapToLong(SizeClassStats::objectsUsed).sum();
        assertThat(objects).isEqualTo(2000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 4097, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void badSizesAreRejected(int size) {
        assertThatThrownBy(() -> pool.malloc(size, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.totalBytes()).isZero();
    }

    @Test
    void freeingTwiceIsRejected() {
        long a = pool.malloc(100, 0);
        pool.malloc(100, 1); // keeps the chunk alive
        pool.free(a);
        assertThatThrownBy(() -> pool.free(a)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handlesOfFreedChunksAreRejected() {
        long a = pool.malloc(100, 0);
        pool.free(a);
        assertThatThrownBy(() -> pool.free(a)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.size(a)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.buffer(a)).isInstanceOf(IllegalArgumentException.class);
        // the chunk id is recycled for the next chunk, with a new generation
        long b = pool.malloc(100, 1);
        assertThat(b).isNotEqualTo(a);
        assertThatThrownBy(() -> pool.free(a)).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.size(b)).isEqualTo(100);
    }

    @Test
    void madeUpHandlesAreRejected() {
        assertThatThrownBy(() -> pool.free(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.buffer(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.offset(0x1234_5678_9ABCL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void migrateOutsideCompactionIsRejected() {
        long a = pool.malloc(100, 0);
        assertThatThrownBy(() -> pool.migrate(a)).isInstanceOf(IllegalStateException.class);
        assertThat(pool.size(a)).isEqualTo(100);
    }

    @Test
    void aFailedNativeAllocationThrowsAndLeavesThePoolUsable() {
        long a = pool.malloc(1000, 0);
        long before = pool.totalBytes();
        memory.failFromNowOn(true);
        assertThatThrownBy(() -> pool.malloc(2000, 1)).isInstanceOf(NativeMemoryException.class);
        assertThat(pool.totalBytes()).isEqualTo(before);
        // an object that fits an existing chunk needs no native allocation
        long b = pool.malloc(1000, 2);
        memory.failFromNowOn(false);
        long c = pool.malloc(2000, 3);
        assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
        assertThat(statsOfClassHolding(2000).objectsUsed()).isEqualTo(1);
    }

    @Test
    void closeFreesEveryChunkAndTrims() {
        for (int i = 0; i < 1000; i++) {
            pool.malloc(1 + (i * 37) % 4096, i);
        }
        pool.close();
        assertThat(pool.totalBytes()).isZero();
        assertThat(memory.liveChunks()).isZero();
        assertThat(memory.trims()).isEqualTo(1);
        assertThat(pool.classStats()).allSatisfy(s -> assertThat(s.chunks()).isZero());
    }

    @Test
    void closingTwiceIsANoOp() {
        pool.malloc(100, 0);
        pool.close();
        pool.close();
        assertThat(pool.totalBytes()).isZero();
        assertThat(memory.trims()).isEqualTo(1);
    }

    @Test
    void thePoolIsUnusableAfterClose() {
        long a = pool.malloc(100, 0);
        pool.close();
        assertThatThrownBy(() -> pool.malloc(100, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pool.free(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pool.buffer(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pool.segment(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pool.compact((owner, handle) -> true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anObjectResizedWithinItsClassStaysWhereItIs() {
        long a = pool.malloc(1000, 5);
        SizeClassStats cls = statsOfClassHolding(1000);
        long total = pool.totalBytes();
        int other = cls.minObjectSize() == 1000 ? cls.maxObjectSize() : cls.minObjectSize();
        assertThat(pool.resizeInPlace(a, other)).isTrue();
        assertThat(pool.size(a)).isEqualTo(other);
        assertThat(pool.segment(a).byteSize()).isEqualTo(other);
        assertThat(pool.totalBytes()).isEqualTo(total);
        assertThat(statsOfClassHolding(1000).objectsUsed()).isEqualTo(1);
    }

    @Test
    void anObjectIsNotResizedIntoAnotherClass() {
        long a = pool.malloc(1000, 5);
        SizeClassStats cls = statsOfClassHolding(1000);
        assertThat(pool.resizeInPlace(a, cls.maxObjectSize() + 1)).isFalse();
        assertThat(pool.resizeInPlace(a, cls.minObjectSize() - 1)).isFalse();
        assertThat(pool.size(a)).as("unchanged").isEqualTo(1000);
        assertThatThrownBy(() -> pool.resizeInPlace(a, 0)).isInstanceOf(IllegalArgumentException.class);
        pool.free(a);
        assertThatThrownBy(() -> pool.resizeInPlace(a, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactionMovesAResizedObjectWithItsNewSize() {
        SizeClassStats cls = statsOfClassHolding(600);
        int perChunk = cls.objectsPerChunk();
        List<Long> handles = new ArrayList<>();
        for (int i = 0; i < 3 * perChunk; i++) {
            handles.add(pool.malloc(600, i));
        }
        int smaller = cls.minObjectSize();
        long kept = handles.get(handles.size() - 1); // in the last, sparsest chunk after the frees below
        assertThat(pool.resizeInPlace(kept, smaller)).isTrue();
        byte[] bytes = pattern(smaller, 9);
        write(kept, bytes);
        for (int i = perChunk; i < handles.size() - 1; i++) { // empty most of the 2nd and 3rd chunks
            if (i % perChunk != 0) {
                pool.free(handles.get(i));
            }
        }
        for (int i = 0; i < perChunk; i++) { // and make room in the first
            if (i % 2 == 0) {
                pool.free(handles.get(i));
            }
        }
        Map<Integer, Long> moved = new HashMap<>();
        pool.compact((owner, handle) -> {
            moved.put(owner, pool.migrate(handle));
            return true;
        });
        assertThat(moved).as("the resized object's chunk was emptied").containsKey(handles.size() - 1);
        long now = moved.get(handles.size() - 1);
        assertThat(pool.size(now)).isEqualTo(smaller);
        assertThat(read(now)).isEqualTo(bytes);
    }

    @Test
    void aPoolOnRealNativeMemoryWorksToo() {
        try (SizeClassPool plain = new SizeClassPool()) {
            long handle = plain.malloc(2500, 3);
            plain.segment(handle).fill((byte) 1);
            assertThat(plain.buffer(handle).get(plain.offset(handle) + 2499)).isEqualTo((byte) 1);
            assertThat(plain.totalBytes()).isPositive();
            plain.free(handle);
            assertThat(plain.totalBytes()).isZero();
        }
    }
}
