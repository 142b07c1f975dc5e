package io.jzram.bench;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import io.jzram.core.alloc.SizeClassPool;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>The scaling from one thread to two is measured the same way: a block is 8 slices on one
 * thread, then 8 slices on each of two threads at once (twice), then 8 on one thread.
 *
 * <p>Usage: {@code java -XX:+AlwaysPreTouch -Xms3g -Xmx3g --enable-native-access=ALL-UNNAMED
 * -Djzram.bench.corpusFile=/tmp/corpus.bin -cp bench/target/benchmarks.jar
 * io.jzram.bench.PairedRatios [seconds per pair, default 20] [--breakdown]}. {@code --breakdown}
 * adds where a write's time goes: each step of what the engine does, alone, against the raw
 * codec, and what the same copy of the compressed bytes costs when the memory written is smaller
 * (fits the L2, the L3) than the device's. {@code -Djzram.bench.tiered=true} measures a device
 * with tiering configured but idle (a zstd recompression algorithm and a backing file).
 */
public final class PairedRatios {

    static final int SLICE = 1000;
    static final int STRIDE = 4099;
    /** --breakdown: the places in the cold buffer are this far apart (a page's compressed bound, rounded up). */
    static final int COLD_PLACE = 4200;
    /** --breakdown: about the device's compressed data (46 MB for the 64 MiB corpus). */
    static final int COLD_BYTES = 48 << 20;
    /** Slices per thread in each part of a scaling block. */
    static final int SCALING_SLICES = 8;

    private final int count;
    private final ByteBuffer pages;
    private final LZ4Compressor compressor = LZ4Factory.nativeInstance().fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4Factory.nativeInstance().safeDecompressor();
    private final ByteBuffer compressed;
    private final int[] offsets;
    private final int[] lengths;
    private final ZramDevice device;
    /** --breakdown only: memory that is not in the cache, and an allocator of the engine's kind with one object per page. */
    private ByteBuffer cold;
    /** How much of {@link #cold} the places are spread over: all of it, except for the footprint sweep. */
    private int coldWindow;
    private SizeClassPool pool;
    private long[] handles;
    /** The measuring thread's cursor, and the second thread's for the scaling blocks. */
    private final Cursor[] cursors;
    private final ExecutorService second = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "second");
        t.setDaemon(true);
        return t;
    });

    /** One thread's place in the page walk, its read buffer and its results sink. */
    private final class Cursor {
        final ByteBuffer out = ByteBuffer.allocateDirect(MixedCorpus.PAGE);
        /** The raw compressor's output, per thread (a shared one would bounce between the cores). */
        final ByteBuffer compressedOut = ByteBuffer.allocateDirect(compressor.maxCompressedLength(MixedCorpus.PAGE));
        /** This thread's view of the corpus, positioned on the page each write stores (see PageBenchmarks.Cursor). */
        final ByteBuffer source = pages.duplicate();
        int next;
        long writes;
        long sink;

        Cursor(int thread) {
            next = thread * 7919 % count; // threads start far apart, as in PageBenchmarks
        }

        ByteBuffer page(int q) {
            return source.clear().position(q * MixedCorpus.PAGE).limit((q + 1) * MixedCorpus.PAGE);
        }

        int nextPage() {
            int p = next;
            next = (next + STRIDE) % count;
            return p;
        }
    }

    private PairedRatios(MixedCorpus corpus) throws ZramException, java.io.IOException {
        count = corpus.size();
        pages = corpus.toDirectBuffer();
        cursors = new Cursor[] {new Cursor(0), new Cursor(1)};
        int bound = compressor.maxCompressedLength(MixedCorpus.PAGE);
        compressed = ByteBuffer.allocateDirect(count * bound);
        offsets = new int[count];
        lengths = new int[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = i * bound;
            lengths[i] = compressor.compress(pages, i * MixedCorpus.PAGE, MixedCorpus.PAGE, compressed, offsets[i], bound);
        }
        device = new ZramRegistry().hotAdd();
        if (Boolean.getBoolean("jzram.bench.tiered")) {
            // Tiering configured but idle: a recompression algorithm and a backing file, no policy.
            java.nio.file.Path backing = java.nio.file.Files.createTempFile(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")),
                    "jzram-bench", ".wb");
            backing.toFile().deleteOnExit();
            device.setRecompAlgorithm(1, "zstd");
            device.setBackingDev(backing);
            System.out.println("tiering configured: recomp_algorithm zstd, backing_dev " + backing);
        }
        device.init((long) count * MixedCorpus.PAGE);
        for (int i = 0; i < count; i++) {
            device.write(cursors[0].page(i), (long) i * MixedCorpus.PAGE);
        }
    }

    /** One slice of {@code op} on the calling thread: SLICE pages; returns the nanoseconds it took. */
    private long slice(int op) throws ZramException {
        return slice(op, cursors[0]);
    }

    private long slice(int op, Cursor c) throws ZramException {
        long start = System.nanoTime();
        for (int k = 0; k < SLICE; k++) {
            int p = c.nextPage();
            switch (op) {
                case 0 -> { // another corpus page on every pass, as PageBenchmarks.Cursor.sourceFor does
                    long pass = c.writes++ / count + 1;
                    device.write(c.page((int) ((p + pass * 7919) % count)), (long) p * MixedCorpus.PAGE);
                }
                case 1 -> c.sink += compressor.compress(pages, p * MixedCorpus.PAGE, MixedCorpus.PAGE, c.compressedOut, 0,
                        c.compressedOut.capacity());
                case 2 -> {
                    device.read(c.out.clear(), (long) p * MixedCorpus.PAGE);
                    c.sink += c.out.get(0);
                }
                case 3 -> c.sink += decompressor.decompress(compressed, offsets[p], lengths[p], c.out, 0, MixedCorpus.PAGE);
                // The write's cost, step by step (--breakdown): what the raw codec does, plus ...
                case 4 -> { // ... copying the result to a place in memory that is not in the cache
                    int n = compressor.compress(pages, p * MixedCorpus.PAGE, MixedCorpus.PAGE, c.compressedOut, 0,
                            c.compressedOut.capacity());
                    cold.put(coldPlace(p), c.compressedOut, 0, n);
                    c.sink += n;
                }
                case 5 -> // ... compressing straight into such a place instead
                    c.sink += compressor.compress(pages, p * MixedCorpus.PAGE, MixedCorpus.PAGE, cold, coldPlace(p),
                            c.compressedOut.capacity());
                case 6 -> { // ... the allocator: a new object for the page, the copy, the page's old object freed
                    int n = compressor.compress(pages, p * MixedCorpus.PAGE, MixedCorpus.PAGE, c.compressedOut, 0,
                            c.compressedOut.capacity());
                    boolean huge = n >= pool.hugeClassSize();
                    int size = huge ? MixedCorpus.PAGE : n;
                    long h = pool.malloc(size, p);
                    if (huge) {
                        pool.buffer(h).put(pool.offset(h), pages, p * MixedCorpus.PAGE, size);
                    } else {
                        pool.buffer(h).put(pool.offset(h), c.compressedOut, 0, size);
                    }
                    if (handles[p] != 0) {
                        pool.free(handles[p]);
                    }
                    handles[p] = h;
                    c.sink += n;
                }
                default -> throw new IllegalArgumentException();
            }
        }
        return System.nanoTime() - start;
    }

    /** A place of COLD_PLACE bytes in the first {@link #coldWindow} bytes of {@link #cold} for page {@code p}, scattered (a multiplicative hash). */
    private int coldPlace(int p) {
        int places = coldWindow / COLD_PLACE - 1;
        return (int) ((p * 2654435761L) % places) * COLD_PLACE;
    }

    /** {@code k} slices of {@code op} on the calling thread, with cursor {@code c}. */
    private long slices(int op, Cursor c, int k) throws ZramException {
        long t = 0;
        for (int i = 0; i < k; i++) {
            t += slice(op, c);
        }
        return t;
    }

    /**
     * {@code SCALING_SLICES} slices of engine {@code op} on each of two threads at once; returns the
     * wall-clock nanoseconds. Several slices, so that handing the work to the second thread (a
     * wake-up, tens of microseconds) is small next to the work.
     */
    private long twoThreadSlices(int op) throws Exception {
        long start = System.nanoTime();
        Future<Long> other = second.submit(() -> slices(op, cursors[1], SCALING_SLICES));
        slices(op, cursors[0], SCALING_SLICES);
        other.get();
        return System.nanoTime() - start;
    }

    /**
     * Scaling of engine {@code op} from one thread to two: blocks of (one thread, SCALING_SLICES
     * slices), (two threads, as many each) twice, in A B B A order; a block's scaling is
     * {@code 2 * t1 / t2}, the two-thread throughput over the one-thread throughput.
     */
    private void scaling(String what, int op, long nanos) throws Exception {
        double[] r = new double[1024];
        int n = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            long one = slices(op, cursors[0], SCALING_SLICES);
            long two = twoThreadSlices(op);
            two += twoThreadSlices(op);
            one += slices(op, cursors[0], SCALING_SLICES);
            if (n == r.length) {
                r = Arrays.copyOf(r, n * 2);
            }
            r[n++] = 2.0 * one / two;
        }
        r = Arrays.copyOf(r, n);
        Arrays.sort(r);
        System.out.printf(Locale.ROOT, "%-40s median %.2fx (quartiles %.2f-%.2f, %d blocks)%n",
                what, r[n / 2], r[n / 4], r[n * 3 / 4], n);
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
        System.out.printf(Locale.ROOT, "%-40s median %.3f (quartiles %.3f-%.3f, %d blocks), totals %.3f;"
                        + " engine %.0f MB/s, raw %.0f MB/s%n", what, r[r.length / 2], r[r.length / 4], r[r.length * 3 / 4],
                r.length, totals[1] / totals[0], pagesPerNs * MixedCorpus.PAGE * 1e3,
                (double) SLICE * 2 * r.length / totals[1] * MixedCorpus.PAGE * 1e3);
    }

    /**
     * Where a write's time goes beyond the raw codec's: each step adds one part of what the engine
     * does, measured against the raw codec in the same paired blocks.
     */
    private void breakdown(long nanos) throws ZramException {
        cold = ByteBuffer.allocateDirect(COLD_BYTES);
        coldWindow = COLD_BYTES;
        pool = new SizeClassPool();
        handles = new long[count];
        for (int i = 0; i < 2 * count / SLICE; i++) { // touch the buffer, fill the allocator
            slice(4);
            slice(6);
        }
        System.out.println("write breakdown (each step / raw compress into a buffer in the cache):");
        report("  compress, copy to cold memory:", 4, 1, nanos);
        report("  compress into cold memory:", 5, 1, nanos);
        report("  compress, malloc, copy, free the old:", 6, 1, nanos);
        report("  the engine's write:", 0, 1, nanos);
        // The copy's cost depends on where the memory sits: the same copy, its places spread over
        // less memory (in L2, in L3, about the L3's size, the device's size).
        System.out.println("compress, copy to a place in a region of (cost of storing, by footprint):");
        for (int window : new int[] {256 << 10, 4 << 20, 24 << 20, COLD_BYTES}) {
            coldWindow = window;
            report(String.format(Locale.ROOT, "  %5d KiB:", window >> 10), 4, 1, nanos / 2);
        }
        coldWindow = COLD_BYTES;
        pool.close();
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 && !args[0].startsWith("--") ? Long.parseLong(args[0]) : 20;
        PairedRatios bench = new PairedRatios(MixedCorpus.load(PageBenchmarks.CORPUS_MB));
        long warm = System.nanoTime() + Duration.ofSeconds(Math.min(8, seconds)).toNanos();
        while (System.nanoTime() < warm) {
            for (int op = 0; op < 4; op++) {
                bench.slice(op);
            }
            bench.twoThreadSlices(0);
            bench.twoThreadSlices(2);
        }
        System.out.printf(Locale.ROOT, "paired slices of %d pages (A B B A), one thread, %d pages of the mixed corpus%n",
                SLICE, bench.count);
        bench.report("write, engine / raw:", 0, 1, Duration.ofSeconds(seconds).toNanos());
        bench.report("read, engine / raw:", 2, 3, Duration.ofSeconds(seconds).toNanos());
        bench.scaling("write, scaling 2 threads / 1:", 0, Duration.ofSeconds(seconds).toNanos());
        bench.scaling("read, scaling 2 threads / 1:", 2, Duration.ofSeconds(seconds).toNanos());
        // The machine's own limit: the raw codec needs no shared state at all.
        bench.scaling("raw compress, scaling 2 / 1:", 1, Duration.ofSeconds(seconds).toNanos());
        bench.scaling("raw decompress, scaling 2 / 1:", 3, Duration.ofSeconds(seconds).toNanos());
        if (List.of(args).contains("--breakdown")) {
            bench.breakdown(Duration.ofSeconds(seconds).toNanos());
        }
        bench.device.reset(true, Duration.ofSeconds(10));
        if (bench.cursors[0].sink + bench.cursors[1].sink == 42) {
            System.out.println();
        }
    }
}
