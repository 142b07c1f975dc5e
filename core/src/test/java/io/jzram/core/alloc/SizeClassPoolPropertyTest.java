package io.jzram.core.alloc;

import io.jzram.core.mem.Page;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Random sequences of malloc, free, write and compact against a model of what every live object should hold.
 */
class SizeClassPoolPropertyTest {

    sealed interface Op permits Malloc, Free, Write, Compact {
    }

    /** Allocates an object and fills it with bytes from {@code seed}. */
    record Malloc(int size, long seed) implements Op {
    }

    /** Frees the {@code pick}-th live object (modulo their number). */
    record Free(int pick) implements Op {
    }

    /** Overwrites part of the {@code pick}-th live object with bytes from {@code seed}. */
    record Write(int pick, int from, int length, long seed) implements Op {
    }

    /** Compacts; the migrator refuses an object with probability {@code refusePercent}%. */
    record Compact(int refusePercent, long seed) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(1, 4096)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 100)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(3500, 3700)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(1, 32, 33, 48, 512, 3631, 3632, 3633, 4096)));
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Integer> picks = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Op> malloc = Combinators.combine(sizes, seeds).as(Malloc::new);
        Arbitrary<Op> free = picks.map(Free::new);
        Arbitrary<Op> write = Combinators.combine(picks, Arbitraries.integers().between(0, 4095),
                Arbitraries.integers().between(1, 4096), seeds).as(Write::new);
        Arbitrary<Op> compact = Combinators.combine(Arbitraries.of(0, 0, 30, 100), seeds).as(Compact::new);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(10, malloc),
                        net.jqwik.api.Tuple.of(7, free),
                        net.jqwik.api.Tuple.of(3, write),
                        net.jqwik.api.Tuple.of(1, compact))
                .list().ofMinSize(1).ofMaxSize(400);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void liveObjectsKeepTheirBytesAndTheAccountingAddsUp(@ForAll("operations") List<Op> ops) {
        CountingChunkMemory memory = new CountingChunkMemory();
        try (SizeClassPool pool = new SizeClassPool(memory)) {
            Model model = new Model(pool);
            for (Op op : ops) {
                model.apply(op);
                model.checkAccounting();
            }
            model.checkAllBytes();
            for (long handle : new ArrayList<>(model.bytes.keySet())) {
                pool.free(handle);
            }
            assertThat(pool.totalBytes()).isZero();
            assertThat(memory.liveChunks()).isZero();
        }
        assertThat(memory.liveChunks()).isZero();
    }

    /** The model: handle -> expected bytes (insertion ordered, so picks are reproducible), handle -> owner. */
    private static final class Model {
        final SizeClassPool pool;
        final Map<Long, byte[]> bytes = new LinkedHashMap<>();
        final Map<Long, Integer> owners = new HashMap<>();
        int nextOwner;

        Model(SizeClassPool pool) {
            this.pool = pool;
        }

        void apply(Op op) {
            switch (op) {
                case Malloc(int size, long seed) -> {
                    long handle = pool.malloc(size, nextOwner);
                    assertThat(handle).isNotZero();
                    assertThat(bytes).doesNotContainKey(handle);
                    byte[] content = new byte[size];
                    new Random(seed).nextBytes(content);
                    MemorySegment.copy(content, 0, pool.segment(handle), ValueLayout.JAVA_BYTE, 0, size);
                    bytes.put(handle, content);
                    owners.put(handle, nextOwner++);
                }
                case Free(int pick) -> {
                    if (!bytes.isEmpty()) {
                        long handle = pick(pick);
                        checkBytes(handle);
                        pool.free(handle);
                        bytes.remove(handle);
                        owners.remove(handle);
                    }
                }
                case Write(int pick, int from, int length, long seed) -> {
                    if (!bytes.isEmpty()) {
                        long handle = pick(pick);
                        byte[] content = bytes.get(handle);
                        int start = from % content.length;
                        int len = Math.min(length, content.length - start);
                        byte[] patch = new byte[len];
                        new Random(seed).nextBytes(patch);
                        System.arraycopy(patch, 0, content, start, len);
                        pool.buffer(handle).put(pool.offset(handle) + start, patch);
                    }
                }
                case Compact(int refusePercent, long seed) -> compact(refusePercent, new Random(seed));
            }
        }

        private long pick(int pick) {
            int index = pick % bytes.size();
            var it = bytes.keySet().iterator();
            for (int i = 0; i < index; i++) {
                it.next();
            }
            return it.next();
        }

        private void compact(int refusePercent, Random random) {
            long before = pool.totalBytes();
            long pages = pool.compact((owner, handle) -> {
                assertThat(bytes).as("compaction only asks about live objects").containsKey(handle);
                assertThat(owners.get(handle)).as("owner tag of the object").isEqualTo(owner);
                if (random.nextInt(100) < refusePercent) {
                    return false;
                }
                long moved = pool.migrate(handle);
                assertThat(moved).isNotEqualTo(handle);
                assertThat(bytes).doesNotContainKey(moved);
                bytes.put(moved, bytes.remove(handle));
                owners.put(moved, owners.remove(handle));
                return true;
            });
            long after = pool.totalBytes();
            assertThat(after).as("compaction never grows the pool").isLessThanOrEqualTo(before);
            assertThat(pages * Page.SIZE).isEqualTo(before - after);
            if (refusePercent == 0) {
                assertThat(pool.classStats()).allSatisfy(c -> assertThat(c.freeablePages()).isZero());
            }
            checkAllBytes();
        }

        void checkAccounting() {
            List<SizeClassStats> stats = pool.classStats();
            long chunkBytes = stats.stream().mapToLong(c -> c.pagesUsed() * Page.SIZE).sum();
            long used = stats.stream().mapToLong(SizeClassStats::objectsUsed).sum();
            long sizes = bytes.values().stream().mapToLong(b -> b.length).sum();
            assertThat(pool.totalBytes()).isEqualTo(chunkBytes).isGreaterThanOrEqualTo(sizes);
            assertThat(used).isEqualTo(bytes.size());
        }

        void checkBytes(long handle) {
            byte[] expected = bytes.get(handle);
            assertThat(pool.size(handle)).isEqualTo(expected.length);
            assertThat(pool.segment(handle).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected);
        }

        void checkAllBytes() {
            bytes.keySet().forEach(this::checkBytes);
        }
    }
}
