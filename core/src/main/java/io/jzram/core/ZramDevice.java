package io.jzram.core;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * API SKETCH — the implementation is being written; signatures are final.
 */
public final class ZramDevice {
    public static final int PAGE_SIZE = 4096;
    public static final int SECTOR_SIZE = 512;

    ZramDevice(int id) { this.id = id; }
    private final int id;

    public int id() { return id; }
    /** "zram" + id. */
    public String name() { return "zram" + id; }

    // ---- lifecycle (sysfs: disksize, comp_algorithm, mem_limit, max_comp_streams, reset) ----
    public boolean isInitialized() { throw new UnsupportedOperationException(); }
    /** Bytes; 0 while uninitialized. */
    public long diskSize() { throw new UnsupportedOperationException(); }
    /** Counts inits: changes whenever the device is (re)initialized; lets the target raise CAPACITY DATA HAS CHANGED. */
    public long generation() { throw new UnsupportedOperationException(); }
    /** Rounds up to 4 KiB. INVALID_ARGUMENT for <= 0, BUSY while initialized or while another admin op holds the device. */
    public void init(long diskSizeBytes) throws ZramException { throw new UnsupportedOperationException(); }
    public String algorithm() { throw new UnsupportedOperationException(); }
    /** BUSY while initialized; INVALID_ARGUMENT for unknown names. */
    public void setAlgorithm(String name) throws ZramException { throw new UnsupportedOperationException(); }
    public long memLimit() { throw new UnsupportedOperationException(); }
    /** 0 = no limit. Rounded up to 4 KiB. Settable at any time. */
    public void setMemLimit(long bytes) throws ZramException { throw new UnsupportedOperationException(); }
    public int streams() { throw new UnsupportedOperationException(); }
    public void setStreams(int streams) throws ZramException { throw new UnsupportedOperationException(); }
    /** claim -> refuse new work -> drain -> free -> unclaim. BUSY if open and !force; TIMED_OUT if the drain exceeded timeout (null = forever). */
    public void reset(boolean force, Duration timeout) throws ZramException, InterruptedException { throw new UnsupportedOperationException(); }
    public void resetMemUsedMax() { throw new UnsupportedOperationException(); }
    /** Returns pages freed. NOT_INITIALIZED if not initialized. */
    public long compact() throws ZramException { throw new UnsupportedOperationException(); }

    // ---- holders: an open handle makes reset/hot_remove fail with BUSY unless forced ----
    /** BUSY while a reset or removal holds the device. */
    public Holder open(String who) throws ZramException { throw new UnsupportedOperationException(); }
    public int openCount() { throw new UnsupportedOperationException(); }
    public interface Holder extends AutoCloseable { @Override void close(); }

    // ---- I/O: byte addressed, 512-byte aligned offset and length, FileChannel-style buffers ----
    /** Fills dst's remaining bytes from offset and advances dst's position. */
    public void read(ByteBuffer dst, long offset) throws ZramException { throw new UnsupportedOperationException(); }
    /** Stores src's remaining bytes at offset and advances src's position. NO_SPACE leaves old data intact. */
    public void write(ByteBuffer src, long offset) throws ZramException { throw new UnsupportedOperationException(); }
    /** Frees whole pages inside the range; partial pages at the edges are left alone. */
    public void discard(long offset, long length) throws ZramException { throw new UnsupportedOperationException(); }
    /** Makes the range read as zeros; whole pages are freed, partial edges are zeroed in place. */
    public void writeZeroes(long offset, long length) throws ZramException { throw new UnsupportedOperationException(); }

    // ---- statistics ----
    public MmStat mmStat() { throw new UnsupportedOperationException(); }
    public IoStat ioStat() { throw new UnsupportedOperationException(); }
    public IoCounters ioCounters() { throw new UnsupportedOperationException(); }
}
