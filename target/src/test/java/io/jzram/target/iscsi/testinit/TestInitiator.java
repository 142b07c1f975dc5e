package io.jzram.target.iscsi.testinit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * A small iSCSI initiator for tests, written independently of the target's codec (plain byte
 * arrays and a java.io socket): login (discovery or normal, digests on or off), raw PDUs, and
 * the sequence numbers (CmdSN, ExpStatSN, ITT). A background thread reads PDUs into a queue;
 * the test thread sends and consumes them. {@link IoPipeline} builds pipelined I/O on top.
 */
public final class TestInitiator implements AutoCloseable {
    public static final int RESERVED = 0xffffffff;

    /** One received PDU. */
    public record Pdu(byte[] bhs, byte[] data) {
        public int opcode() {
            return bhs[0] & 0x3f;
        }

        public int flags() {
            return bhs[1] & 0xff;
        }

        public int byteAt(int i) {
            return bhs[i] & 0xff;
        }

        public int int32(int off) {
            return ByteBuffer.wrap(bhs).getInt(off);
        }

        public int uint16(int off) {
            return ByteBuffer.wrap(bhs).getShort(off) & 0xffff;
        }

        public int itt() {
            return int32(16);
        }

        public int dataSegmentLength() {
            return ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
        }

        public Map<String, String> text() {
            return parseText(data);
        }

        @Override
        public String toString() {
            return String.format("PDU[op=%02x flags=%02x itt=%08x dsl=%d]", opcode(), flags(), itt(), data.length);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Thread readerThread;
    private volatile boolean headerDigest;
    private volatile boolean dataDigest;
    private volatile boolean eof;
    /** Held by {@link #pauseReading} to stop the reader thread between PDUs (so the target's sends back up). */
    private final java.util.concurrent.locks.ReentrantLock readGate = new java.util.concurrent.locks.ReentrantLock();

    public int cmdSn = 1;
    public int expStatSn;
    public int maxCmdSn = 1;
    private int nextItt = 0x100;
    public byte[] isid = {(byte) 0x80, 0x12, 0x34, 0x56, 0x00, 0x01};
    public int tsih;
    /** The target's declared MaxRecvDataSegmentLength: what we may send per PDU. */
    public int targetMrdsl = 8192;
    public Map<String, String> negotiated = new LinkedHashMap<>();
    /** Answer NOP-In pings automatically in {@link #receive}. */
    public boolean answerPings = true;
    public volatile int pingsAnswered;
    /** Answer NOP-In pings on the reader thread (for idle sessions nobody calls receive() on). */
    public volatile boolean answerPingsInReader;

    private TestInitiator(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        readerThread = Thread.ofPlatform().daemon().name("test-initiator-reader").start(this::readLoop);
    }

    public static TestInitiator connect(InetSocketAddress target) throws IOException {
        return connect(target, 0);
    }

    /**
     * Connects with a receive buffer of {@code receiveBufferBytes} (0: the system's, autotuned), so
     * that a test can make the target's sends block by {@linkplain #pauseReading not reading}.
     */
    public static TestInitiator connect(InetSocketAddress target, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        if (receiveBufferBytes > 0) {
            s.setReceiveBufferSize(receiveBufferBytes); // before connect, so the window is small from the start
        }
        s.connect(target, 5000);
        return new TestInitiator(s);
    }

    /**
     * Stops reading from the socket after the PDU being read now (if any); the target's sends then
     * block once the socket buffers are full. The calling thread must call {@link #resumeReading}.
     */
    public void pauseReading() {
        readGate.lock();
    }

    public void resumeReading() {
        readGate.unlock();
    }

    public Socket socket() {
        return socket;
    }

    public int newItt() {
        return nextItt++;
    }

    public void setDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    // ------------------------------------------------------------------ wire

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    private static void putLe(ByteArrayOutputStream o, int v) {
        o.write(v);
        o.write(v >>> 8);
        o.write(v >>> 16);
        o.write(v >>> 24);
    }

    /** Frames a PDU: sets DataSegmentLength, appends padding and the negotiated digests. */
    public byte[] frame(byte[] bhs, byte[] data) {
        return frame(bhs, data, headerDigest, dataDigest);
    }

    /** Frames a PDU with the given digests. */
    public static byte[] frame(byte[] bhs, byte[] data, boolean headerDigest, boolean dataDigest) {
        int len = data == null ? 0 : data.length;
        bhs[5] = (byte) (len >>> 16);
        bhs[6] = (byte) (len >>> 8);
        bhs[7] = (byte) len;
        ByteArrayOutputStream o = new ByteArrayOutputStream(48 + len + 12);
        o.writeBytes(bhs);
        if (headerDigest) {
            putLe(o, crc(bhs, 0, bhs.length));
        }
        if (len > 0) {
            int pad = (4 - (len & 3)) & 3;
            byte[] padded = new byte[len + pad];
            System.arraycopy(data, 0, padded, 0, len);
            o.writeBytes(padded);
            if (dataDigest) {
                putLe(o, crc(padded, 0, padded.length));
            }
        }
        return o.toByteArray();
    }

    public synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(byte[] bhs, byte[] data) throws IOException {
        sendRaw(frame(bhs, data));
    }

    private void readLoop() {
        try {
            while (true) {
                readGate.lock(); // waits while a test has paused reading
                readGate.unlock();
                byte[] bhs = in.readNBytes(48);
                if (bhs.length < 48) {
                    break;
                }
                int ahs = (bhs[4] & 0xff) * 4;
                if (ahs > 0) {
                    in.readNBytes(ahs);
                }
                if (headerDigest) {
                    byte[] d = readFully(4);
                    int got = ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                    if (got != crc(bhs, 0, 48)) {
                        received.add(new IOException("header digest mismatch from target"));
                        break;
                    }
                }
                int len = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
                byte[] data = new byte[0];
                if (len > 0) {
                    int pad = (4 - (len & 3)) & 3;
                    byte[] padded = readFully(len + pad);
                    if (dataDigest) {
                        byte[] d = readFully(4);
                        int got = ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                        if (got != crc(padded, 0, padded.length)) {
                            received.add(new IOException("data digest mismatch from target"));
                            break;
                        }
                    }
                    data = java.util.Arrays.copyOf(padded, len);
                }
                Pdu pdu = new Pdu(bhs, data);
                if (answerPingsInReader && pdu.opcode() == 0x20 && pdu.itt() == RESERVED) {
                    answerPing(pdu);
                    continue;
                }
                received.add(pdu);
            }
        } catch (IOException e) {
            // socket closed
        } finally {
            eof = true;
            received.add(new EOFException("target closed the connection"));
        }
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException();
        }
        return b;
    }

    /**
     * The next PDU, or null after {@code timeout}. Throws EOFException once the target closed the
     * connection. Tracks ExpStatSN/MaxCmdSN; answers NOP-In pings if {@link #answerPings}.
     */
    public Pdu receive(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Object o = received.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if (o == null) {
                return null;
            }
            if (o instanceof IOException e) {
                received.add(o); // sticky
                throw e;
            }
            Pdu p = (Pdu) o;
            track(p);
            if (answerPings && p.opcode() == 0x20 && p.itt() == RESERVED) {
                answerPing(p);
                continue;
            }
            return p;
        }
    }

    /** Like {@link #receive} but fails on timeout. */
    public Pdu expect(Duration timeout) throws IOException, InterruptedException {
        Pdu p = receive(timeout);
        if (p == null) {
            throw new AssertionError("no PDU within " + timeout);
        }
        return p;
    }

    /** True if the target closes the connection within {@code timeout} (PDUs before that are dropped). */
    public boolean awaitClose(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (receive(Duration.ofMillis(50)) == null && eof) {
                    return true;
                }
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private void track(Pdu p) {
        int op = p.opcode();
        boolean hasStat = switch (op) {
            case 0x21, 0x22, 0x23, 0x24, 0x26, 0x3f -> true;
            case 0x20 -> p.itt() != RESERVED;
            case 0x25 -> (p.flags() & 0x01) != 0;
            default -> false;
        };
        if (hasStat) {
            expStatSn = p.int32(24) + 1;
        }
        if (op != 0x23 || p.byteAt(36) == 0) {
            int max = p.int32(32);
            if (op != 0x25 || true) {
                if (max - maxCmdSn > 0) {
                    maxCmdSn = max;
                }
            }
        }
    }

    private void answerPing(Pdu p) throws IOException {
        byte[] bhs = new byte[48];
        bhs[0] = (byte) (0x40 | 0x00);
        bhs[1] = (byte) 0x80;
        ByteBuffer b = ByteBuffer.wrap(bhs);
        b.putInt(16, RESERVED);
        b.putInt(20, p.int32(20));
        b.putInt(24, cmdSn);
        b.putInt(28, expStatSn);
        send(bhs, null);
        pingsAnswered = pingsAnswered + 1;
    }

    // ------------------------------------------------------------------ login

    /** Options of a login. */
    public static final class LoginOptions {
        public String initiatorName = "iqn.2026-11.io.jzram.test:initiator";
        public String targetName;
        public boolean discovery;
        public String headerDigest = "None";
        public String dataDigest = "None";
        public boolean securityStage = true;
        public Map<String, String> extraKeys = new LinkedHashMap<>();
        public Map<String, String> operationalKeys = defaultOperationalKeys();

        public static Map<String, String> defaultOperationalKeys() {
            Map<String, String> k = new LinkedHashMap<>();
            k.put("MaxRecvDataSegmentLength", "262144");
            k.put("InitialR2T", "No");
            k.put("ImmediateData", "Yes");
            k.put("MaxBurstLength", "1048576");
            k.put("FirstBurstLength", "262144");
            k.put("MaxOutstandingR2T", "4");
            k.put("MaxConnections", "1");
            k.put("DefaultTime2Wait", "2");
            k.put("DefaultTime2Retain", "0");
            k.put("DataPDUInOrder", "Yes");
            k.put("DataSequenceInOrder", "Yes");
            k.put("ErrorRecoveryLevel", "0");
            return k;
        }
    }

    /** A login the target refused. */
    public static final class LoginFailed extends IOException {
        public final int statusClass;
        public final int statusDetail;

        LoginFailed(int statusClass, int statusDetail) {
            super(String.format("login failed %02x/%02x", statusClass, statusDetail));
            this.statusClass = statusClass;
            this.statusDetail = statusDetail;
        }
    }

    public static byte[] loginBhs(boolean transit, int csg, int nsg, byte[] isid, int tsih, int itt, int cmdSn,
            int expStatSn) {
        byte[] bhs = new byte[48];
        bhs[0] = (byte) (0x40 | 0x03);
        bhs[1] = (byte) ((transit ? 0x80 : 0) | (csg << 2) | (transit ? nsg : 0));
        ByteBuffer b = ByteBuffer.wrap(bhs);
        System.arraycopy(isid, 0, bhs, 8, 6);
        b.putShort(14, (short) tsih);
        b.putInt(16, itt);
        b.putInt(24, cmdSn);
        b.putInt(28, expStatSn);
        return bhs;
    }

    /** One login request/response round; returns the response (failing on a non-zero status). */
    public Pdu loginRound(boolean transit, int csg, int nsg, Map<String, String> keys) throws IOException, InterruptedException {
        int itt = 0x10;
        send(loginBhs(transit, csg, nsg, isid, 0, itt, cmdSn, expStatSn), encodeText(keys));
        Pdu r = expect(Duration.ofSeconds(5));
        if (r.opcode() != 0x23) {
            throw new IOException("expected Login Response, got " + r);
        }
        if (r.byteAt(36) != 0) {
            throw new LoginFailed(r.byteAt(36), r.byteAt(37));
        }
        return r;
    }

    /** Full login; on success digests are switched on as negotiated. */
    public Map<String, String> login(LoginOptions o) throws IOException, InterruptedException {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("InitiatorName", o.initiatorName);
        first.put("SessionType", o.discovery ? "Discovery" : "Normal");
        if (!o.discovery) {
            first.put("TargetName", o.targetName);
        }
        if (o.securityStage) {
            first.put("AuthMethod", "None");
            Pdu r = loginRound(true, 0, 1, first);
            negotiated.putAll(r.text());
            if ((r.flags() & 0x80) == 0 || (r.flags() & 3) != 1) {
                throw new IOException("target did not move to operational stage: flags " + Integer.toHexString(r.flags()));
            }
            first = new LinkedHashMap<>();
        }
        Map<String, String> op = new LinkedHashMap<>(first);
        op.put("HeaderDigest", o.headerDigest);
        op.put("DataDigest", o.dataDigest);
        if (!o.discovery) {
            op.putAll(o.operationalKeys);
        } else {
            op.put("MaxRecvDataSegmentLength", "262144");
        }
        op.putAll(o.extraKeys);
        Pdu r = loginRound(true, 1, 3, op);
        negotiated.putAll(r.text());
        if ((r.flags() & 0x80) == 0 || (r.flags() & 3) != 3) {
            throw new IOException("target did not enter full feature phase: flags " + Integer.toHexString(r.flags()));
        }
        tsih = r.uint16(14);
        expStatSn = r.int32(24) + 1;
        cmdSn = r.int32(28);
        maxCmdSn = r.int32(32);
        String mrdsl = negotiated.get("MaxRecvDataSegmentLength");
        if (mrdsl != null) {
            targetMrdsl = Integer.parseInt(mrdsl);
        }
        setDigests("CRC32C".equals(negotiated.get("HeaderDigest")), "CRC32C".equals(negotiated.get("DataDigest")));
        return negotiated;
    }

    // ------------------------------------------------------------------ text, NOP, logout, TMF

    public static byte[] encodeText(Map<String, String> keys) {
        StringBuilder sb = new StringBuilder();
        keys.forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Map<String, String> parseText(byte[] data) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : new String(data, StandardCharsets.UTF_8).split("\0")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String k = kv.substring(0, eq);
            String v = kv.substring(eq + 1);
            m.merge(k, v, (a, b) -> a + "|" + b);
        }
        return m;
    }

    /** Text request (non-immediate, consumes a CmdSN); returns all response PDUs' text concatenated. */
    public List<String> sendTargets(String value) throws IOException, InterruptedException {
        int itt = newItt();
        byte[] bhs = new byte[48];
        bhs[0] = 0x04;
        bhs[1] = (byte) 0x80;
        ByteBuffer b = ByteBuffer.wrap(bhs);
        b.putInt(16, itt);
        b.putInt(20, RESERVED);
        b.putInt(24, cmdSn++);
        b.putInt(28, expStatSn);
        send(bhs, encodeText(Map.of("SendTargets", value)));
        List<String> items = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            Pdu r = expect(Duration.ofSeconds(5));
            if (r.opcode() != 0x24 || r.itt() != itt) {
                throw new IOException("unexpected " + r);
            }
            all.writeBytes(r.data());
            if ((r.flags() & 0x80) != 0) {
                break;
            }
            // continue: empty request with the target's TTT
            byte[] more = new byte[48];
            more[0] = 0x04;
            more[1] = (byte) 0x80;
            ByteBuffer m = ByteBuffer.wrap(more);
            m.putInt(16, itt);
            m.putInt(20, r.int32(20));
            m.putInt(24, cmdSn++);
            m.putInt(28, expStatSn);
            send(more, null);
        }
        for (String kv : new String(all.toByteArray(), StandardCharsets.UTF_8).split("\0")) {
            if (!kv.isEmpty()) {
                items.add(kv);
            }
        }
        return items;
    }

    public Pdu nopOut(byte[] payload, boolean immediate) throws IOException, InterruptedException {
        int itt = newItt();
        byte[] bhs = new byte[48];
        bhs[0] = (byte) ((immediate ? 0x40 : 0) | 0x00);
        bhs[1] = (byte) 0x80;
        ByteBuffer b = ByteBuffer.wrap(bhs);
        b.putInt(16, itt);
        b.putInt(20, RESERVED);
        b.putInt(24, immediate ? cmdSn : cmdSn++);
        b.putInt(28, expStatSn);
        send(bhs, payload);
        return expect(Duration.ofSeconds(5));
    }

    public Pdu logout(int reason) throws IOException, InterruptedException {
        int itt = newItt();
        byte[] bhs = new byte[48];
        bhs[0] = (byte) (0x40 | 0x06);
        bhs[1] = (byte) (0x80 | reason);
        ByteBuffer b = ByteBuffer.wrap(bhs);
        b.putInt(16, itt);
        b.putInt(24, cmdSn);
        b.putInt(28, expStatSn);
        send(bhs, null);
        Pdu r;
        do {
            r = expect(Duration.ofSeconds(10));
        } while (r.opcode() != 0x26);
        return r;
    }

    /** Sends a TMF request (immediate); returns its ITT. */
    public int taskManagement(int function, long lun, int referencedItt, int refCmdSn) throws IOException {
        int itt = newItt();
        byte[] bhs = new byte[48];
        bhs[0] = (byte) (0x40 | 0x02);
        bhs[1] = (byte) (0x80 | function);
        ByteBuffer b = ByteBuffer.wrap(bhs);
        b.put(9, (byte) lun);
        b.putInt(16, itt);
        b.putInt(20, referencedItt);
        b.putInt(24, cmdSn);
        b.putInt(28, expStatSn);
        b.putInt(32, refCmdSn);
        send(bhs, null);
        return itt;
    }

    // ------------------------------------------------------------------ SCSI

    /** Builds a SCSI Command BHS (non-immediate, consumes a CmdSN). */
    public byte[] scsiCommandBhs(int itt, long lun, byte[] cdb, int edtl, boolean read, boolean write, boolean fin) {
        byte[] bhs = new byte[48];
        bhs[0] = 0x01;
        bhs[1] = (byte) ((fin ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | 0x01 /* SIMPLE */);
        ByteBuffer b = ByteBuffer.wrap(bhs);
        b.put(9, (byte) lun);
        b.putInt(16, itt);
        b.putInt(20, edtl);
        b.putInt(24, cmdSn++);
        b.putInt(28, expStatSn);
        System.arraycopy(cdb, 0, bhs, 32, Math.min(16, cdb.length));
        return bhs;
    }

    public static byte[] dataOutBhs(long lun, int itt, int ttt, int dataSn, int offset, boolean fin, int expStatSn) {
        byte[] bhs = new byte[48];
        bhs[0] = 0x05;
        bhs[1] = (byte) (fin ? 0x80 : 0);
        ByteBuffer b = ByteBuffer.wrap(bhs);
        b.put(9, (byte) lun);
        b.putInt(16, itt);
        b.putInt(20, ttt);
        b.putInt(28, expStatSn);
        b.putInt(36, dataSn);
        b.putInt(40, offset);
        return bhs;
    }

    public static byte[] read10(long lba, int blocks) {
        byte[] c = new byte[10];
        c[0] = 0x28;
        ByteBuffer.wrap(c).putInt(2, (int) lba).putShort(7, (short) blocks);
        return c;
    }

    public static byte[] write10(long lba, int blocks) {
        byte[] c = new byte[10];
        c[0] = 0x2a;
        ByteBuffer.wrap(c).putInt(2, (int) lba).putShort(7, (short) blocks);
        return c;
    }

    public static byte[] read16(long lba, int blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x88;
        ByteBuffer.wrap(c).putLong(2, lba).putInt(10, blocks);
        return c;
    }

    public static byte[] write16(long lba, int blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x8a;
        ByteBuffer.wrap(c).putLong(2, lba).putInt(10, blocks);
        return c;
    }

    public boolean closedByTarget() {
        return eof;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            readerThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
