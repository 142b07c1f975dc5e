package io.jzram.bench;

import io.jzram.core.MmStat;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the page benchmarks with one and two threads and prints what the core issue asks for:
 * MB/s per thread, each engine figure as a ratio to the raw codec on the same pages in the same
 * run, the two-thread scaling, and the compression ratio {@code orig_data_size / mem_used_total}
 * of the mixed corpus.
 *
 * <p>Usage: {@code java -jar bench/target/benchmarks.jar [--quick | --demo]}: {@code --quick} runs
 * shorter iterations, {@code --demo} only stores the corpus in a device and prints its statistics.
 */
public final class BenchMain {

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        printCompressionRatio();
        if (List.of(args).contains("--demo")) {
            return;
        }

        Map<String, Double> mbps = new LinkedHashMap<>();
        for (int threads : new int[] {1, 2}) {
            ChainedOptionsBuilder opt = new OptionsBuilder()
                    .include(PageBenchmarks.class.getName() + "\\.")
                    .forks(1)
                    .threads(threads)
                    .warmupIterations(quick ? 1 : 3)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(quick ? 2 : 5)
                    .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                    .jvmArgsAppend("-XX:+AlwaysPreTouch", "-Xms3g", "-Xmx3g", "--enable-native-access=ALL-UNNAMED",
                            "-Djzram.bench.corpusFile=" + System.getProperty("jzram.bench.corpusFile", ""));
            Collection<RunResult> results = new Runner(opt.build()).run();
            for (RunResult r : results) {
                String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
                String data = r.getParams().getParam("data");
                double opsPerSec = r.getPrimaryResult().getScore();
                // Throughput with N threads is the sum over threads: report per thread and total.
                mbps.put(key(method, data, threads), opsPerSec * MixedCorpus.PAGE / 1e6);
            }
        }
        printReport(mbps);
    }

    private static String key(String method, String data, int threads) {
        return method + "/" + data + "/" + threads;
    }

    private static void printCompressionRatio() throws Exception {
        MixedCorpus corpus = MixedCorpus.load(PageBenchmarks.CORPUS_MB);
        ZramDevice d = new ZramRegistry().hotAdd();
        d.init((long) corpus.size() * MixedCorpus.PAGE);
        ByteBuffer all = corpus.toDirectBuffer();
        d.write(all, 0);
        MmStat s = d.mmStat();
        String file = System.getProperty("jzram.bench.corpusFile", "");
        System.out.printf(Locale.ROOT, "%nmixed corpus: %d pages (%d MiB) from %s%n", corpus.size(),
                corpus.size() / 256, file.isEmpty() ? MixedCorpus.defaultSources() : file);
        System.out.printf(Locale.ROOT, "mm_stat: %s%n", s);
        System.out.printf(Locale.ROOT, "compression ratio orig_data_size / mem_used_total = %.3f "
                        + "(orig/compr = %.3f, allocator overhead %.1f bytes/page, huge pages %d, same pages %d)%n",
                (double) s.origDataSize() / s.memUsedTotal(), (double) s.origDataSize() / s.comprDataSize(),
                (double) (s.memUsedTotal() - s.comprDataSize()) / corpus.size(), s.hugePages(), s.samePages());
        for (long page = 0; page < corpus.size(); page += 2) {
            d.discard(page * MixedCorpus.PAGE, MixedCorpus.PAGE);
        }
        long before = d.mmStat().memUsedTotal();
        long freed = d.compact();
        System.out.printf(Locale.ROOT, "after discarding every other page: mem_used_total %d; compact() freed %d pages;"
                + " mem_used_total %d%nmm_stat: %s%nio_stat: %s%n", before, freed, d.mmStat().memUsedTotal(),
                d.mmStat(), d.ioStat());
        d.reset(true, Duration.ofSeconds(10));
    }

    private static void printReport(Map<String, Double> mbps) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-8s %-7s %14s %14s %14s %14s %8s %8s", "data", "threads",
                "write MB/s/thr", "raw cmp MB/s", "read MB/s/thr", "raw dec MB/s", "w/raw", "r/raw"));
        for (String data : new String[] {"mixed", "zero", "random"}) {
            for (int threads : new int[] {1, 2}) {
                double w = mbps.getOrDefault(key("engineWrite", data, threads), Double.NaN) / threads;
                double r = mbps.getOrDefault(key("engineRead", data, threads), Double.NaN) / threads;
                double c = mbps.getOrDefault(key("rawCompress", data, threads), Double.NaN) / threads;
                double dc = mbps.getOrDefault(key("rawDecompress", data, threads), Double.NaN) / threads;
                lines.add(String.format(Locale.ROOT, "%-8s %-7d %14.0f %14.0f %14.0f %14.0f %8.2f %8.2f", data,
                        threads, w, c, r, dc, w / c, r / dc));
            }
        }
        System.out.println();
        System.out.println("Per-thread throughput, 4 KiB pages (ratios: engine / raw lz4-java JNI on the same pages, same run)");
        lines.forEach(System.out::println);
        for (String op : new String[] {"engineWrite", "engineRead"}) {
            double one = mbps.getOrDefault(key(op, "mixed", 1), Double.NaN);
            double two = mbps.getOrDefault(key(op, "mixed", 2), Double.NaN);
            System.out.printf(Locale.ROOT, "scaling %s mixed: 2 threads / 1 thread = %.2fx (total %.0f vs %.0f MB/s)%n",
                    op, two / one, two, one);
        }
    }

    private BenchMain() {}
}
