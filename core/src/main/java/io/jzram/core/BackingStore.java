package io.jzram.core;

import com.sun.nio.file.ExtendedOpenOption;
import io.jzram.core.concurrent.GuardedBy;
import io.jzram.core.mem.Page;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * The backing device of one generation (the kernel's {@code backing_dev}): a file or block device
 * that written-back pages live on, one 4 KiB block each, with the block allocator and the
 * {@code bd_stat} counters.
 *
 * <h2>Capacity</h2>
 * A block device holds as many blocks as it has 4 KiB pages. A regular file is used like a loop
 * device over it: a file with a length holds that many blocks; an empty file grows as blocks are
 * written, up to the device's disksize (a device can never write back more pages than it has).
 *
 * <h2>I/O</h2>
 * The file is opened with {@code O_DIRECT} where its file system allows it, so written-back pages
 * go to the device and leave memory for good, as the kernel's bios do; where it does not (tmpfs),
 * buffered, and the page cache may keep copies until the kernel needs the memory. Direct I/O
 * needs 4 KiB-aligned buffers: callers pass the stream's aligned page buffer. Reads and writes
 * of different blocks run concurrently ({@link FileChannel}'s positional I/O).
 *
 * <h2>Locking</h2>
 * The block bitmap is guarded by this object's monitor, taken after a slot lock (never the other
 * way round); the counters are adders. A block is owned by at most one slot (the one whose
 * {@code word} names it) or by one writeback in progress, which frees it if the page changed.
 */
final class BackingStore implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final boolean direct;
    private final long capacity;

    /** Blocks in use. */
    @GuardedBy("this")
    private final BitSet used = new BitSet();
    /** The lowest block that may be free (a search hint). */
    @GuardedBy("this")
    private int hint;

    /** bd_stat: blocks in use, blocks read and blocks written, in 4 KiB units. */
    final LongAdder count = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();

    private BackingStore(Path path, FileChannel channel, boolean direct, long capacity) {
        this.path = path;
        this.channel = channel;
        this.direct = direct;
        this.capacity = capacity;
    }

    /**
     * Checks that {@code path} can serve as a backing device, as writing {@code backing_dev} does:
     * it exists and is a regular file or a block device that can be opened for reading and
     * writing.
     *
     * @throws ZramException NO_SUCH_FILE; INVALID_ARGUMENT for anything but a file or block device;
     *     PERMISSION or IO_ERROR when it cannot be opened
     */
    static void check(Path path) throws ZramException {
        open(path, 1).close();
    }

    /**
     * Opens {@code path} for a device of {@code diskPages} pages.
     *
     * @throws ZramException as {@link #check}
     */
    static BackingStore open(Path path, long diskPages) throws ZramException {
        if (!Files.exists(path)) {
            throw new ZramException(ZramException.Reason.NO_SUCH_FILE, "backing_dev " + path + ": no such file or device");
        }
        boolean file = Files.isRegularFile(path);
        if (!file && !isBlockDevice(path)) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT,
                    "backing_dev " + path + ": not a regular file or a block device");
        }
        FileChannel channel;
        boolean direct = true;
        try {
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException e) {
                // The file system has no O_DIRECT (tmpfs): buffered I/O.
                direct = false;
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        } catch (NoSuchFileException e) {
            throw new ZramException(ZramException.Reason.NO_SUCH_FILE, "backing_dev " + path + ": no such file or device", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ZramException(ZramException.Reason.PERMISSION, "backing_dev " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new ZramException(ZramException.Reason.IO_ERROR, "backing_dev " + path + ": cannot open: " + e.getMessage(), e);
        }
        try {
            long bytes = file ? channel.size() : blockDeviceSize(path);
            long blocks = bytes >= Page.SIZE ? bytes / Page.SIZE : file ? diskPages : 0;
            if (blocks == 0) {
                throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, "backing_dev " + path + ": smaller than one page");
            }
            return new BackingStore(path, channel, direct, Math.min(blocks, Integer.MAX_VALUE));
        } catch (ZramException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ZramException(ZramException.Reason.IO_ERROR, "backing_dev " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isBlockDevice(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            return mode instanceof Integer m && (m & 0170000) == 0060000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A block device's size, from sysfs (fstat reports 0 for it). */
    private static long blockDeviceSize(Path path) throws IOException {
        String name = path.toRealPath().getFileName().toString();
        String sectors = Files.readString(Path.of("/sys/class/block", name, "size")).strip();
        return Long.parseLong(sectors) * 512;
    }

    Path path() {
        return path;
    }

    /** Whether I/O bypasses the page cache. */
    boolean isDirect() {
        return direct;
    }

    /** Blocks the device holds. */
    long capacity() {
        return capacity;
    }

    /**
     * Takes a free block.
     *
     * @return the block, or -1 when every block is in use
     */
    synchronized long allocate() {
        int block = used.nextClearBit(hint);
        if (block >= capacity) {
            return -1;
        }
        used.set(block);
        hint = block + 1;
        count.increment();
        return block;
    }

    /** Gives a block back. */
    synchronized void free(long block) {
        int b = (int) block;
        if (!used.get(b)) {
            throw new IllegalStateException("backing block " + block + " freed twice");
        }
        used.clear(b);
        hint = Math.min(hint, b);
        count.decrement();
    }

    /** Writes the page at {@code page[0, 4096)} (4 KiB-aligned for direct I/O) to {@code block}. */
    void write(long block, ByteBuffer page) throws IOException {
        ByteBuffer src = page.duplicate().clear().limit(Page.SIZE);
        long at = block * Page.SIZE;
        while (src.hasRemaining()) {
            channel.write(src, at + src.position());
        }
        writes.increment();
    }

    /** Reads {@code block} into {@code page[0, 4096)} (4 KiB-aligned for direct I/O). A block past a growing file's end reads as zeros. */
    void read(long block, ByteBuffer page) throws IOException {
        ByteBuffer dst = page.duplicate().clear().limit(Page.SIZE);
        long at = block * Page.SIZE;
        while (dst.hasRemaining()) {
            if (channel.read(dst, at + dst.position()) < 0) {
                throw new IOException("backing_dev " + path + ": block " + block + " is past the end of the file");
            }
        }
        reads.increment();
    }

    /** bd_stat's three fields. */
    BdStat stat() {
        return new BdStat(count.sum(), reads.sum(), writes.sum());
    }

    /** Closes the file. Only after the generation drained. */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written that a close could lose: every write was positional and complete
        }
    }
}
