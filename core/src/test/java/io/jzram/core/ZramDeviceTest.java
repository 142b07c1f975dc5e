package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZramDeviceTest {

    private final ZramDevice device = new ZramDevice(0);

    @AfterEach
    void resetDevice() throws Exception {
        device.reset(true, Duration.ofSeconds(10));
    }

    private byte[] read(long offset, int len) throws ZramException {
        ByteBuffer b = ByteBuffer.allocate(len);
        device.read(b, offset);
        assertThat(b.remaining()).isZero();
        return b.array();
    }

    private void write(long offset, byte[] data) throws ZramException {
        ByteBuffer b = ByteBuffer.wrap(data);
        device.write(b, offset);
        assertThat(b.remaining()).isZero();
    }

    private static ZramException zramError(ThrowingRunnable r) {
        try {
            r.run();
        } catch (ZramException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected ZramException, got " + e, e);
        }
        throw new AssertionError("expected ZramException, nothing thrown");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Nested
    class Lifecycle {
        @Test
        void startsUninitializedWithDefaults() {
            assertThat(device.isInitialized()).isFalse();
            assertThat(device.diskSize()).isZero();
            assertThat(device.algorithm()).isEqualTo("lz4");
            assertThat(device.memLimit()).isZero();
            assertThat(device.name()).isEqualTo("zram0");
            assertThat(device.mmStat()).isEqualTo(MmStat.ZERO);
        }

        @Test
        void initRoundsDiskSizeUpToAPage() throws Exception {
            device.init(10_000);
            assertThat(device.isInitialized()).isTrue();
            assertThat(device.diskSize()).isEqualTo(3 * PAGE);
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, -4096, Long.MIN_VALUE})
        void initRejectsNonPositiveSizes(long size) {
            assertThat(zramError(() -> device.init(size)).reason()).isEqualTo(Reason.INVALID_ARGUMENT);
            assertThat(device.isInitialized()).isFalse();
        }

        @Test
        void initRejectsSizesBeyondTheSlotTable() {
            assertThat(zramError(() -> device.init(Long.MAX_VALUE)).reason()).isEqualTo(Reason.INVALID_ARGUMENT);
        }

        @Test
        void changingDiskSizeWhileInitializedIsBusy() throws Exception {
            device.init(PAGE);
            assertThat(zramError(() -> device.init(2 * PAGE)).reason()).isEqualTo(Reason.BUSY);
            assertThat(device.diskSize()).isEqualTo(PAGE);
        }

        @Test
        void algorithmIsSettableOnlyWhileUninitialized() throws Exception {
            device.setAlgorithm("deflate");
            assertThat(device.algorithm()).isEqualTo("deflate");
            device.init(PAGE);
            assertThat(zramError(() -> device.setAlgorithm("lz4")).reason()).isEqualTo(Reason.BUSY);
            assertThat(device.algorithm()).isEqualTo("deflate");
        }

        @Test
        void unknownAlgorithmIsAnInvalidArgument() {
            ZramException e = zramError(() -> device.setAlgorithm("lzo-rle-turbo"));
            assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("lz4");
        }

        @Test
        void resetRestoresDefaultsAndFreesEverything() throws Exception {
            device.setAlgorithm("zstd");
            device.setMemLimit(1 << 20);
            device.init(64 * PAGE);
            write(0, TestPages.compressible(16 * PAGE, 1));
            long gen = device.generation();

            device.reset(false, null);

            assertThat(device.isInitialized()).isFalse();
            assertThat(device.algorithm()).isEqualTo("lz4");
            assertThat(device.memLimit()).isZero();
            assertThat(device.mmStat()).isEqualTo(MmStat.ZERO);
            assertThat(zramError(() -> read(0, PAGE)).reason()).isEqualTo(Reason.NOT_INITIALIZED);

            device.init(64 * PAGE);
            assertThat(device.generation()).isGreaterThan(gen);
            assertThat(read(0, 16 * PAGE)).as("a new generation starts empty").isEqualTo(new byte[16 * PAGE]);
        }

        @Test
        void resetOfAnOpenDeviceIsBusyUnlessForced() throws Exception {
            device.init(PAGE);
            ZramDevice.Holder holder = device.open("test");
            assertThat(device.openCount()).isEqualTo(1);
            assertThat(zramError(() -> device.reset(false, null)).reason()).isEqualTo(Reason.BUSY);
            assertThat(device.isInitialized()).isTrue();

            device.reset(true, Duration.ofSeconds(5));
            assertThat(device.isInitialized()).isFalse();
            holder.close();
            holder.close();
            assertThat(device.openCount()).isZero();
        }

        @Test
        void resetOfAClosedHolderSucceeds() throws Exception {
            device.init(PAGE);
            device.open("test").close();
            device.reset(false, null);
            assertThat(device.isInitialized()).isFalse();
        }

        @Test
        void ioFailsAsNotInitializedBeforeInit() {
            assertThat(zramError(() -> read(0, PAGE)).reason()).isEqualTo(Reason.NOT_INITIALIZED);
            assertThat(zramError(() -> write(0, new byte[PAGE])).reason()).isEqualTo(Reason.NOT_INITIALIZED);
            assertThat(zramError(() -> device.discard(0, PAGE)).reason()).isEqualTo(Reason.NOT_INITIALIZED);
            assertThat(zramError(device::compact).reason()).isEqualTo(Reason.NOT_INITIALIZED);
        }

        @Test
        void streamsAreSettableOnlyWhileUninitialized() throws Exception {
            device.setStreams(3);
            assertThat(device.streams()).isEqualTo(3);
            assertThat(zramError(() -> device.setStreams(0)).reason()).isEqualTo(Reason.INVALID_ARGUMENT);
            device.init(PAGE);
            assertThat(zramError(() -> device.setStreams(2)).reason()).isEqualTo(Reason.BUSY);
        }
    }

    @Nested
    class DataPath {
        @Test
        void neverWrittenPagesReadAsZeros() throws Exception {
            device.init(8 * PAGE);
            assertThat(read(0, 8 * PAGE)).isEqualTo(new byte[8 * PAGE]);
        }

        @ParameterizedTest
        @ValueSource(strings = {"lz4", "lz4hc", "deflate", "zstd"})
        void everyAlgorithmRoundTripsEveryKindOfPage(String algorithm) throws Exception {
            device.setAlgorithm(algorithm);
            device.init(16 * PAGE);
            byte[] data = concat(TestPages.zeros(PAGE), TestPages.sameFilled(PAGE, 0x0123456789abcdefL),
                    TestPages.compressible(PAGE, 7), TestPages.random(PAGE, 8));
            write(4 * PAGE, data);
            assertThat(read(4 * PAGE, data.length)).isEqualTo(data);
        }

        @Test
        void directBuffersAndLittleEndianBuffersRoundTrip() throws Exception {
            device.init(4 * PAGE);
            byte[] data = concat(TestPages.sameFilled(PAGE, 0x0102030405060708L), TestPages.compressible(PAGE, 3));
            ByteBuffer src = TestPages.direct(data).order(ByteOrder.LITTLE_ENDIAN);
            device.write(src, 0);
            ByteBuffer dst = ByteBuffer.allocateDirect(data.length).order(ByteOrder.LITTLE_ENDIAN);
            device.read(dst, 0);
            byte[] back = new byte[data.length];
            dst.flip().get(back);
            assertThat(back).isEqualTo(data);
            assertThat(read(0, data.length)).as("read through a big-endian heap buffer").isEqualTo(data);
        }

        @Test
        void buffersAdvanceLikeAFileChannel() throws Exception {
            device.init(4 * PAGE);
            ByteBuffer src = ByteBuffer.allocate(3 * PAGE);
            src.position(PAGE);
            device.write(src, 0);
            assertThat(src.position()).isEqualTo(3 * PAGE);
            ByteBuffer dst = ByteBuffer.allocate(PAGE + 512);
            dst.position(512);
            device.read(dst, 0);
            assertThat(dst.position()).isEqualTo(PAGE + 512);
        }

        @Test
        void absoluteReadsAndWritesUseTheGivenRangeAndLeavePositionAndLimitAlone() throws Exception {
            device.init(4 * PAGE);
            byte[] data = TestPages.compressible(PAGE + 512, 21);
            ByteBuffer src = ByteBuffer.allocate(3 * PAGE);
            src.put(1024, data).position(7).limit(2 * PAGE); // position and limit unrelated to the range
            device.write(src, 1024, data.length, 512);
            assertThat(src.position()).isEqualTo(7);
            assertThat(src.limit()).isEqualTo(2 * PAGE);

            ByteBuffer dst = ByteBuffer.allocate(3 * PAGE);
            dst.position(9).limit(3 * PAGE - 1);
            device.read(dst, 2048, data.length, 512);
            assertThat(dst.position()).isEqualTo(9);
            assertThat(dst.limit()).isEqualTo(3 * PAGE - 1);
            assertThat(Arrays.copyOfRange(dst.array(), 2048, 2048 + data.length)).isEqualTo(data);
            assertThat(Arrays.copyOfRange(dst.array(), 0, 2048)).containsOnly(0);
            assertThat(Arrays.copyOfRange(dst.array(), 2048 + data.length, 3 * PAGE)).containsOnly(0);
            assertThat(read(512, data.length)).isEqualTo(data);

            // The range must lie below the limit, as for ByteBuffer's own absolute bulk operations.
            assertThatThrownBy(() -> device.read(dst, 3 * PAGE - 512, 512, 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> device.write(src, -1, 512, 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(device.ioCounters().writes()).as("a bad range fails before any I/O is counted").isEqualTo(1);
            assertThat(device.ioCounters().reads()).isEqualTo(2);
        }

        @Test
        void partialPagesAreReadModifyWritten() throws Exception {
            device.init(4 * PAGE);
            byte[] base = TestPages.compressible(2 * PAGE, 11);
            write(0, base);
            byte[] patch = TestPages.random(1536, 12);
            write(3584, patch); // the last sector of page 0 and two sectors of page 1
            byte[] expected = base.clone();
            System.arraycopy(patch, 0, expected, 3584, patch.length);
            assertThat(read(0, 2 * PAGE)).isEqualTo(expected);
            assertThat(read(3584 + 512, 512)).isEqualTo(Arrays.copyOfRange(patch, 512, 1024));
        }

        @Test
        void theLastSectorIsReadableAndWritable() throws Exception {
            device.init(5 * PAGE);
            long last = device.diskSize() - 512;
            byte[] data = TestPages.random(512, 5);
            write(last, data);
            assertThat(read(last, 512)).isEqualTo(data);
        }

        @Test
        void outOfRangeAndUnalignedIoIsRejectedAndCounted() throws Exception {
            device.init(4 * PAGE);
            long size = device.diskSize();
            assertThat(zramError(() -> read(size, 512)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(zramError(() -> read(size - 512, 1024)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(zramError(() -> write(100, new byte[512])).reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(zramError(() -> write(0, new byte[100])).reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(zramError(() -> device.discard(-512, 512)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(zramError(() -> device.discard(512, Long.MAX_VALUE - 511)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(device.ioStat().invalidIo()).isEqualTo(6);
        }

        @Test
        void overwritingReplacesAndAccountsOnce() throws Exception {
            device.init(2 * PAGE);
            write(0, TestPages.compressible(PAGE, 1));
            write(0, TestPages.random(PAGE, 2));
            write(0, TestPages.compressible(PAGE, 3));
            MmStat s = device.mmStat();
            assertThat(s.origDataSize()).isEqualTo(PAGE);
            assertThat(s.hugePages()).isZero();
            assertThat(s.hugePagesSince()).isEqualTo(1);
            assertThat(read(0, PAGE)).isEqualTo(TestPages.compressible(PAGE, 3));
        }

        @Test
        void pageReadsAndWritesAllocateNothingOnTheHeap() throws Exception {
            device.init(64 * PAGE);
            ByteBuffer[] pages = new ByteBuffer[4];
            for (int i = 0; i < pages.length; i++) { // every kind of page, so every path runs
                byte[] data = switch (i) {
                    case 0 -> TestPages.compressible(PAGE, i);
                    case 1 -> TestPages.random(PAGE, i);
                    case 2 -> TestPages.zeros(PAGE);
                    default -> TestPages.sameFilled(PAGE, 0x0102030405060708L);
                };
                pages[i] = ByteBuffer.allocateDirect(PAGE).put(data).flip();
            }
            ByteBuffer out = ByteBuffer.allocateDirect(PAGE);
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long me = Thread.currentThread().threadId();
            int ios = 20_000;
            long before = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up: class loading, the JIT
                before = threads.getThreadAllocatedBytes(me);
                for (int i = 0; i < ios; i++) {
                    long at = (long) (i % 64) * PAGE;
                    device.write(pages[i % pages.length].clear(), at);
                    device.read(out.clear(), at);
                }
            }
            long allocated = threads.getThreadAllocatedBytes(me) - before;
            assertThat(allocated).as("bytes allocated by %d page writes and reads", 2 * ios).isLessThan(2 * ios);
        }

        @Test
        void anIncompressiblePageOverAnIncompressiblePageIsWrittenInPlace() throws Exception {
            device.init(2 * PAGE);
            write(0, TestPages.random(PAGE, 1));
            MmStat before = device.mmStat();
            write(0, TestPages.random(PAGE, 2));
            MmStat after = device.mmStat();
            assertThat(read(0, PAGE)).isEqualTo(TestPages.random(PAGE, 2));
            assertThat(after.memUsedTotal()).as("no new chunk").isEqualTo(before.memUsedTotal());
            assertThat(after.memUsedMax()).as("not even for a moment").isEqualTo(before.memUsedMax());
            assertThat(after.hugePages()).isEqualTo(1);
            assertThat(after.hugePagesSince()).as("every huge store counts").isEqualTo(2);
            assertThat(after.comprDataSize()).isEqualTo(PAGE);
        }

        @Test
        void anOverwriteInTheSameSizeClassNeedsNoRoomUnderMemLimit() throws Exception {
            device.init(4 * PAGE);
            byte[] page = TestPages.compressible(PAGE, 7);
            write(0, page);
            device.setMemLimit(device.mmStat().memUsedTotal()); // full: no new chunk may be allocated
            page[100] ^= 1; // another page of the same compressed size: same size class
            write(0, page);
            assertThat(read(0, PAGE)).isEqualTo(page);
            assertThat(device.ioStat().failedWrites()).isZero();
            byte[] other = TestPages.random(PAGE, 8); // a huge page: another class, needs a new chunk
            assertThat(zramError(() -> write(0, other)).reason()).isEqualTo(Reason.NO_SPACE);
            assertThat(read(0, PAGE)).as("the old contents stay").isEqualTo(page);
        }
    }

    @Nested
    class Storage {
        @Test
        void sameFilledPagesStoreOnlyTheWord() throws Exception {
            device.init(8 * PAGE);
            write(0, concat(TestPages.zeros(PAGE), TestPages.sameFilled(PAGE, -1L), TestPages.sameFilled(PAGE, 42)));
            MmStat s = device.mmStat();
            assertThat(s.samePages()).isEqualTo(3);
            assertThat(s.origDataSize()).isEqualTo(3 * PAGE);
            assertThat(s.comprDataSize()).isZero();
            assertThat(s.memUsedTotal()).as("no allocation for same-filled pages").isZero();
        }

        @Test
        void incompressiblePagesAreStoredRawAsHugePages() throws Exception {
            device.init(8 * PAGE);
            write(0, concat(TestPages.random(PAGE, 1), TestPages.random(PAGE, 2)));
            MmStat s = device.mmStat();
            assertThat(s.hugePages()).isEqualTo(2);
            assertThat(s.hugePagesSince()).isEqualTo(2);
            assertThat(s.comprDataSize()).isEqualTo(2 * PAGE);
            device.discard(0, PAGE);
            assertThat(device.mmStat().hugePages()).isEqualTo(1);
            assertThat(device.mmStat().hugePagesSince()).isEqualTo(2);
        }

        @Test
        void compressiblePagesTakeLessThanAPage() throws Exception {
            device.init(1024 * PAGE);
            for (int i = 0; i < 1024; i++) {
                write((long) i * PAGE, TestPages.compressible(PAGE, i));
            }
            MmStat s = device.mmStat();
            assertThat(s.origDataSize()).isEqualTo(1024 * PAGE);
            assertThat(s.hugePages()).isZero();
            assertThat(s.comprDataSize()).isLessThan(s.origDataSize() * 6 / 10);
            assertThat(s.memUsedTotal()).isGreaterThanOrEqualTo(s.comprDataSize());
            assertThat(s.memUsedTotal()).as("allocator overhead is small").isLessThan(s.comprDataSize() * 11 / 10);
            assertThat(s.memUsedMax()).isGreaterThanOrEqualTo(s.memUsedTotal());
        }

        @Test
        void discardFreesWholePagesOnlyAndCountsThem() throws Exception {
            device.init(8 * PAGE);
            byte[] data = TestPages.random(8 * PAGE, 4);
            write(0, data);
            // From the middle of page 1 to the middle of page 5: pages 2, 3, 4 are freed.
            device.discard(PAGE + 512, 4 * PAGE);
            byte[] expected = data.clone();
            Arrays.fill(expected, 2 * PAGE, 5 * PAGE, (byte) 0);
            assertThat(read(0, 8 * PAGE)).isEqualTo(expected);
            assertThat(device.ioStat().notifyFree()).isEqualTo(3);
            assertThat(device.mmStat().origDataSize()).isEqualTo(5 * PAGE);
            assertThat(device.mmStat().memUsedTotal()).isEqualTo(5L * PAGE);
        }

        @Test
        void writeZeroesZeroesPartialEdgesToo() throws Exception {
            device.init(4 * PAGE);
            byte[] data = TestPages.random(4 * PAGE, 6);
            write(0, data);
            device.writeZeroes(512, 2 * PAGE);
            byte[] expected = data.clone();
            Arrays.fill(expected, 512, 512 + 2 * PAGE, (byte) 0);
            assertThat(read(0, 4 * PAGE)).isEqualTo(expected);
            assertThat(device.ioStat().notifyFree()).as("page 1 was whole").isEqualTo(1);
        }

        @Test
        void memUsedMaxTracksThePeakAndResetsToCurrent() throws Exception {
            device.init(64 * PAGE);
            write(0, TestPages.random(32 * PAGE, 1));
            long peak = device.mmStat().memUsedTotal();
            device.discard(0, 32 * PAGE);
            assertThat(device.mmStat().memUsedTotal()).isZero();
            assertThat(device.mmStat().memUsedMax()).isEqualTo(peak);
            device.resetMemUsedMax();
            assertThat(device.mmStat().memUsedMax()).isZero();
        }
    }

    @Nested
    class MemLimit {
        @Test
        void aWriteOverTheLimitFailsPartWayAndCounts() throws Exception {
            device.init(64 * PAGE);
            device.setMemLimit(8 * PAGE);
            assertThat(device.memLimit()).isEqualTo(8 * PAGE);

            // Random pages are stored raw, one page of memory each: the ninth page does not fit.
            ZramException e = zramError(() -> write(0, TestPages.random(16 * PAGE, 2)));
            assertThat(e.reason()).isEqualTo(Reason.NO_SPACE);
            assertThat(device.ioStat().failedWrites()).isEqualTo(1);
            MmStat s = device.mmStat();
            assertThat(s.memUsedTotal()).isEqualTo(8 * PAGE);
            assertThat(s.memLimit()).isEqualTo(8 * PAGE);
            assertThat(s.hugePages()).isEqualTo(8);
            assertThat(read(0, 8 * PAGE)).isEqualTo(Arrays.copyOf(TestPages.random(16 * PAGE, 2), 8 * PAGE));
            assertThat(read(8L * PAGE, 8 * PAGE)).as("the failing page and those after it were not written")
                    .isEqualTo(new byte[8 * PAGE]);
        }

        @Test
        void theFailingPageKeepsItsOldContents() throws Exception {
            device.init(4 * PAGE);
            byte[] old = TestPages.compressible(PAGE, 1);
            write(0, old);
            device.setMemLimit(device.mmStat().memUsedTotal());
            assertThat(zramError(() -> write(0, TestPages.random(PAGE, 2))).reason()).isEqualTo(Reason.NO_SPACE);
            assertThat(read(0, PAGE)).isEqualTo(old);
        }

        @Test
        void sameFilledPagesNeedNoMemoryAndSucceedAtTheLimit() throws Exception {
            device.init(4 * PAGE);
            device.setMemLimit(PAGE);
            write(0, TestPages.zeros(4 * PAGE));
            assertThat(device.mmStat().samePages()).isEqualTo(4);
        }

        @Test
        void limitIsRoundedUpToAPageAndZeroMeansNone() throws Exception {
            device.setMemLimit(1);
            assertThat(device.memLimit()).isEqualTo(PAGE);
            device.setMemLimit(0);
            assertThat(device.memLimit()).isZero();
            assertThat(zramError(() -> device.setMemLimit(-1)).reason()).isEqualTo(Reason.INVALID_ARGUMENT);
        }
    }

    @Nested
    class Compaction {
        @Test
        void compactingAfterDiscardingHalfTheDataReturnsMemory() throws Exception {
            int pages = 2048;
            device.init((long) pages * PAGE);
            for (int i = 0; i < pages; i++) {
                write((long) i * PAGE, TestPages.compressible(PAGE, i));
            }
            for (int i = 0; i < pages; i += 2) {
                device.discard((long) i * PAGE, PAGE);
            }
            long before = device.mmStat().memUsedTotal();
            long freed = device.compact();
            MmStat after = device.mmStat();

            assertThat(freed).isPositive();
            assertThat(after.pagesCompacted()).isEqualTo(freed);
            assertThat(after.memUsedTotal()).isEqualTo(before - freed * PAGE);
            assertThat(after.memUsedTotal()).isLessThan(before * 3 / 4);
            for (int i = 1; i < pages; i += 2) {
                assertThat(read((long) i * PAGE, PAGE)).as("page %d survives compaction", i)
                        .isEqualTo(TestPages.compressible(PAGE, i));
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[len];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
