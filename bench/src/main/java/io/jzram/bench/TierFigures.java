package io.jzram.bench;

import com.sun.nio.file.ExtendedOpenOption;
import io.jzram.core.MmStat;
import io.jzram.core.RecompressRequest;
import io.jzram.core.WritebackRequest;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramRegistry;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Random;

/**
 * The memory figures of tiering on the mixed corpus (issue #14), printed as ratios:
 * <ol>
 *   <li>{@code orig_data_size / mem_used_total} with lz4 alone, then after {@code idle all} and
 *       {@code recompress type=idle} with zstd at the level given (and a compaction), and the
 *       ratio of the two; also zstd as the only algorithm, for reference;</li>
 *   <li>writeback of the idle pages to a file: how much of their {@code mem_used_total} is freed,
 *       that every page reads back intact, and 4 KiB random reads of written-back pages against
 *       the same reads straight from the file (O_DIRECT where the file system has it).</li>
 * </ol>
 * Usage: {@code java --enable-native-access=ALL-UNNAMED -Djzram.bench.corpusFile=/tmp/corpus.bin
 * -cp bench/target/benchmarks.jar io.jzram.bench.TierFigures [zstd level, default 3] [backing file dir, default java.io.tmpdir]}.
 */
public final class TierFigures {

    public static void main(String[] args) throws Exception {
        int level = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path dir = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
        MixedCorpus corpus = MixedCorpus.load(PageBenchmarks.CORPUS_MB);
        ByteBuffer all = corpus.toDirectBuffer();
        long size = (long) corpus.size() * MixedCorpus.PAGE;
        System.out.printf(Locale.ROOT, "mixed corpus: %d pages (%d MiB)%n", corpus.size(), corpus.size() / 256);

        ZramRegistry registry = new ZramRegistry();
        ZramDevice zstdOnly = registry.hotAdd();
        zstdOnly.setAlgorithm("zstd");
        if (level != 3) {
            zstdOnly.setAlgorithmParams(0, level, null);
        }
        zstdOnly.init(size);
        zstdOnly.write(all.duplicate(), 0);
        double zstdRatio = ratio(zstdOnly.mmStat());
        zstdOnly.reset(true, Duration.ofSeconds(10));

        Path backing = Files.createTempFile(dir, "jzram-tiers", ".wb");
        try {
            ZramDevice d = registry.hotAdd();
            d.setRecompAlgorithm(1, "zstd");
            if (level != 3) {
                d.setAlgorithmParams(1, level, null);
            }
            d.setBackingDev(backing);
            d.init(size);
            d.write(all.duplicate(), 0);
            MmStat lz4 = d.mmStat();
            double lz4Ratio = ratio(lz4);
            System.out.printf(Locale.ROOT, "lz4:                      mm_stat %s  orig/mem_used_total %.3f%n", lz4, lz4Ratio);

            d.markIdle(OptionalLong.empty());
            long t0 = System.nanoTime();
            long recompressed = d.recompress(RecompressRequest.parse("type=idle"));
            double secs = (System.nanoTime() - t0) / 1e9;
            d.compact();
            MmStat after = d.mmStat();
            double tiered = ratio(after);
            System.out.printf(Locale.ROOT, "idle all + recompress type=idle (zstd level %d): %d pages in %.2f s (%.0f MB/s of pages tried)%n",
                    level, recompressed, secs, corpus.size() * 4096 / 1e6 / secs);
            System.out.printf(Locale.ROOT, "  mm_stat %s  orig/mem_used_total %.3f  = %.3fx lz4's%n", after, tiered, tiered / lz4Ratio);
            System.out.printf(Locale.ROOT, "zstd level %d alone:          orig/mem_used_total %.3f  = %.3fx lz4's%n", level, zstdRatio,
                    zstdRatio / lz4Ratio);

            // Writeback of the idle pages.
            long memBefore = after.memUsedTotal();
            d.markIdle(OptionalLong.empty());
            t0 = System.nanoTime();
            long written = d.writeback(WritebackRequest.IDLE);
            secs = (System.nanoTime() - t0) / 1e9;
            d.compact();
            MmStat wb = d.mmStat();
            System.out.printf(Locale.ROOT, "writeback idle: %d pages in %.2f s (%.0f MB/s); bd_stat %s; mem_used_total %d -> %d: %.1f %% freed%n",
                    written, secs, written * 4096 / 1e6 / secs, d.bdStat(), memBefore, wb.memUsedTotal(),
                    100.0 * (memBefore - wb.memUsedTotal()) / memBefore);

            // Every page intact.
            ByteBuffer page = ByteBuffer.allocateDirect(MixedCorpus.PAGE);
            long bad = 0;
            for (int p = 0; p < corpus.size(); p++) {
                d.read(page.clear(), (long) p * MixedCorpus.PAGE);
                if (page.flip().compareTo(all.slice(p * MixedCorpus.PAGE, MixedCorpus.PAGE)) != 0) {
                    bad++;
                }
            }
            System.out.printf(Locale.ROOT, "read back: %d of %d pages differ%n", bad, corpus.size());

            // 4 KiB random reads: through the device, and straight from the file.
            int reads = Math.min(corpus.size(), 8192);
            for (int round = 0; round < 3; round++) {
                Random r = new Random(round);
                t0 = System.nanoTime();
                for (int k = 0; k < reads; k++) {
                    d.read(page.clear(), (long) r.nextInt(corpus.size()) * MixedCorpus.PAGE);
                }
                double dev = reads * 4096 / 1e6 / ((System.nanoTime() - t0) / 1e9);
                double file = fileReads(backing, reads, written, new Random(round));
                System.out.printf(Locale.ROOT, "random 4 KiB reads of written-back pages: device %.0f MB/s, the file itself %.0f MB/s: %.2fx%n",
                        dev, file, dev / file);
            }
            d.reset(true, Duration.ofSeconds(10));
        } finally {
            Files.deleteIfExists(backing);
        }
    }

    private static double ratio(MmStat s) {
        return (double) s.origDataSize() / s.memUsedTotal();
    }

    /** 4 KiB random reads straight from the file, O_DIRECT where possible; MB/s. */
    private static double fileReads(Path file, int reads, long blocks, Random r) throws Exception {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (Exception e) {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096).limit(4096);
        try (FileChannel c = ch) {
            long t0 = System.nanoTime();
            for (int k = 0; k < reads; k++) {
                b.clear().limit(4096);
                c.read(b, (long) r.nextInt((int) blocks) * 4096);
            }
            return reads * 4096 / 1e6 / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
