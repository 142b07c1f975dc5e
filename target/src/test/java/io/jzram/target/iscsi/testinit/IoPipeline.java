package io.jzram.target.iscsi.testinit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jzram.target.iscsi.testinit.TestInitiator.Pdu;

/**
 * Pipelined SCSI I/O over a logged-in {@link TestInitiator}: many commands outstanding, immediate
 * and unsolicited data as negotiated, Data-Out for R2Ts, Data-In collected; every PDU's sequence
 * fields are checked as they arrive (DataSN, R2TSN, offsets, lengths, StatSN order).
 */
public final class IoPipeline {
    /** One command and what came back for it. */
    public static final class Command {
        public final int itt;
        public final long lun;
        public final byte[] cdb;
        public final int edtl;
        public final boolean read;
        public final byte[] writeData;
        public final byte[] readData;
        public int dataInBytes;
        public int nextDataSn;
        public int nextR2tSn;
        public int r2ts;
        public int status = -1;
        public int response = -1;
        public byte[] sense;
        public int residualFlags;
        public int residual;
        public int expDataSn = -1;
        public boolean collapsed;
        public boolean done;
        public final List<Pdu> pdus = new ArrayList<>();

        Command(int itt, long lun, byte[] cdb, int edtl, boolean read, byte[] writeData) {
            this.itt = itt;
            this.lun = lun;
            this.cdb = cdb;
            this.edtl = edtl;
            this.read = read;
            this.writeData = writeData;
            this.readData = read ? new byte[edtl] : null;
        }
    }

    private final TestInitiator ini;
    public boolean immediateData;
    public boolean initialR2t;
    public int firstBurst;
    public int maxBurst;
    public int ourMrdsl;
    private final Map<Integer, Command> pending = new HashMap<>();
    private int lastStatSn;
    private boolean sawStat;
    public int maxSeenOutstanding;
    public Duration pduTimeout = Duration.ofSeconds(20);

    public IoPipeline(TestInitiator ini) {
        this.ini = ini;
        Map<String, String> n = ini.negotiated;
        immediateData = "Yes".equals(n.getOrDefault("ImmediateData", "Yes"));
        initialR2t = "Yes".equals(n.getOrDefault("InitialR2T", "Yes"));
        firstBurst = Integer.parseInt(n.getOrDefault("FirstBurstLength", "65536"));
        maxBurst = Integer.parseInt(n.getOrDefault("MaxBurstLength", "262144"));
        ourMrdsl = Integer.parseInt(TestInitiator.LoginOptions.defaultOperationalKeys().get("MaxRecvDataSegmentLength"));
    }

    public TestInitiator initiator() {
        return ini;
    }

    public Command submit(long lun, byte[] cdb, int edtl, boolean read, byte[] writeData) throws IOException, InterruptedException {
        while (ini.cmdSn - ini.maxCmdSn > 0) { // window closed: wait for the target to open it
            pumpOne();
        }
        int itt = ini.newItt();
        Command c = new Command(itt, lun, cdb, edtl, read, writeData);
        pending.put(itt, c);
        maxSeenOutstanding = Math.max(maxSeenOutstanding, pending.size());
        boolean write = writeData != null;
        int immediate = 0;
        int unsolicited = 0;
        if (write) {
            int limit = Math.min(firstBurst, edtl);
            if (immediateData) {
                immediate = Math.min(limit, ini.targetMrdsl);
            }
            if (!initialR2t) {
                unsolicited = limit - immediate;
            }
        }
        boolean fin = unsolicited == 0;
        byte[] bhs = ini.scsiCommandBhs(itt, lun, cdb, edtl, read, write, fin);
        byte[] imm = immediate == 0 ? null : java.util.Arrays.copyOfRange(writeData, 0, immediate);
        ini.send(bhs, imm);
        if (unsolicited > 0) {
            sendData(c, Bhs.RESERVED, immediate, unsolicited);
        }
        return c;
    }

    private static final class Bhs {
        static final int RESERVED = 0xffffffff;
    }

    private void sendData(Command c, int ttt, int offset, int length) throws IOException {
        int dataSn = 0;
        int end = offset + length;
        for (int off = offset; off < end; ) {
            int len = Math.min(ini.targetMrdsl, end - off);
            boolean last = off + len == end;
            byte[] bhs = TestInitiator.dataOutBhs(c.lun, c.itt, ttt, dataSn++, off, last, ini.expStatSn);
            ini.send(bhs, java.util.Arrays.copyOfRange(c.writeData, off, off + len));
            off += len;
        }
    }

    /** Processes PDUs until all {@code commands} are done. */
    public void await(Collection<Command> commands) throws IOException, InterruptedException {
        for (Command c : commands) {
            while (!c.done) {
                pumpOne();
            }
        }
    }

    public void awaitAll() throws IOException, InterruptedException {
        while (!pending.isEmpty()) {
            pumpOne();
        }
    }

    public void pumpOne() throws IOException, InterruptedException {
        Pdu p = ini.expect(pduTimeout);
        handle(p);
    }

    private void checkStatSn(Pdu p) {
        int s = p.int32(24);
        if (sawStat && s != lastStatSn + 1) {
            throw new AssertionError("StatSN " + Integer.toUnsignedString(s) + " after " + Integer.toUnsignedString(lastStatSn));
        }
        sawStat = true;
        lastStatSn = s;
    }

    public void handle(Pdu p) throws IOException {
        switch (p.opcode()) {
            case 0x31 -> { // R2T
                Command c = pending.get(p.itt());
                check(c != null, "R2T for unknown itt " + p);
                c.pdus.add(p);
                check(p.int32(36) == c.nextR2tSn++, "R2TSN");
                int offset = p.int32(40);
                int len = p.int32(44);
                check(len > 0 && len <= maxBurst, "R2T DDTL " + len + " > MaxBurstLength " + maxBurst);
                check(offset >= 0 && offset + len <= c.edtl, "R2T beyond EDTL");
                check(p.int32(20) != TestInitiator.RESERVED, "R2T with reserved TTT");
                c.r2ts++;
                sendData(c, p.int32(20), offset, len);
            }
            case 0x25 -> { // Data-In
                Command c = pending.get(p.itt());
                check(c != null && c.read, "Data-In for unknown itt " + p);
                c.pdus.add(p);
                check(p.int32(36) == c.nextDataSn++, "DataSN");
                int offset = p.int32(40);
                check(offset == c.dataInBytes, "Data-In offset " + offset + " expected " + c.dataInBytes);
                check(p.data().length <= ourMrdsl, "Data-In longer than our MaxRecvDataSegmentLength");
                check(p.int32(20) == TestInitiator.RESERVED, "Data-In TTT");
                System.arraycopy(p.data(), 0, c.readData, offset, p.data().length);
                c.dataInBytes += p.data().length;
                if ((p.flags() & 0x01) != 0) {
                    check((p.flags() & 0x80) != 0, "S without F");
                    checkStatSn(p);
                    c.status = p.byteAt(3);
                    c.residualFlags = p.flags() & 0x06;
                    c.residual = p.int32(44);
                    c.collapsed = true;
                    finish(c);
                }
            }
            case 0x21 -> { // SCSI Response
                Command c = pending.get(p.itt());
                check(c != null, "SCSI Response for unknown itt " + p);
                c.pdus.add(p);
                checkStatSn(p);
                c.response = p.byteAt(2);
                c.status = p.byteAt(3);
                c.residualFlags = p.flags() & 0x06;
                c.residual = p.int32(44);
                c.expDataSn = p.int32(36);
                if (p.data().length >= 2) {
                    int sl = ByteBuffer.wrap(p.data()).getShort(0) & 0xffff;
                    c.sense = java.util.Arrays.copyOfRange(p.data(), 2, 2 + sl);
                }
                finish(c);
            }
            case 0x20 -> checkStatSn(p); // NOP-In reply
            case 0x22 -> checkStatSn(p); // TMF response (tests look at it separately)
            default -> throw new AssertionError("unexpected PDU " + p);
        }
    }

    private void finish(Command c) {
        c.done = true;
        pending.remove(c.itt);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    // ------------------------------------------------------------------ conveniences (512-byte blocks)

    public Command write(long lba, byte[] data) throws IOException, InterruptedException {
        return submit(0, TestInitiator.write16(lba, data.length / 512), data.length, false, data);
    }

    public Command read(long lba, int bytes) throws IOException, InterruptedException {
        return submit(0, TestInitiator.read16(lba, bytes / 512), bytes, true, null);
    }
}
