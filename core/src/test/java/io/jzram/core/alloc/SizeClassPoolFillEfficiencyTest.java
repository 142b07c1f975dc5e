package io.jzram.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * How close {@code totalBytes()} stays to the sum of object sizes when the pool is filled with compressed pages
 * of realistic sizes (no frees, so no compaction is involved).
 */
class SizeClassPoolFillEfficiencyTest {

    /** Enough objects that the one partly filled chunk per class is noise (about 200 MiB of objects). */
    private static final int OBJECTS = 100_000;
    private static final double MAX_OVERHEAD = 1.03;

    private static double fill(IntSupplier sizes, String name) {
        try (SizeClassPool pool = new SizeClassPool()) {
            long sum = 0;
            for (int i = 0; i < OBJECTS; i++) {
                int size = sizes.getAsInt();
                assertThat(size).isBetween(500, 3631);
                pool.malloc(size, i);
                sum += size;
            }
            double ratio = (double) pool.totalBytes() / sum;
            System.out.printf("fill efficiency, %s: totalBytes / sum(sizes) = %.4f (%d / %d)%n",
                    name, ratio, pool.totalBytes(), sum);
            return ratio;
        }
    }

    @Test
    void uniformSizesFrom500To3631CostAtMost3PercentMoreThanTheirSum() {
        Random random = new Random(20260101);
        double ratio = fill(() -> 500 + random.nextInt(3631 - 500 + 1), "uniform 500..3631");
        assertThat(ratio).isLessThanOrEqualTo(MAX_OVERHEAD);
    }

    @Test
    void bellShapedSizesAroundHalfAPageCostAtMost3PercentMoreThanTheirSum() {
        // compressed 4 KiB pages of typical memory: mostly 1..3 KiB, tails both ways (clipped)
        Random random = new Random(4242);
        double ratio = fill(() -> (int) Math.max(500, Math.min(3631, Math.round(1800 + 650 * random.nextGaussian()))),
                "normal(1800, 650) clipped to 500..3631");
        assertThat(ratio).isLessThanOrEqualTo(MAX_OVERHEAD);
    }
}
