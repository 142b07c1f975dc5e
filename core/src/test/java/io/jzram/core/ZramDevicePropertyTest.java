package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.compress.CompressionAlgorithms;
import io.jzram.core.compress.CompressionStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of writes, reads, discards and write-zeroes — aligned and unaligned, of
 * every kind of data — against a plain {@code byte[]} model. Every read must equal the model,
 * and every statistic the model can derive must match after every step. The second property
 * adds the tier operations (idle marks, recompression with zstd, writeback to a file,
 * compaction), with a model of which pages are idle and which are written back.
 */
class ZramDevicePropertyTest {

    static final int PAGES = 12;
    static final int SIZE = PAGES * PAGE;
    static final int SECTORS = SIZE / 512;

    enum Kind { ZERO, SAME, TEXT, RANDOM }

    enum OpType { WRITE, READ, DISCARD, WRITE_ZEROES, INVALID, IDLE_ALL, RECOMPRESS, WRITEBACK_IDLE, COMPACT }

    /** The I/O operations only, for the first property. */
    static final List<OpType> IO = List.of(OpType.WRITE, OpType.READ, OpType.DISCARD, OpType.WRITE_ZEROES, OpType.INVALID);

    record Op(OpType type, int sector, int sectors, Kind kind, long seed) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        return ops(Arbitraries.of(IO));
    }

    @Provide
    Arbitrary<List<Op>> tierOps() {
        return ops(Arbitraries.of(OpType.class));
    }

    private static Arbitrary<List<Op>> ops(Arbitrary<OpType> types) {
        Arbitrary<Op> op = Combinators.combine(
                        types,
                        Arbitraries.integers().between(0, SECTORS - 1),
                        Arbitraries.integers().between(1, 24),
                        Arbitraries.of(Kind.class),
                        Arbitraries.longs())
                .as((t, sector, n, kind, seed) -> new Op(t, sector, Math.min(n, SECTORS - sector), kind, seed));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 150)
    void deviceBehavesLikeAnArrayOfBytes(@ForAll("ops") List<Op> ops) throws Exception {
        ZramDevice device = new ZramDevice(0);
        device.init(SIZE);
        Model model = new Model();
        try (CompressionStream lz4 = CompressionAlgorithms.of("lz4").newStream()) {
            for (Op op : ops) {
                apply(device, model, op);
                model.check(device, lz4);
            }
        } finally {
            device.reset(true, Duration.ofSeconds(5));
        }
    }

    @Property(tries = 100)
    void aTieredDeviceBehavesLikeAnArrayOfBytes(@ForAll("tierOps") List<Op> ops) throws Exception {
        Path backing = Files.createTempFile("jzram-property", ".wb");
        ZramDevice device = new ZramDevice(0);
        try {
            device.setRecompAlgorithm(1, "zstd");
            device.setBackingDev(backing);
            device.init(SIZE);
            Model model = new Model();
            try (CompressionStream lz4 = CompressionAlgorithms.of("lz4").newStream()) {
                for (Op op : ops) {
                    apply(device, model, op);
                    model.check(device, lz4);
                }
            }
        } finally {
            device.reset(true, Duration.ofSeconds(5));
            Files.deleteIfExists(backing);
        }
    }

    private static void apply(ZramDevice device, Model model, Op op) throws Exception {
        long offset = op.sector() * 512L;
        int len = op.sectors() * 512;
        switch (op.type()) {
            case WRITE -> {
                byte[] data = data(op.kind(), len, op.seed());
                device.write(ByteBuffer.wrap(data), offset);
                model.write((int) offset, data);
            }
            case READ -> {
                ByteBuffer b = ByteBuffer.allocateDirect(len);
                device.read(b, offset);
                byte[] got = new byte[len];
                b.flip().get(got);
                assertThat(got).as("read %d+%d", offset, len)
                        .isEqualTo(Arrays.copyOfRange(model.bytes, (int) offset, (int) offset + len));
                model.accessed((int) offset, len);
            }
            case IDLE_ALL -> {
                device.markIdle(OptionalLong.empty());
                model.markIdle();
            }
            case RECOMPRESS -> device.recompress(RecompressRequest.parse("type=idle"));
            case WRITEBACK_IDLE -> {
                assertThat(device.writeback(WritebackRequest.IDLE)).as("pages written back").isEqualTo(model.writebackIdle());
            }
            case COMPACT -> device.compact();
            case DISCARD -> {
                device.discard(offset, len);
                model.discard((int) offset, len);
            }
            case WRITE_ZEROES -> {
                device.writeZeroes(offset, len);
                model.writeZeroes((int) offset, len);
            }
            case INVALID -> {
                try {
                    device.read(ByteBuffer.allocate(len + 512), SIZE - 512); // crosses the end
                    throw new AssertionError("read beyond the end succeeded");
                } catch (ZramException e) {
                    assertThat(e.reason()).isEqualTo(ZramException.Reason.OUT_OF_RANGE);
                    model.invalidIo++;
                }
            }
        }
    }

    static byte[] data(Kind kind, int len, long seed) {
        return switch (kind) {
            case ZERO -> TestPages.zeros(len);
            case SAME -> TestPages.sameFilled(len, seed);
            case TEXT -> TestPages.compressible(len, seed);
            case RANDOM -> TestPages.random(len, seed);
        };
    }

    /** The reference: the bytes, which pages hold data, and the counters derived from them. */
    static final class Model {
        final byte[] bytes = new byte[SIZE];
        final boolean[] stored = new boolean[PAGES];
        /** Marked idle and not accessed since. */
        final boolean[] idle = new boolean[PAGES];
        /** On the backing device. */
        final boolean[] writtenBack = new boolean[PAGES];
        long notifyFree;
        long invalidIo;

        void write(int offset, byte[] data) {
            System.arraycopy(data, 0, bytes, offset, data.length);
            for (int p = offset / PAGE; p <= (offset + data.length - 1) / PAGE; p++) {
                stored[p] = true;
                idle[p] = false;
                writtenBack[p] = false; // stored in memory again
            }
        }

        /** A read: the pages it touched are not idle. */
        void accessed(int offset, int len) {
            for (int p = offset / PAGE; p <= (offset + len - 1) / PAGE; p++) {
                idle[p] = false;
            }
        }

        /** idle all: every page holding an object in memory. */
        void markIdle() {
            for (int p = 0; p < PAGES; p++) {
                idle[p] = stored[p] && !writtenBack[p] && !PageStore.isSameFilled(ByteBuffer.wrap(bytes, p * PAGE, PAGE).slice(), 0);
            }
        }

        /** writeback idle: the idle pages go to the backing device; returns how many. */
        long writebackIdle() {
            long n = 0;
            for (int p = 0; p < PAGES; p++) {
                if (idle[p]) {
                    idle[p] = false;
                    writtenBack[p] = true;
                    n++;
                }
            }
            return n;
        }

        void discard(int offset, int len) {
            int first = (offset + PAGE - 1) / PAGE;
            int end = (offset + len) / PAGE;
            for (int p = first; p < end; p++) {
                Arrays.fill(bytes, p * PAGE, (p + 1) * PAGE, (byte) 0);
                stored[p] = false;
                idle[p] = false;
                writtenBack[p] = false;
                notifyFree++;
            }
        }

        void writeZeroes(int offset, int len) {
            Arrays.fill(bytes, offset, offset + len, (byte) 0);
            for (int p = offset / PAGE; p <= (offset + len - 1) / PAGE; p++) {
                boolean whole = p * PAGE >= offset && (p + 1) * PAGE <= offset + len;
                idle[p] = false;
                writtenBack[p] = false;
                if (whole) {
                    stored[p] = false;
                    notifyFree++;
                } else {
                    stored[p] = true;
                }
            }
        }

        void check(ZramDevice device, CompressionStream lz4) {
            long storedPages = 0;
            long same = 0;
            long huge = 0;
            long wb = 0;
            ByteBuffer out = ByteBuffer.allocate(8192);
            for (int p = 0; p < PAGES; p++) {
                if (!stored[p]) {
                    continue;
                }
                storedPages++;
                if (writtenBack[p]) {
                    wb++;
                    continue;
                }
                ByteBuffer page = ByteBuffer.wrap(bytes, p * PAGE, PAGE);
                if (PageStore.isSameFilled(page.slice(), 0)) {
                    same++;
                } else if (lz4.compress(page.slice(), 0, PAGE, out, 0, 3631) < 0) {
                    huge++;
                }
            }
            MmStat s = device.mmStat();
            assertThat(s.origDataSize()).as("orig_data_size").isEqualTo(storedPages * PAGE);
            assertThat(s.samePages()).as("same_pages").isEqualTo(same);
            assertThat(device.bdStat().count()).as("bd_count").isEqualTo(wb);
            assertThat(device.tierStat().pages()).as("the tiers add up").isEqualTo(storedPages);
            if (device.algorithmChoice(1) == null) {
                assertThat(s.hugePages()).as("huge_pages").isEqualTo(huge);
            } else {
                assertThat(s.hugePages()).as("huge_pages: lz4's, less those zstd shrank").isBetween(0L, huge);
            }
            assertThat(s.comprDataSize()).as("compr_data_size")
                    .isBetween(s.hugePages() * PAGE, (storedPages - same - wb) * 3631L + s.hugePages() * (PAGE - 3631L));
            assertThat(s.memUsedTotal()).as("mem_used_total").isGreaterThanOrEqualTo(s.comprDataSize());
            assertThat(s.memUsedMax()).as("mem_used_max").isGreaterThanOrEqualTo(s.memUsedTotal());
            if (storedPages == same) {
                assertThat(s.memUsedTotal()).as("nothing allocated").isZero();
            }
            IoStat io = device.ioStat();
            assertThat(io.notifyFree()).as("notify_free").isEqualTo(notifyFree);
            assertThat(io.invalidIo()).as("invalid_io").isEqualTo(invalidIo);
            assertThat(io.failedReads()).isZero();
            assertThat(io.failedWrites()).isZero();
        }
    }
}
