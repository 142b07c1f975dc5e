package io.jzram.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.alloc.SizeClassTable.Layout;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizeClassTableTest {

    private final SizeClassTable table = SizeClassPool.TABLE;

    @Test
    void classSizesAreIncreasingMultiplesOf16From32To4096() {
        List<Layout> layouts = table.layouts();
        assertThat(layouts.getFirst().size()).isEqualTo(32);
        assertThat(layouts.getLast().size()).isEqualTo(4096);
        for (int i = 0; i < layouts.size(); i++) {
            assertThat(layouts.get(i).index()).isEqualTo(i);
            assertThat(layouts.get(i).size() % 16).isZero();
            if (i > 0) {
                assertThat(layouts.get(i).size()).isGreaterThan(layouts.get(i - 1).size());
            }
        }
    }

    @Test
    void everySizeFrom1To4096MapsToAClassThatFitsIt() {
        for (int size = 1; size <= 4096; size++) {
            Layout l = table.layout(table.classIndexFor(size));
            assertThat(l.size()).as("class of %d", size).isGreaterThanOrEqualTo(size);
            assertThat(size).isBetween(l.minObjectSize(), l.maxObjectSize());
            assertThat((long) l.objectsPerChunk() * l.size()).isLessThanOrEqualTo((long) l.pagesPerChunk() * 4096);
        }
    }

    @Test
    void classesCoverObjectSizesContiguously() {
        List<Layout> layouts = table.layouts();
        assertThat(layouts.getFirst().minObjectSize()).isEqualTo(1);
        assertThat(layouts.getLast().maxObjectSize()).isEqualTo(4096);
        for (int i = 1; i < layouts.size(); i++) {
            assertThat(layouts.get(i).minObjectSize()).isEqualTo(layouts.get(i - 1).maxObjectSize() + 1);
        }
    }

    @Test
    void eachClassUsesTheChunkLengthWithTheBestUsedFractionPreferringFewerPages() {
        for (Layout l : table.layouts()) {
            int size = l.size();
            double best = -1;
            int bestPages = 0;
            for (int k = 1; k <= 8; k++) {
                int n = k * 4096 / size;
                double used = (double) n * size / (k * 4096.0);
                if (used > best + 1e-12) {
                    best = used;
                    bestPages = k;
                }
            }
            assertThat(l.pagesPerChunk()).as("pages per chunk of class %d", size).isEqualTo(bestPages);
            assertThat(l.objectsPerChunk()).isEqualTo(bestPages * 4096 / size);
        }
    }

    @Test
    void adjacentClassesWithTheSameLayoutAreMerged() {
        List<Layout> layouts = table.layouts();
        for (int i = 1; i < layouts.size(); i++) {
            Layout a = layouts.get(i - 1);
            Layout b = layouts.get(i);
            assertThat(a.pagesPerChunk() == b.pagesPerChunk() && a.objectsPerChunk() == b.objectsPerChunk())
                    .as("classes %d and %d have the same layout", a.size(), b.size())
                    .isFalse();
        }
        assertThat(layouts).hasSize(119);
    }

    @Test
    void hugeClassSizeIs3632TheLargestSlotSharedByMoreThanOneObject() {
        assertThat(table.hugeClassSize()).isEqualTo(3632);
        Layout below = table.layout(table.classIndexFor(3631));
        assertThat(below.size()).isEqualTo(3632);
        assertThat(below.pagesPerChunk()).isEqualTo(8);
        assertThat(below.objectsPerChunk()).isEqualTo(9);
    }

    @Test
    void sizesFromHugeClassSizeUpGetOneObjectOneOnePageChunks() {
        for (int size = table.hugeClassSize(); size <= 4096; size++) {
            Layout l = table.layout(table.classIndexFor(size));
            assertThat(l.huge()).isTrue();
            assertThat(l.pagesPerChunk()).isEqualTo(1);
            assertThat(l.objectsPerChunk()).isEqualTo(1);
        }
    }

    @Test
    void sizesBelowHugeClassSizeShareChunks() {
        for (int size = 1; size < table.hugeClassSize(); size++) {
            assertThat(table.layout(table.classIndexFor(size)).objectsPerChunk()).as("size %d", size).isGreaterThan(1);
        }
    }

    @Test
    void theSameRuleWithFourPageChunksGivesTheOlderKernelsClass3264() {
        assertThat(new SizeClassTable(4096, 32, 16, 4).hugeClassSize()).isEqualTo(3264);
    }

    @Test
    void slotIndicesFitTheHandle() {
        assertThat(table.maxObjectsPerChunk()).isLessThanOrEqualTo(Handles.MAX_OBJECTS_PER_CHUNK);
    }
}
