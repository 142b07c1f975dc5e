package io.jzram.target.iscsi;

import io.jzram.core.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * Serialises outgoing PDUs on one connection.
 *
 * <p>Every target PDU goes through {@link #send(List)}, which under one lock (a) stamps StatSN,
 * ExpCmdSN and MaxCmdSN into each header, so StatSN is assigned in exactly the order PDUs go on the
 * wire and every PDU carries the freshest command window, (b) computes digests, and (c) writes the
 * whole batch (e.g. all Data-In PDUs and the status of one read) with gathering writes: headers
 * live in one direct scratch buffer, data segments are the caller's buffers (slices of the task's
 * pooled direct buffer), so no data byte is copied on the way out.
 *
 * <p>Why not jSCSI's {@code ProtocolDataUnit.serialize/write}: it allocates a heap buffer of the
 * whole PDU and copies the data segment into it for every PDU (and the JDK then copies that heap
 * buffer again into a temporary direct buffer), and its header digest covers only the BHS even
 * when an AHS is present.
 */
final class PduWriter {
    /** How a PDU's StatSN field is filled. */
    enum Sn {
        /** Reserved field (Data-In without status): 0. */
        NONE,
        /** Carries status: gets the next StatSN, which then advances. */
        ADVANCE,
        /** Carries the next StatSN without advancing it (R2T, NOP-In ping, Async). */
        PEEK
    }

    /** One outgoing PDU: a 48-byte BHS (its StatSN/ExpCmdSN/MaxCmdSN are filled in here) and an optional data segment. */
    record Out(byte[] bhs, ByteBuffer data, Sn sn) {
        Out {
            if (bhs.length != Bhs.LENGTH) {
                throw new IllegalArgumentException("BHS must be 48 bytes");
            }
        }
    }

    /** Where ExpCmdSN and MaxCmdSN come from at the moment a PDU is written. */
    interface Window {
        int expCmdSn();

        int maxCmdSn();
    }

    private static final int SCRATCH = 64 * 1024;
    /**
     * Scratch of a connection that has not logged in: a login answer is one header at a time, and a
     * client that opens connections and never logs in must cost the server little ({@link #fullSize}).
     */
    private static final int LOGIN_SCRATCH = 2 * 1024;
    private static final int MAX_IOV = 512;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(4);

    private final GatheringByteChannel channel;

    /**
     * Guards everything below and the {@code done}/{@code error} fields of queued batches: the
     * channel's write side, {@link #statSn}, the scratch buffer, the iovec array and the digest
     * state. Held while draining the queue; never held while waiting for anything but the socket.
     */
    private final ReentrantLock lock = new ReentrantLock();

    @GuardedBy("lock")
    private ByteBuffer scratch = ByteBuffer.allocateDirect(LOGIN_SCRATCH);
    private final ByteBuffer[] iov = new ByteBuffer[MAX_IOV];
    /**
     * {@code views[i]} is a view of {@link #scratch} kept for iov slot {@code i}, repositioned on
     * each use for the header or padding it carries (a new slice per PDU was an object per PDU).
     */
    private final ByteBuffer[] views = new ByteBuffer[MAX_IOV];
    /** The batches the current {@link #drain} took off the queue; empty between drains. */
    private final ArrayList<Batch> written = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private int statSn;
    private volatile Window window;
    private volatile boolean headerDigest;
    private volatile boolean dataDigest;
    private volatile boolean broken;
    private volatile long bytesWritten;

    PduWriter(GatheringByteChannel channel, int initialStatSn, Window window) {
        this.channel = channel;
        this.statSn = initialStatSn;
        this.window = window;
    }

    void setWindow(Window window) {
        this.window = window;
    }

    /** The scratch buffer's size now (2 KiB before login, 64 KiB after {@link #fullSize}). */
    int scratchCapacity() {
        lock.lock();
        try {
            return scratch.capacity();
        } finally {
            lock.unlock();
        }
    }

    /** Login is over: the scratch buffer grows to its full-feature size (whole batches of Data-In headers). */
    void fullSize() {
        lock.lock();
        try {
            if (scratch.capacity() < SCRATCH) {
                scratch = ByteBuffer.allocateDirect(SCRATCH);
                Arrays.fill(views, null); // views of the old buffer
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes effect for PDUs sent after the call (the last Login Response is sent before it). */
    void setDigests(boolean header, boolean data) {
        lock.lock();
        try {
            this.headerDigest = header;
            this.dataDigest = data;
        } finally {
            lock.unlock();
        }
    }

    long bytesWritten() {
        return bytesWritten;
    }

    /** The StatSN the next status-carrying PDU gets. */
    int nextStatSn() {
        lock.lock();
        try {
            return statSn;
        } finally {
            lock.unlock();
        }
    }

    void send(byte[] bhs, ByteBuffer data, Sn sn) throws IOException {
        send(List.of(new Out(bhs, data, sn)));
    }

    /** One caller's PDUs waiting in {@link #queue}. */
    private static final class Batch {
        final List<Out> pdus;
        @GuardedBy("PduWriter.lock")
        boolean done;
        @GuardedBy("PduWriter.lock")
        IOException error;

        Batch(List<Out> pdus) {
            this.pdus = pdus;
        }
    }

    /**
     * Batches waiting to be written. A sender enqueues, then takes the lock and writes everything
     * queued (its own batch and whatever other senders queued meanwhile) in as few gathering
     * writes as fit; senders that were waiting for the lock then usually find their batch done.
     * So under load many responses share one system call, and a single sender pays one lock round.
     */
    private final ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>();

    void send(List<Out> pdus) throws IOException {
        send(pdus, false);
    }

    /**
     * As {@link #send(List)}; with {@code coalesce} (the caller knows other senders are about to
     * come) a virtual thread queues its batch, yields its carrier so that those senders run and
     * queue theirs, and only then writes whatever is queued, usually everything in one call.
     */
    void send(List<Out> pdus, boolean coalesce) throws IOException {
        Batch mine = new Batch(pdus);
        queue.add(mine);
        if (coalesce && Thread.currentThread().isVirtual()) {
            Thread.yield();
        }
        lock.lock();
        try {
            if (!mine.done) {
                drain();
            }
            if (mine.error != null) {
                throw mine.error;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes every queued batch. Caller holds the lock. */
    private void drain() {
        try {
            if (broken) {
                throw new IOException("connection is closed");
            }
            Window w = window;
            int n = 0;
            scratch.clear();
            Batch b;
            while ((b = queue.poll()) != null) {
                written.add(b);
                for (int i = 0, count = b.pdus.size(); i < count; i++) { // indexed: no iterator per batch
                    Out pdu = b.pdus.get(i);
                    int need = Bhs.LENGTH + 4 + 8;
                    if (scratch.remaining() < need || n + 4 > MAX_IOV) {
                        flush(n);
                        n = 0;
                        scratch.clear();
                    }
                    n = append(pdu, w, n);
                }
            }
            flush(n);
            for (int i = 0; i < written.size(); i++) {
                written.get(i).done = true;
            }
        } catch (IOException | RuntimeException e) {
            broken = true;
            IOException io = e instanceof IOException ioe ? ioe : new IOException(e);
            Batch rest;
            while ((rest = queue.poll()) != null) {
                written.add(rest);
            }
            for (int i = 0; i < written.size(); i++) {
                written.get(i).done = true;
                written.get(i).error = io;
            }
        } finally {
            written.clear();
        }
    }

    /** The view for iov slot {@code slot} over scratch bytes {@code [from, to)}. Caller holds the lock. */
    private ByteBuffer view(int slot, int from, int to) {
        ByteBuffer v = views[slot];
        if (v == null) {
            v = scratch.duplicate();
            views[slot] = v;
        }
        v.clear();
        return v.position(from).limit(to);
    }

    /** Appends one PDU's header (stamped, digested) and data to iov; returns the new iov count. */
    private int append(Out pdu, Window w, int n) {
        int start = scratch.position();
        scratch.put(pdu.bhs());
        switch (pdu.sn()) {
            case ADVANCE -> scratch.putInt(start + Bhs.STAT_SN, statSn++);
            case PEEK -> scratch.putInt(start + Bhs.STAT_SN, statSn);
            case NONE -> scratch.putInt(start + Bhs.STAT_SN, 0);
        }
        scratch.putInt(start + Bhs.EXP_CMD_SN, w.expCmdSn());
        scratch.putInt(start + Bhs.MAX_CMD_SN, w.maxCmdSn());
        ByteBuffer data = pdu.data();
        int dataLength = data == null ? 0 : data.remaining();
        scratch.put(start + 5, (byte) (dataLength >>> 16));
        scratch.put(start + 6, (byte) (dataLength >>> 8));
        scratch.put(start + 7, (byte) dataLength);
        if (headerDigest) {
            crc.reset();
            crc.update(scratch.slice(start, Bhs.LENGTH));
            scratch.putInt(Integer.reverseBytes((int) crc.getValue()));
        }
        iov[n] = view(n, start, scratch.position());
        n++;
        if (dataLength > 0) {
            int pad = (4 - (dataLength & 3)) & 3;
            if (dataDigest) {
                crc.reset();
                crc.update(data.duplicate());
                if (pad > 0) {
                    crc.update(ZEROS.slice(0, pad));
                }
            }
            iov[n++] = data;
            int tailStart = scratch.position();
            for (int i = 0; i < pad; i++) {
                scratch.put((byte) 0);
            }
            if (dataDigest) {
                scratch.putInt(Integer.reverseBytes((int) crc.getValue()));
            }
            if (scratch.position() > tailStart) {
                iov[n] = view(n, tailStart, scratch.position());
                n++;
            }
        }
        return n;
    }

    /** Writes iov[0..n) completely. Caller holds the lock. */
    private void flush(int n) throws IOException {
        int first = 0;
        long total = 0;
        while (first < n) {
            long w = channel.write(iov, first, n - first);
            total += w;
            while (first < n && !iov[first].hasRemaining()) {
                iov[first++] = null;
            }
        }
        bytesWritten += total;
    }
}
