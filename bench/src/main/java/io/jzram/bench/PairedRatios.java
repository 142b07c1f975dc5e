package io.jzram.bench;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The engine-to-raw-codec ratios measured in pairs, for machines whose speed drifts (a shared
 * VM: 10–30 % between two JMH runs a minute apart, which is more than the overhead being
 * measured).
 *
 * <p>JMH measures {@code engineWrite} and {@code rawCompress} one after the other, each for
 * seconds; a drift in between lands in the ratio. Here the two run interleaved in short slices
 * (1000 pages, a few milliseconds) in the order A B B A, and each such block gives one ratio
 * (raw time / engine time for the same number of pages = engine throughput / raw throughput).
 * A drift slower than a block cancels out of it. The report is the median block ratio with its
 * quartiles, and the ratio of the totals.
 *
 * <p>The operations are exactly {@link PageBenchmarks}' (same corpus, same device set-up, same
 * page order: a stride of 4099 pages; each write replaces a page's contents with another corpus
 * page), one thread, after a warm-up long enough for C2.
 *
 * <p>Usage: {@code java -XX:+AlwaysPreTouch -Xms3g -Xmx3g --enable-native-access=ALL-UNNAMED
 * -Djzram.bench.corpusFile=/tmp/corpus.bin -cp bench/target/benchmarks.jar
 * io.jzram.bench.PairedRatios [seconds per pair, default 20]}.
 */
public final class PairedRatios {

    static final int SLICE = 1000;
    static final int STRIDE = 4099;

    private final int count;
    private final ByteBuffer[] views;
    private final ByteBuffer pages;
    private final ByteBuffer out = ByteBuffer.allocateDirect(MixedCorpus.PAGE);
    private final LZ4Compressor compressor = LZ4Factory.nativeInstance().fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4Factory.nativeInstance().safeDecompressor();
    private final ByteBuffer compressedOut;
    private final ByteBuffer compressed;
    private final int[] offsets;
    private final int[] lengths;
    private final ZramDevice device;
    private int next;
    private long writes;
    private long sink;

    private PairedRatios(MixedCorpus corpus) throws ZramException {
        count = corpus.size();
        pages = corpus.toDirectBuffer();
        views = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            views[i] = pages.slice(i * MixedCorpus.PAGE, MixedCorpus.PAGE);
        }
        int bound = compressor.maxCompressedLength(MixedCorpus.PAGE);
        compressedOut = ByteBuffer.allocateDirect(bound);
        compressed = ByteBuffer.allocateDirect(count * bound);
        offsets = new int[count];
        lengths = new int[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = i * bound;
            lengths[i] = compressor.compress(pages, i * MixedCorpus.PAGE, MixedCorpus.PAGE, compressed, offsets[i], bound);
        }
        device = new ZramRegistry().hotAdd();
        device.init((long) count * MixedCorpus.PAGE);
        for (int i = 0; i < count; i++) {
            device.write(views[i].clear(), (long) i * MixedCorpus.PAGE);
        }
    }

    private int nextPage() {
        int p = next;
        next = (next + STRIDE) % count;
        return p;
    }

    /** One slice of {@code op}: SLICE pages; returns the nanoseconds it took. */
    private long slice(int op) throws ZramException {
        long start = System.nanoTime();
        for (int k = 0; k < SLICE; k++) {
            int p = nextPage();
            switch (op) {
                case 0 -> { // another corpus page on every pass, as PageBenchmarks.Cursor.sourceFor does
                    long pass = writes++ / count + 1;
                    device.write(views[(int) ((p + pass * 7919) % count)].clear(), (long) p * MixedCorpus.PAGE);
                }
                case 1 -> sink += compressor.compress(pages, p * MixedCorpus.PAGE, MixedCorpus.PAGE, compressedOut, 0,
                        compressedOut.capacity());
                case 2 -> {
                    device.read(out.clear(), (long) p * MixedCorpus.PAGE);
                    sink += out.get(0);
                }
                case 3 -> sink += decompressor.decompress(compressed, offsets[p], lengths[p], out, 0, MixedCorpus.PAGE);
                default -> throw new IllegalArgumentException();
            }
        }
        return System.nanoTime() - start;
    }

    /** Blocks of A B B A for {@code nanos}; returns the block ratios (raw time / engine time). */
    private double[] pair(int engine, int raw, long nanos, double[] totals) throws ZramException {
        double[] ratios = new double[1024];
        int n = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            long e = slice(engine);
            long r = slice(raw);
            r += slice(raw);
            e += slice(engine);
            if (n == ratios.length) {
                ratios = Arrays.copyOf(ratios, n * 2);
            }
            ratios[n++] = (double) r / e;
            totals[0] += e;
            totals[1] += r;
        }
        return Arrays.copyOf(ratios, n);
    }

    private void report(String what, int engine, int raw, long nanos) throws ZramException {
        double[] totals = new double[2];
        double[] r = pair(engine, raw, nanos, totals);
        Arrays.sort(r);
        double pagesPerNs = (double) SLICE * 2 * r.length / totals[0];
        System.out.printf(Locale.ROOT, "%-6s engine/raw: median %.3f (quartiles %.3f-%.3f, %d blocks), totals %.3f;"
                        + " engine %.0f MB/s, raw %.0f MB/s%n", what, r[r.length / 2], r[r.length / 4], r[r.length * 3 / 4],
                r.length, totals[1] / totals[0], pagesPerNs * MixedCorpus.PAGE * 1e3,
                (double) SLICE * 2 * r.length / totals[1] * MixedCorpus.PAGE * 1e3);
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 20;
        PairedRatios bench = new PairedRatios(MixedCorpus.load(PageBenchmarks.CORPUS_MB));
        long warm = System.nanoTime() + Duration.ofSeconds(Math.min(8, seconds)).toNanos();
        while (System.nanoTime() < warm) {
            for (int op = 0; op < 4; op++) {
                bench.slice(op);
            }
        }
        System.out.printf(Locale.ROOT, "paired slices of %d pages (A B B A), one thread, %d pages of the mixed corpus%n",
                SLICE, bench.count);
        bench.report("write", 0, 1, Duration.ofSeconds(seconds).toNanos());
        bench.report("read", 2, 3, Duration.ofSeconds(seconds).toNanos());
        bench.device.reset(true, Duration.ofSeconds(10));
        if (bench.sink == 42) {
            System.out.println();
        }
    }
}
