package io.jzram.core.alloc;

import java.util.ArrayList;
import java.util.List;

/**
 * The size classes of a pool: which chunk layout serves each object size. Immutable; computed once.
 *
 * <h2>Derivation</h2>
 * <ol>
 *   <li><b>Candidate sizes</b> run from {@code minSize} in steps of {@code step} up to the page size
 *       (32, 48, ..., 4096: 255 candidates).</li>
 *   <li><b>Chunk length.</b> For candidate size {@code s}, a chunk of {@code k} pages
 *       ({@code 1 <= k <= maxPagesPerChunk}) holds {@code n(k) = floor(k * pageSize / s)} objects and uses
 *       the fraction {@code n(k) * s / (k * pageSize)} of its memory. The chosen {@code k} maximises that
 *       fraction (equivalently {@code n(k) / k}); ties go to the smaller {@code k}. Compared exactly, by
 *       cross-multiplication, not in whole percent.</li>
 *   <li><b>Huge.</b> A candidate whose best layout is one object in a one-page chunk is huge: storing
 *       it in a shared chunk would save nothing over a page of its own.</li>
 *   <li><b>Merging.</b> Adjacent candidates with the same {@code (k, n)} are merged into one class whose
 *       slot size is the largest of them: a chunk of {@code k} pages holding {@code n} objects costs the
 *       same per object whatever the slot size, and fewer classes mean fewer half-empty chunks. For
 *       4 KiB pages and 8-page chunks this leaves 119 classes.</li>
 *   <li><b>Huge class size.</b> {@link #hugeClassSize()} is the slot size of the largest class that packs
 *       more than one object per chunk; every object of that size or larger goes to the single huge
 *       class (slot = one page). For 4 KiB pages and 8-page chunks this is <b>3632</b> (9 objects in 8
 *       pages, 99.8% used); the next candidate, 3648, fits only {@code k} objects in {@code k} pages for
 *       every {@code k}, so it and everything above it is huge; with 4-page chunks the same rule gives
 *       3264.</li>
 * </ol>
 *
 * <h2>Why 3632 and not 3633 or 3625</h2>
 * The kernel's {@code zs_create_pool} finds the same class (3632 with {@code CONFIG_ZSMALLOC_CHAIN_SIZE=8})
 * and then subtracts {@code ZS_HANDLE_SIZE - 1 = 7}, because each object in a non-huge zspage carries an
 * 8-byte handle in front of it; its {@code zs_huge_class_size()} is therefore 3625. This pool keeps owner
 * tags and free lists off-chunk, so it has no per-object header, and the tight bound would be 3633 (a
 * 3632-byte object fits the 3632 slot exactly). We put the boundary at the class size itself: the rule
 * "objects at least as large as the largest shared slot are stored whole" is simple to state, matches the
 * number the rest of jzram is specified against, and costs only objects of exactly 3632 bytes, which
 * then take 4096 bytes instead of 32768 / 9 = 3641 (that one class keeps objects of 3617 to 3631 bytes).
 */
final class SizeClassTable {

    /** One class: slot size, chunk layout and the range of object sizes routed to it. */
    record Layout(int index, int size, int pagesPerChunk, int objectsPerChunk, int minObjectSize, int maxObjectSize) {
        boolean huge() {
            return pagesPerChunk == 1 && objectsPerChunk == 1;
        }
    }

    private final int pageSize;
    private final int minSize;
    private final int step;
    private final int maxPagesPerChunk;
    private final Layout[] classes;
    /** Candidate index {@code (size - minSize) / step}, rounded up, to class index. */
    private final short[] classOfCandidate;
    private final int hugeClassSize;
    private final int hugeClassIndex;

    SizeClassTable(int pageSize, int minSize, int step, int maxPagesPerChunk) {
        if (pageSize <= 0 || minSize <= 0 || step <= 0 || maxPagesPerChunk <= 0 || minSize > pageSize
                || (pageSize - minSize) % step != 0) {
            throw new IllegalArgumentException("bad size class parameters");
        }
        this.pageSize = pageSize;
        this.minSize = minSize;
        this.step = step;
        this.maxPagesPerChunk = maxPagesPerChunk;

        int candidates = (pageSize - minSize) / step + 1;
        int[] pages = new int[candidates];
        int[] objects = new int[candidates];
        for (int i = 0; i < candidates; i++) {
            int size = minSize + i * step;
            pages[i] = bestPagesPerChunk(size);
            objects[i] = pages[i] * pageSize / size;
        }

        // Merge runs of equal (k, n), walking down from the top so that each class takes the largest size of its run.
        List<int[]> runs = new ArrayList<>(); // {first candidate, last candidate}, top-down
        int top = candidates - 1;
        for (int i = candidates - 2; i >= -1; i--) {
            if (i < 0 || pages[i] != pages[top] || objects[i] != objects[top]) {
                runs.add(new int[] {i + 1, top});
                top = i;
            }
        }
        int largestShared = -1;
        for (int[] run : runs) {
            int last = run[1];
            if (!(pages[last] == 1 && objects[last] == 1)) {
                largestShared = Math.max(largestShared, minSize + last * step);
            }
        }
        if (largestShared < 0) {
            throw new IllegalArgumentException("no size class holds more than one object per chunk");
        }
        this.hugeClassSize = largestShared;

        this.classes = new Layout[runs.size()];
        this.classOfCandidate = new short[candidates];
        for (int c = 0; c < classes.length; c++) {
            int[] run = runs.get(classes.length - 1 - c);
            int first = run[0];
            int last = run[1];
            int size = minSize + last * step;
            int lowest = first == 0 ? 1 : minSize + (first - 1) * step + 1;
            classes[c] = new Layout(c, size, pages[last], objects[last], lowest, size);
            for (int i = first; i <= last; i++) {
                classOfCandidate[i] = (short) c;
            }
        }
        this.hugeClassIndex = classes.length - 1;
        Layout hugeClass = classes[hugeClassIndex];
        if (!hugeClass.huge() || hugeClass.size() != pageSize) {
            throw new IllegalStateException("the top class must be the one-page huge class: " + hugeClass);
        }
        // Route [hugeClassSize, pageSize] to the huge class, and narrow the classes it takes sizes from.
        for (int c = 0; c < hugeClassIndex; c++) {
            Layout l = classes[c];
            if (l.huge()) {
                throw new IllegalStateException("a huge class below hugeClassSize: " + l);
            }
            if (l.maxObjectSize() >= hugeClassSize) {
                classes[c] = new Layout(c, l.size(), l.pagesPerChunk(), l.objectsPerChunk(), l.minObjectSize(),
                        hugeClassSize - 1);
            }
        }
        classes[hugeClassIndex] = new Layout(hugeClassIndex, pageSize, 1, 1, hugeClassSize, pageSize);
    }

    /** The {@code k} in {@code 1..maxPagesPerChunk} maximising the used fraction; ties to the smaller. */
    private int bestPagesPerChunk(int size) {
        int bestPages = 1;
        int bestObjects = pageSize / size;
        for (int k = 2; k <= maxPagesPerChunk; k++) {
            int n = k * pageSize / size;
            // n / k > bestObjects / bestPages, exactly
            if ((long) n * bestPages > (long) bestObjects * k) {
                bestPages = k;
                bestObjects = n;
            }
        }
        return bestPages;
    }

    int pageSize() {
        return pageSize;
    }

    int maxPagesPerChunk() {
        return maxPagesPerChunk;
    }

    int hugeClassSize() {
        return hugeClassSize;
    }

    int classCount() {
        return classes.length;
    }

    Layout layout(int classIndex) {
        return classes[classIndex];
    }

    List<Layout> layouts() {
        return List.of(classes);
    }

    int maxObjectsPerChunk() {
        int max = 0;
        for (Layout l : classes) {
            max = Math.max(max, l.objectsPerChunk());
        }
        return max;
    }

    /** The class for an object of {@code size} bytes, {@code 1 <= size <= pageSize} (checked by the caller). */
    int classIndexFor(int size) {
        if (size >= hugeClassSize) {
            return hugeClassIndex;
        }
        int candidate = size <= minSize ? 0 : (size - minSize + step - 1) / step;
        return classOfCandidate[candidate];
    }
}
