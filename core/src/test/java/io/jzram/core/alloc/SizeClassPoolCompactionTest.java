package io.jzram.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SizeClassPoolCompactionTest {

    private static final int OBJECTS = 6000;

    private final CountingChunkMemory memory = new CountingChunkMemory();
    private final SizeClassPool pool = new SizeClassPool(memory);

    /** A tiny single-threaded "device": page (owner) -> handle and the bytes it should hold. */
    private final long[] handleOf = new long[OBJECTS];
    private final byte[][] bytesOf = new byte[OBJECTS][];

    /** Moves an object if the page still refers to it, as the device will (minus the page lock). */
    private final Migrator accepting = (owner, handle) -> {
        if (handleOf[owner] != handle) {
            return false;
        }
        handleOf[owner] = pool.migrate(handle);
        return true;
    };

    @AfterEach
    void closePool() {
        pool.close();
        assertThat(memory.liveChunks()).isZero();
    }

    private void store(int owner, int size, Random random) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        long handle = pool.malloc(size, owner);
        MemorySegment.copy(bytes, 0, pool.segment(handle), ValueLayout.JAVA_BYTE, 0, size);
        handleOf[owner] = handle;
        bytesOf[owner] = bytes;
    }

    private void discard(int owner) {
        pool.free(handleOf[owner]);
        handleOf[owner] = 0;
        bytesOf[owner] = null;
    }

    /** Mixed sizes, 100..4096 bytes; then every other object freed. */
    private void fillThenFreeEveryOther() {
        Random random = new Random(2024);
        for (int owner = 0; owner < OBJECTS; owner++) {
            store(owner, 100 + random.nextInt(4096 - 100 + 1), random);
        }
        for (int owner = 0; owner < OBJECTS; owner += 2) {
            discard(owner);
        }
    }

    private void assertEverySurvivorIntact() {
        for (int owner = 0; owner < OBJECTS; owner++) {
            if (bytesOf[owner] != null) {
                assertThat(pool.size(handleOf[owner])).isEqualTo(bytesOf[owner].length);
                assertThat(pool.segment(handleOf[owner]).toArray(ValueLayout.JAVA_BYTE))
                        .as("object of page %d", owner).isEqualTo(bytesOf[owner]);
            }
        }
    }

    private long liveBytes() {
        long sum = 0;
        for (byte[] bytes : bytesOf) {
            sum += bytes == null ? 0 : bytes.length;
        }
        return sum;
    }

    @Test
    void compactingAfterFreeingEveryOtherObjectReturnsAboutHalfTheMemory() {
        fillThenFreeEveryOther();
        long before = pool.totalBytes();
        int trimsBefore = memory.trims();

        long pagesFreed = pool.compact(accepting);

        long after = pool.totalBytes();
        assertThat(pagesFreed * 4096).as("pages reported = bytes returned").isEqualTo(before - after);
        assertThat(after).isLessThan(before * 65 / 100);
        assertThat(after).isGreaterThanOrEqualTo(liveBytes());
        assertThat(memory.trims()).isEqualTo(trimsBefore + 1);
        assertEverySurvivorIntact();
        // every class is now packed into as few chunks as its objects need
        assertThat(pool.classStats()).allSatisfy(c -> {
            assertThat(c.freeablePages()).isZero();
            assertThat(c.chunks()).isEqualTo((c.objectsUsed() + c.objectsPerChunk() - 1) / c.objectsPerChunk());
        });
    }

    @Test
    void aSecondCompactionFindsNothingToDo() {
        fillThenFreeEveryOther();
        pool.compact(accepting);
        AtomicInteger asked = new AtomicInteger();
        assertThat(pool.compact((owner, handle) -> {
            asked.incrementAndGet();
            return accepting.migrate(owner, handle);
        })).isZero();
        assertThat(asked).hasValue(0);
    }

    @Test
    void aMigratorThatRefusesEverythingLeavesEverythingAsItWas() {
        fillThenFreeEveryOther();
        long before = pool.totalBytes();
        long[] handlesBefore = handleOf.clone();
        AtomicInteger asked = new AtomicInteger();

        long pagesFreed = pool.compact((owner, handle) -> {
            asked.incrementAndGet();
            return false;
        });

        assertThat(pagesFreed).isZero();
        assertThat(asked.get()).isPositive();
        assertThat(pool.totalBytes()).isEqualTo(before);
        assertThat(handleOf).isEqualTo(handlesBefore);
        assertEverySurvivorIntact();
        // the chunks it isolated are back in circulation: a later compaction can empty them
        assertThat(pool.compact(accepting)).isPositive();
        assertEverySurvivorIntact();
    }

    @Test
    void aMigratorThatRefusesSomeObjectsStillFreesWhatItCan() {
        fillThenFreeEveryOther();
        long before = pool.totalBytes();

        long pagesFreed = pool.compact((owner, handle) -> owner % 3 != 0 && accepting.migrate(owner, handle));

        assertThat(pool.totalBytes()).isLessThan(before).isEqualTo(before - pagesFreed * 4096);
        assertEverySurvivorIntact();
    }

    @Test
    void classesThatCannotFreeAWholeChunkAreLeftAlone() {
        Random random = new Random(1);
        for (int owner = 0; owner < 18; owner++) {
            store(owner, 3631, random); // two full 8-page chunks of 9
        }
        discard(0);
        discard(10); // 2 free slots of 18: less than a chunk
        AtomicInteger asked = new AtomicInteger();

        assertThat(pool.compact((owner, handle) -> asked.incrementAndGet() < 0)).isZero();
        assertThat(asked).hasValue(0);
        assertThat(pool.totalBytes()).isEqualTo(2 * 8 * 4096L);
    }

    @Test
    void objectsMoveFromTheSparsestChunkIntoDenserOnes() {
        Random random = new Random(3);
        // class 512: 8 objects per one-page chunk; three full chunks
        for (int owner = 0; owner < 24; owner++) {
            store(owner, 500, random);
        }
        var chunkA = pool.buffer(handleOf[0]);
        var chunkB = pool.buffer(handleOf[8]);
        var chunkC = pool.buffer(handleOf[16]);
        for (int owner = 0; owner < 7; owner++) {
            discard(owner); // A keeps one object: owner 7
        }
        discard(8);
        discard(16); // B and C have one free slot each

        assertThat(pool.compact(accepting)).isEqualTo(1);

        assertThat(pool.buffer(handleOf[7])).isNotSameAs(chunkA).isIn(chunkB, chunkC);
        assertThat(pool.totalBytes()).isEqualTo(2 * 4096L);
        assertEverySurvivorIntact();
    }

    @Test
    void objectsFreedByTheirOwnersWhileTheirChunkIsBeingEmptiedAreNotMovedAndTheChunkIsStillFreed() {
        fillThenFreeEveryOther();
        long before = pool.totalBytes();

        // the device drops the page (a discard racing with compaction) instead of letting it move
        long pagesFreed = pool.compact((owner, handle) -> {
            if (owner % 4 == 1 && handleOf[owner] == handle) {
                discard(owner);
                return false;
            }
            return accepting.migrate(owner, handle);
        });

        assertThat(pool.totalBytes()).isEqualTo(before - pagesFreed * 4096).isEqualTo(memory.liveBytes());
        assertEverySurvivorIntact();
    }

    @Test
    void noNewObjectGoesIntoAChunkBeingEmptied() {
        fillThenFreeEveryOther();
        List<Long> extra = new ArrayList<>();
        Random random = new Random(8);

        pool.compact((owner, handle) -> {
            // another page is written meanwhile, an object of the same size class
            long newcomer = pool.malloc(pool.size(handle), 10_000 + extra.size());
            extra.add(newcomer);
            assertThat(pool.buffer(newcomer)).isNotSameAs(pool.buffer(handle));
            return random.nextBoolean() && accepting.migrate(owner, handle);
        });

        assertThat(extra).isNotEmpty();
        assertEverySurvivorIntact();
        extra.forEach(pool::free);
    }

    @Test
    void aMigratorThatThrowsLeavesThePoolConsistent() {
        fillThenFreeEveryOther();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> pool.compact((owner, handle) -> {
            if (calls.incrementAndGet() == 50) {
                throw new IllegalStateException("device failure");
            }
            return accepting.migrate(owner, handle);
        })).hasMessage("device failure");

        assertThat(pool.totalBytes()).isEqualTo(memory.liveBytes());
        assertEverySurvivorIntact();
        long before = pool.totalBytes();
        assertThat(pool.compact(accepting) * 4096).isEqualTo(before - pool.totalBytes());
        assertEverySurvivorIntact();
        for (int owner = 0; owner < OBJECTS; owner++) {
            if (bytesOf[owner] != null) {
                discard(owner);
            }
        }
        assertThat(pool.totalBytes()).isZero();
    }

    @Test
    void migrateKeepsSizeAndOwnerAndFreesTheOldObject() {
        Random random = new Random(4);
        for (int owner = 0; owner < 16; owner++) {
            store(owner, 500, random);
        }
        for (int owner = 1; owner < 8; owner++) {
            discard(owner);
        }
        discard(8);
        long old = handleOf[0];
        List<Integer> owners = new ArrayList<>();

        pool.compact((owner, handle) -> {
            owners.add(owner);
            return accepting.migrate(owner, handle);
        });

        assertThat(owners).containsExactly(0);
        assertThat(handleOf[0]).isNotEqualTo(old);
        assertThat(pool.size(handleOf[0])).isEqualTo(500);
        assertThatThrownBy(() -> pool.size(old)).isInstanceOf(IllegalArgumentException.class);
        assertEverySurvivorIntact();
    }
}
