package io.jzram.target.iscsi.testinit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.jzram.target.scsi.ItNexus;
import io.jzram.target.scsi.ScsiCommandSet;
import io.jzram.target.scsi.ScsiResponse;

/**
 * A minimal SCSI command set for transport tests: one RAM disk at LUN 0 with 512-byte blocks,
 * answering INQUIRY, READ CAPACITY 10/16, REPORT LUNS, TEST UNIT READY, READ/WRITE 10/16 (and
 * MODE SENSE 6 with an empty page list); anything else is CHECK CONDITION / ILLEGAL REQUEST.
 * Records attaches, closes and resets, and can hold commands at a gate.
 */
public final class RamDiskCommandSet implements ScsiCommandSet {
    public static final int BLOCK = 512;
    private final byte[] disk;
    public final List<ItNexus> attached = new CopyOnWriteArrayList<>();
    public final AtomicInteger closed = new AtomicInteger();
    public final List<Long> lunResets = new CopyOnWriteArrayList<>();
    public final AtomicInteger targetResets = new AtomicInteger();
    public final AtomicLong executed = new AtomicLong();
    public final AtomicInteger concurrent = new AtomicInteger();
    public final AtomicInteger maxConcurrent = new AtomicInteger();
    /** Opcodes in execution order (the first 100000). */
    public final java.util.Queue<Integer> opcodes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** When set, commands with this opcode wait for the gate before they run. */
    public volatile int gatedOpcode = -1;
    public volatile CountDownLatch gate = new CountDownLatch(0);
    public final AtomicInteger atGate = new AtomicInteger();

    public RamDiskCommandSet(int bytes) {
        disk = new byte[bytes];
    }

    public long blocks() {
        return disk.length / BLOCK;
    }

    @Override
    public NexusHandle attach(ItNexus nexus) {
        attached.add(nexus);
        return new NexusHandle() {
            private boolean done;

            @Override
            public ItNexus nexus() {
                return nexus;
            }

            @Override
            public synchronized void close() {
                if (!done) {
                    done = true;
                    closed.incrementAndGet();
                }
            }
        };
    }

    @Override
    public void logicalUnitReset(NexusHandle requester, long lun) {
        lunResets.add(lun);
    }

    @Override
    public void targetReset(NexusHandle requester) {
        targetResets.incrementAndGet();
    }

    static byte[] sense(int key, int asc, int ascq) {
        byte[] s = new byte[18];
        s[0] = 0x70;
        s[2] = (byte) key;
        s[7] = 10;
        s[12] = (byte) asc;
        s[13] = (byte) ascq;
        return s;
    }

    static ScsiResponse check(int key, int asc, int ascq) {
        return new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense(key, asc, ascq), 0, 0);
    }

    private static ScsiResponse data(ByteBuffer dataIn, byte[] full, int allocation) {
        int room = dataIn == null ? 0 : dataIn.remaining();
        int n = Math.min(Math.min(full.length, allocation), room);
        if (n > 0) {
            dataIn.put(dataIn.position(), full, 0, n);
        }
        return new ScsiResponse(ScsiResponse.GOOD, null, n, Math.min(full.length, allocation));
    }

    @Override
    public ScsiResponse execute(NexusHandle nexus, long lun, byte[] cdb, ByteBuffer dataOut, ByteBuffer dataIn) {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            int op = cdb[0] & 0xff;
            if (executed.get() < 100_000) {
                opcodes.add(op);
            }
            if (op == gatedOpcode) {
                atGate.incrementAndGet();
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            executed.incrementAndGet();
            ByteBuffer c = ByteBuffer.wrap(cdb);
            if (op == 0xa0) { // REPORT LUNS
                byte[] r = new byte[16];
                r[3] = 8;
                return data(dataIn, r, c.getInt(6));
            }
            if (op == 0x12) { // INQUIRY
                byte[] r = new byte[36];
                if (lun != 0) {
                    r[0] = 0x7f;
                }
                if ((cdb[1] & 1) != 0) { // EVPD: only page 0
                    if (cdb[2] != 0) {
                        return check(0x05, 0x24, 0);
                    }
                    r = new byte[] {0, 0, 0, 1, 0};
                } else {
                    r[2] = 6;
                    r[3] = 2;
                    r[4] = 31;
                    r[7] = 0x02;
                    System.arraycopy("JZRAM   ".getBytes(StandardCharsets.US_ASCII), 0, r, 8, 8);
                    System.arraycopy("RAMDISK TEST    ".getBytes(StandardCharsets.US_ASCII), 0, r, 16, 16);
                    System.arraycopy("0001".getBytes(StandardCharsets.US_ASCII), 0, r, 32, 4);
                }
                return data(dataIn, r, c.getShort(3) & 0xffff);
            }
            if (lun != 0) {
                return check(0x05, 0x25, 0x00);
            }
            switch (op) {
                case 0x00:
                    return new ScsiResponse(ScsiResponse.GOOD, null, 0, 0);
                case 0x1a: { // MODE SENSE 6: header only
                    byte[] r = {3, 0, 0, 0};
                    return data(dataIn, r, cdb[4] & 0xff);
                }
                case 0x25: {
                    byte[] r = new byte[8];
                    ByteBuffer.wrap(r).putInt(0, (int) (blocks() - 1)).putInt(4, BLOCK);
                    return data(dataIn, r, 8);
                }
                case 0x9e: {
                    if ((cdb[1] & 0x1f) != 0x10) {
                        return check(0x05, 0x24, 0);
                    }
                    byte[] r = new byte[32];
                    ByteBuffer.wrap(r).putLong(0, blocks() - 1).putInt(8, BLOCK);
                    return data(dataIn, r, c.getInt(10));
                }
                case 0x28, 0x88, 0x2a, 0x8a: {
                    boolean is16 = op == 0x88 || op == 0x8a;
                    long lba = is16 ? c.getLong(2) : (c.getInt(2) & 0xffffffffL);
                    long count = is16 ? (c.getInt(10) & 0xffffffffL) : (c.getShort(7) & 0xffff);
                    if (lba + count > blocks()) {
                        return check(0x05, 0x21, 0x00);
                    }
                    int bytes = (int) (count * BLOCK);
                    int off = (int) (lba * BLOCK);
                    if (op == 0x28 || op == 0x88) {
                        int n = Math.min(bytes, dataIn == null ? 0 : dataIn.remaining());
                        if (n > 0) {
                            synchronized (this) {
                                dataIn.put(dataIn.position(), disk, off, n);
                            }
                        }
                        return new ScsiResponse(ScsiResponse.GOOD, null, n, bytes);
                    }
                    int n = Math.min(bytes, dataOut == null ? 0 : dataOut.remaining());
                    synchronized (this) {
                        dataOut.get(dataOut.position(), disk, off, n);
                    }
                    return new ScsiResponse(ScsiResponse.GOOD, null, 0, 0);
                }
                default:
                    return check(0x05, 0x20, 0x00);
            }
        } finally {
            concurrent.decrementAndGet();
        }
    }
}
