package io.jzram.target.iscsi;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ScatteringByteChannel;
import java.util.zip.CRC32C;

/**
 * Reads iSCSI PDUs from a blocking channel in two steps: {@link #readHeader} (BHS, AHS, header
 * digest) and then exactly one of {@link #readData}, {@link #readDataBytes} or {@link #skipData}
 * (data segment, padding, data digest).
 *
 * <p>The split is the point: the connection looks at the header first and then lets the data
 * segment land where it belongs (a Data-Out segment goes straight into the task's buffer at its
 * BufferOffset, immediate data straight into a new task's buffer). Large segments are read
 * directly into their destination (no copy); small PDUs come out of a read-ahead buffer, so a
 * burst of pipelined commands costs one system call.
 *
 * <p>Why not jSCSI's {@code ProtocolDataUnit.read}: it allocates a heap header and data buffer per
 * PDU, reads the AHS as TotalAHSLength bytes instead of words, does not read the header digest
 * before parsing, loops forever on EOF inside the AHS or data segment, and checks neither the data
 * digest nor the data segment length against what we declared.
 *
 * <p>Not thread-safe: confined to the connection's reader thread.
 */
final class PduReader {
    private final ScatteringByteChannel channel;
    /** BHS + up to 255 AHS words + header digest. Direct so channel reads need no bounce copy. */
    private final ByteBuffer header = ByteBuffer.allocateDirect(Bhs.LENGTH + 255 * 4 + 4);
    /** Padding (0..3 bytes) and data digest (0 or 4 bytes) that follow a data segment. */
    private final ByteBuffer tail = ByteBuffer.allocateDirect(8);
    /**
     * Read-ahead: bytes received but not consumed yet, between position and limit. Small PDUs
     * (commands, headers, short data) come out of here, so a burst of pipelined commands costs one
     * read system call instead of one or two per PDU. Segments of at least {@link #DIRECT_READ}
     * bytes still missing bypass it and are read straight into their destination.
     */
    private ByteBuffer inbuf = ByteBuffer.allocateDirect(LOGIN_READ_AHEAD).limit(0);
    /** Read-ahead in full feature phase. */
    private static final int READ_AHEAD = 64 * 1024;
    /**
     * Read-ahead of a connection that has not logged in (login PDUs are one header and a few
     * hundred bytes of text): a client that opens connections and never logs in costs the server
     * little until {@link #fullSize}.
     */
    private static final int LOGIN_READ_AHEAD = 1024;
    private static final int DIRECT_READ = 16 * 1024;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer discard;

    private boolean headerDigest;
    private boolean dataDigest;
    private int maxDataSegmentLength;

    // State of the current PDU
    private int ahsLength;
    private int dataLength;
    private boolean dataPending;
    private long bytesRead;

    PduReader(ScatteringByteChannel channel, int maxDataSegmentLength) {
        this.channel = channel;
        this.maxDataSegmentLength = maxDataSegmentLength;
    }

    /** Login is over: the read-ahead grows to its full-feature size, keeping the bytes it holds. */
    void fullSize() {
        if (inbuf.capacity() < READ_AHEAD) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(READ_AHEAD);
            bigger.put(inbuf).flip();
            inbuf = bigger;
        }
    }

    /** The read-ahead's size now (1 KiB before login, 64 KiB after {@link #fullSize}). */
    int readAheadCapacity() {
        return inbuf.capacity();
    }

    void setDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    void setMaxDataSegmentLength(int max) {
        this.maxDataSegmentLength = max;
    }

    /** The BHS of the current PDU, indexed from 0 (the buffer also holds the AHS from index 48). */
    ByteBuffer header() {
        return header;
    }

    int ahsLength() {
        return ahsLength;
    }

    int dataLength() {
        return dataLength;
    }

    long bytesRead() {
        return bytesRead;
    }

    /**
     * Reads the next PDU's header.
     *
     * @return false on a clean end of stream before the first byte of a PDU
     * @throws MalformedPduException for a bad header digest or an oversize data segment
     * @throws EOFException when the stream ends inside a PDU
     */
    boolean readHeader() throws IOException {
        if (dataPending) {
            throw new IllegalStateException("data segment of the previous PDU not consumed");
        }
        int hd = headerDigest ? 4 : 0;
        header.clear().limit(Bhs.LENGTH + hd);
        if (!fill(header, true)) {
            return false;
        }
        ahsLength = Bhs.totalAhsWords(header) * 4;
        if (ahsLength > 0) {
            header.limit(Bhs.LENGTH + ahsLength + hd);
            fill(header, false);
        }
        if (hd != 0) {
            int end = Bhs.LENGTH + ahsLength;
            crc.reset();
            crc.update(header.slice(0, end));
            int expected = (int) crc.getValue();
            int got = Integer.reverseBytes(header.getInt(end)); // digests are little-endian on the wire
            if (expected != got) {
                throw new MalformedPduException(MalformedPduException.Kind.HEADER_DIGEST, "header digest mismatch");
            }
        }
        dataLength = Bhs.dataSegmentLength(header);
        if (dataLength > maxDataSegmentLength) {
            throw new MalformedPduException(MalformedPduException.Kind.OVERSIZE,
                    "data segment of " + dataLength + " bytes exceeds MaxRecvDataSegmentLength " + maxDataSegmentLength);
        }
        dataPending = dataLength > 0;
        return true;
    }

    /** Reads the data segment into {@code dst} from its position (which advances by dataLength). */
    void readData(ByteBuffer dst) throws IOException {
        if (dst.remaining() < dataLength) {
            throw new IllegalArgumentException("destination too small");
        }
        // dst itself, its limit moved to the segment's end for the read (a slice would be an object per PDU)
        int start = dst.position();
        int limit = dst.limit();
        dst.limit(start + dataLength);
        try {
            readInto(dst);
        } finally {
            dst.limit(limit);
        }
        dst.position(start + dataLength);
    }

    /** Reads the data segment into a new heap array (for login, text and other small PDUs). */
    byte[] readDataBytes() throws IOException {
        byte[] bytes = new byte[dataLength];
        if (dataLength > 0) {
            readInto(ByteBuffer.wrap(bytes));
        }
        return bytes;
    }

    /** Reads and drops the data segment (still checking its digest). */
    void skipData() throws IOException {
        if (dataLength == 0) {
            return;
        }
        if (discard == null || discard.capacity() < dataLength) {
            discard = ByteBuffer.allocateDirect(Math.max(dataLength, 64 * 1024));
        }
        discard.clear().limit(dataLength);
        readInto(discard);
    }

    /** Reads the data segment into {@code target}'s remaining bytes (exactly dataLength of them). */
    private void readInto(ByteBuffer target) throws IOException {
        if (!dataPending) {
            return;
        }
        int start = target.position();
        int pad = (4 - (dataLength & 3)) & 3;
        int dd = dataDigest ? 4 : 0;
        tail.clear().limit(pad + dd);
        fill(target, false);
        fill(tail, false);
        dataPending = false;
        if (dd != 0) {
            crc.reset();
            crc.update(target.slice(start, dataLength));
            crc.update(tail.slice(0, pad));
            int got = Integer.reverseBytes(tail.getInt(pad));
            if ((int) crc.getValue() != got) {
                throw new MalformedPduException(MalformedPduException.Kind.DATA_DIGEST, "data digest mismatch");
            }
        }
    }

    /** Fills b's remaining bytes from the read-ahead buffer and the channel. */
    private boolean fill(ByteBuffer b, boolean eofAllowedAtStart) throws IOException {
        int start = b.position();
        while (b.hasRemaining()) {
            if (inbuf.hasRemaining()) {
                int n = Math.min(inbuf.remaining(), b.remaining());
                b.put(b.position(), inbuf, inbuf.position(), n); // absolute: no slice object per copy
                b.position(b.position() + n);
                inbuf.position(inbuf.position() + n);
                continue;
            }
            int n;
            if (b.remaining() >= DIRECT_READ) {
                n = channel.read(b);
            } else {
                inbuf.clear();
                n = channel.read(inbuf);
                inbuf.flip();
            }
            if (n < 0) {
                if (eofAllowedAtStart && b.position() == start) {
                    return false;
                }
                throw new EOFException("connection closed inside a PDU");
            }
            bytesRead += n;
        }
        return true;
    }
}
