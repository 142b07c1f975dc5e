package io.jzram.bench;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One operation = one 4 KiB page. The engine's write and read against the raw lz4-java codec
 * on the same pages in the same run, so the engine's own overhead shows as a ratio.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PageBenchmarks {

    /** Corpus size; the device is exactly this big. */
    static final int CORPUS_MB = Integer.getInteger("jzram.bench.corpusMb", 64);

    @State(Scope.Benchmark)
    public static class Data {
        /** mixed: the realistic corpus; zero: all-zero pages; random: incompressible pages. */
        @Param({"mixed", "zero", "random"})
        public String data;

        ByteBuffer pages;
        int count;

        @Setup(Level.Trial)
        public void load() {
            MixedCorpus corpus = MixedCorpus.load(CORPUS_MB);
            count = corpus.size();
            pages = ByteBuffer.allocateDirect(count * MixedCorpus.PAGE);
            Random random = new Random(1);
            byte[] page = new byte[MixedCorpus.PAGE];
            for (int i = 0; i < count; i++) {
                switch (data) {
                    case "mixed" -> pages.put(corpus.page(i));
                    case "zero" -> pages.put(new byte[MixedCorpus.PAGE]);
                    case "random" -> {
                        random.nextBytes(page);
                        pages.put(page);
                    }
                    default -> throw new IllegalArgumentException(data);
                }
            }
            pages.flip();
        }
    }

    @State(Scope.Benchmark)
    public static class Device {
        final ZramRegistry registry = new ZramRegistry();
        ZramDevice device;

        @Setup(Level.Trial)
        public void init(Data d) throws ZramException {
            device = registry.hotAdd();
            device.init((long) d.count * MixedCorpus.PAGE);
            for (int i = 0; i < d.count; i++) {
                device.write(d.pages.slice(i * MixedCorpus.PAGE, MixedCorpus.PAGE), (long) i * MixedCorpus.PAGE);
            }
        }

        @TearDown(Level.Trial)
        public void reset() throws Exception {
            device.reset(true, Duration.ofSeconds(30));
        }
    }

    /** Per thread: a view of the corpus, a read buffer, and a cursor that visits this thread's share of the pages. */
    @State(Scope.Thread)
    public static class Cursor {
        static final AtomicInteger THREADS = new AtomicInteger();
        /**
         * The thread's one view of the whole corpus, positioned on the page each write stores: one
         * buffer object reused for every I/O, as the iSCSI target reuses a connection's buffer. (A
         * view object per corpus page would be 16K objects, 1.3 MB of heap that is not in the cache:
         * a miss per write charged to the engine that the raw codec, reading the corpus buffer
         * itself, does not pay; 3 points of write / raw compress here.)
         */
        ByteBuffer source;
        ByteBuffer out;
        int next;
        int stride;

        @Setup(Level.Trial)
        public void setup(Data d) {
            source = d.pages.duplicate();
            out = ByteBuffer.allocateDirect(MixedCorpus.PAGE);
            // Threads start at different pages and walk with a large odd stride: no two threads share a page at once.
            next = (THREADS.getAndIncrement() * 7919) % d.count;
            stride = 4099;
        }

        /** {@link #source} positioned on corpus page {@code q}. */
        ByteBuffer page(int q) {
            return source.clear().position(q * MixedCorpus.PAGE).limit((q + 1) * MixedCorpus.PAGE);
        }

        int nextPage(int count) {
            int p = next;
            next = (next + stride) % count;
            return p;
        }

        /**
         * The corpus page to write into device page {@code p}: another page on every pass over the
         * device, so that each write replaces a page's contents with different contents, as a real
         * overwrite does (rewriting the bytes a page already holds would always land in the same
         * allocator size class).
         */
        int sourceFor(int p, int count) {
            long pass = writes++ / count + 1;
            return (int) ((p + pass * 7919) % count);
        }

        long writes;
    }

    @State(Scope.Thread)
    public static class Codec {
        final LZ4Compressor compressor = LZ4Factory.nativeInstance().fastCompressor();
        final LZ4SafeDecompressor decompressor = LZ4Factory.nativeInstance().safeDecompressor();
        ByteBuffer compressedOut;
        ByteBuffer compressed;
        int[] offsets;
        int[] lengths;

        @Setup(Level.Trial)
        public void setup(Data d) {
            int bound = compressor.maxCompressedLength(MixedCorpus.PAGE);
            compressedOut = ByteBuffer.allocateDirect(bound);
            compressed = ByteBuffer.allocateDirect(d.count * bound);
            offsets = new int[d.count];
            lengths = new int[d.count];
            for (int i = 0; i < d.count; i++) {
                offsets[i] = i * bound;
                lengths[i] = compressor.compress(d.pages, i * MixedCorpus.PAGE, MixedCorpus.PAGE, compressed, offsets[i], bound);
            }
        }
    }

    @Benchmark
    public void engineWrite(Data d, Device dev, Cursor c) throws ZramException {
        int p = c.nextPage(d.count);
        dev.device.write(c.page(c.sourceFor(p, d.count)), (long) p * MixedCorpus.PAGE);
    }

    @Benchmark
    public int engineRead(Data d, Device dev, Cursor c) throws ZramException {
        int p = c.nextPage(d.count);
        c.out.clear();
        dev.device.read(c.out, (long) p * MixedCorpus.PAGE);
        return c.out.get(0);
    }

    @Benchmark
    public int rawCompress(Data d, Cursor c, Codec codec) {
        int p = c.nextPage(d.count);
        return codec.compressor.compress(d.pages, p * MixedCorpus.PAGE, MixedCorpus.PAGE, codec.compressedOut, 0,
                codec.compressedOut.capacity());
    }

    @Benchmark
    public int rawDecompress(Data d, Cursor c, Codec codec) {
        int p = c.nextPage(d.count);
        return codec.decompressor.decompress(codec.compressed, codec.offsets[p], codec.lengths[p], c.out, 0,
                MixedCorpus.PAGE);
    }
}
