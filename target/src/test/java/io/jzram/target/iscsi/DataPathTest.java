package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jzram.target.iscsi.testinit.IoPipeline;
import io.jzram.target.iscsi.testinit.IoPipeline.Command;
import io.jzram.target.iscsi.testinit.TestInitiator;
import io.jzram.target.iscsi.testinit.TestInitiator.Pdu;

@Timeout(60)
class DataPathTest {
    private static final int MIB = 1024 * 1024;

    static byte[] pattern(long seed, int len) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void writesAtQueueDepth32LoseNoCommandAndReadBack() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            IoPipeline io = new IoPipeline(ini);
            int depth = 32;
            int rounds = 2;
            List<Command> writes = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < depth; i++) {
                    long lba = (long) i * (MIB / 512);
                    writes.add(io.write(lba, pattern(r * 1000 + i, MIB)));
                }
            }
            io.awaitAll();
            assertThat(io.maxSeenOutstanding).isGreaterThanOrEqualTo(depth);
            for (Command c : writes) {
                assertThat(c.status).as("write status").isZero();
                assertThat(c.response).isZero();
                assertThat(c.r2ts).as("R2Ts for the part past FirstBurstLength").isPositive();
                assertThat(c.expDataSn).isEqualTo(c.r2ts);
            }
            List<Command> reads = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                reads.add(io.read((long) i * (MIB / 512), MIB));
            }
            io.awaitAll();
            for (int i = 0; i < depth; i++) {
                Command c = reads.get(i);
                assertThat(c.status).isZero();
                assertThat(c.collapsed).as("phase collapse").isTrue();
                assertThat(c.residualFlags).isZero();
                assertThat(c.readData).as("block " + i).isEqualTo(pattern((rounds - 1) * 1000 + i, MIB));
            }
            assertThat(f.disk.executed.get()).isEqualTo((long) depth * (rounds + 1));
        }
    }

    @Test
    void solicitedOnlyWithSmallBurstsAndSeveralOutstandingR2ts() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            o.operationalKeys.put("InitialR2T", "Yes");
            o.operationalKeys.put("ImmediateData", "No");
            o.operationalKeys.put("MaxBurstLength", "65536");
            o.operationalKeys.put("FirstBurstLength", "65536");
            o.operationalKeys.put("MaxOutstandingR2T", "4");
            ini.login(o);
            assertThat(ini.negotiated).containsEntry("InitialR2T", "Yes").containsEntry("ImmediateData", "No")
                    .containsEntry("MaxBurstLength", "65536").containsEntry("MaxOutstandingR2T", "4");
            IoPipeline io = new IoPipeline(ini);
            byte[] data = pattern(7, 512 * 1024);
            Command w = io.write(2048, data);
            // the target asks for MaxOutstandingR2T bursts at once
            int r2tsBeforeData = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            List<Pdu> early = new ArrayList<>();
            while (r2tsBeforeData < 4 && System.nanoTime() < deadline) {
                Pdu p = ini.expect(Duration.ofSeconds(5));
                early.add(p);
                if (p.opcode() == 0x31) {
                    r2tsBeforeData++;
                }
            }
            assertThat(r2tsBeforeData).isEqualTo(4);
            for (Pdu p : early) {
                io.handle(p);
            }
            io.await(List.of(w));
            assertThat(w.status).isZero();
            assertThat(w.r2ts).isEqualTo(8);
            Command r = io.read(2048, data.length);
            io.await(List.of(r));
            assertThat(r.readData).isEqualTo(data);
        }
    }

    @Test
    void dataOutInterleavesWithNewCommandsAndOtherCommandsData() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            o.operationalKeys.put("InitialR2T", "Yes");
            o.operationalKeys.put("ImmediateData", "No");
            o.operationalKeys.put("MaxBurstLength", "65536");
            ini.login(o);
            // two writes, both wait for R2Ts; answer them interleaved, with commands in between
            byte[] a = pattern(1, 128 * 1024);
            byte[] b = pattern(2, 128 * 1024);
            int ittA = ini.newItt();
            int ittB = ini.newItt();
            ini.send(ini.scsiCommandBhs(ittA, 0, TestInitiator.write10(0, a.length / 512), a.length, false, true, true), null);
            ini.send(ini.scsiCommandBhs(ittB, 0, TestInitiator.write10(1000, b.length / 512), b.length, false, true, true), null);
            List<Pdu> r2tsA = new ArrayList<>();
            List<Pdu> r2tsB = new ArrayList<>();
            while (r2tsA.size() < 1 || r2tsB.size() < 1) {
                Pdu p = ini.expect(Duration.ofSeconds(5));
                assertThat(p.opcode()).isEqualTo(0x31);
                (p.itt() == ittA ? r2tsA : r2tsB).add(p);
            }
            // a TEST UNIT READY in the middle of the data transfer
            int tur = ini.newItt();
            ini.send(ini.scsiCommandBhs(tur, 0, new byte[6], 0, false, false, true), null);
            int doneA = 0;
            int doneB = 0;
            boolean turDone = false;
            int statusA = -1;
            int statusB = -1;
            // send the first half of A's burst, then B's whole burst, then the rest of A's
            Pdu ra = r2tsA.remove(0);
            Pdu rb = r2tsB.remove(0);
            sendBurst(ini, ittA, ra, a, 0, 32 * 1024, false);
            sendBurst(ini, ittB, rb, b, 0, rb.int32(44), true);
            sendBurst(ini, ittA, ra, a, 32 * 1024, ra.int32(44) - 32 * 1024, true);
            for (Pdu p : r2tsA) {
                sendBurst(ini, ittA, p, a, 0, p.int32(44), true);
            }
            for (Pdu p : r2tsB) {
                sendBurst(ini, ittB, p, b, 0, p.int32(44), true);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((statusA < 0 || statusB < 0 || !turDone) && System.nanoTime() < deadline) {
                Pdu p = ini.expect(Duration.ofSeconds(5));
                if (p.opcode() == 0x31) {
                    byte[] data = p.itt() == ittA ? a : b;
                    sendBurst(ini, p.itt(), p, data, 0, p.int32(44), true);
                } else if (p.opcode() == 0x21) {
                    if (p.itt() == ittA) {
                        statusA = p.byteAt(3);
                    } else if (p.itt() == ittB) {
                        statusB = p.byteAt(3);
                    } else if (p.itt() == tur) {
                        turDone = true;
                        assertThat(p.byteAt(3)).isZero();
                        assertThat(statusA).as("TUR answered while A still waits for data").isEqualTo(-1);
                    }
                }
            }
            assertThat(statusA).isZero();
            assertThat(statusB).isZero();
            assertThat(turDone).isTrue();
            IoPipeline io = new IoPipeline(ini);
            Command ca = io.submit(0, TestInitiator.read10(0, a.length / 512), a.length, true, null);
            Command cb = io.submit(0, TestInitiator.read10(1000, b.length / 512), b.length, true, null);
            io.await(List.of(ca, cb));
            assertThat(ca.readData).isEqualTo(a);
            assertThat(cb.readData).isEqualTo(b);
        }
    }

    /** Sends part of an R2T's burst: [from, from+len) relative to the R2T's offset, DataSN continuing. */
    private static void sendBurst(TestInitiator ini, int itt, Pdu r2t, byte[] data, int from, int len, boolean last)
            throws Exception {
        int base = r2t.int32(40);
        int ttt = r2t.int32(20);
        int chunk = 8192;
        for (int off = from; off < from + len; off += chunk) {
            int n = Math.min(chunk, from + len - off);
            boolean fin = last && off + n == from + len;
            byte[] bhs = TestInitiator.dataOutBhs(0, itt, ttt, off / chunk, base + off, fin, ini.expStatSn);
            ini.send(bhs, java.util.Arrays.copyOfRange(data, base + off, base + off + n));
        }
    }

    @Test
    void largeReadsAreSplitByTheInitiatorsMaxRecvDataSegmentLength() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            o.operationalKeys.put("MaxRecvDataSegmentLength", "8192");
            o.operationalKeys.put("MaxBurstLength", "65536");
            ini.login(o);
            IoPipeline io = new IoPipeline(ini);
            io.ourMrdsl = 8192;
            byte[] data = pattern(3, 256 * 1024);
            io.await(List.of(io.write(4096, data)));
            Command r = io.read(4096, data.length);
            io.await(List.of(r));
            assertThat(r.readData).isEqualTo(data);
            assertThat(r.pdus).hasSize(32);
            for (int i = 0; i < r.pdus.size(); i++) {
                Pdu p = r.pdus.get(i);
                assertThat(p.data().length).isEqualTo(8192);
                boolean burstEnd = (i + 1) % 8 == 0;
                assertThat((p.flags() & 0x80) != 0).as("F bit on PDU " + i).isEqualTo(burstEnd);
            }
        }
    }

    @Test
    void digestsOnBothSidesCarryData() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            o.headerDigest = "CRC32C";
            o.dataDigest = "CRC32C";
            ini.login(o);
            IoPipeline io = new IoPipeline(ini);
            List<Command> ws = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ws.add(io.write(i * 2048L, pattern(100 + i, MIB - 1536 * i))); // odd sizes
            }
            io.awaitAll();
            for (int i = 0; i < 8; i++) {
                assertThat(ws.get(i).status).isZero();
                Command r = io.read(i * 2048L, MIB - 1536 * i);
                io.await(List.of(r));
                assertThat(r.readData).isEqualTo(pattern(100 + i, MIB - 1536 * i));
            }
        }
    }

    @Test
    void residualsAndSenseData() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            IoPipeline io = new IoPipeline(ini);
            // REPORT LUNS: 16 bytes available, 8 expected -> overflow 8
            byte[] rl = new byte[12];
            rl[0] = (byte) 0xa0;
            ByteBuffer.wrap(rl).putInt(6, 16);
            Command over = io.submit(0, rl, 8, true, null);
            // INQUIRY: 36 bytes, 100 expected -> underflow 64
            byte[] inq = {0x12, 0, 0, 0, 100, 0};
            Command under = io.submit(0, inq, 100, true, null);
            // unsupported opcode: CHECK CONDITION with all 18 bytes of sense
            Command bad = io.submit(0, new byte[] {(byte) 0xc5, 0, 0, 0, 0, 0}, 0, false, null);
            // READ beyond the end: CHECK CONDITION after no data
            Command beyond = io.submit(0, TestInitiator.read16(f.disk.blocks(), 8), 4096, true, null);
            io.awaitAll();
            assertThat(over.status).isZero();
            assertThat(over.residualFlags).isEqualTo(0x04);
            assertThat(over.residual).isEqualTo(8);
            assertThat(over.dataInBytes).isEqualTo(8);
            assertThat(under.status).isZero();
            assertThat(under.residualFlags).isEqualTo(0x02);
            assertThat(under.residual).isEqualTo(64);
            assertThat(under.dataInBytes).isEqualTo(36);
            assertThat(new String(under.readData, 8, 8)).isEqualTo("JZRAM   ");
            assertThat(bad.status).isEqualTo(2);
            assertThat(bad.sense).hasSize(18);
            assertThat(bad.sense[2]).isEqualTo((byte) 0x05);
            assertThat(bad.sense[12]).isEqualTo((byte) 0x20);
            assertThat(beyond.status).isEqualTo(2);
            assertThat(beyond.sense).hasSize(18);
            assertThat(beyond.collapsed).isFalse();
            assertThat(beyond.residualFlags).isEqualTo(0x02);
            assertThat(beyond.residual).isEqualTo(4096);
        }
    }

    @Test
    void readerKeepsReadingWhileCommandsExecute() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            f.disk.gate = new CountDownLatch(1);
            f.disk.gatedOpcode = 0x28;
            IoPipeline io = new IoPipeline(ini);
            List<Command> blocked = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                blocked.add(io.submit(0, TestInitiator.read10(i, 1), 512, true, null));
            }
            LoginTest.waitFor(() -> f.disk.atGate.get() == 16);
            // while 16 commands hang in the command set, others still get through
            Command tur = io.submit(0, new byte[6], 0, false, null);
            io.await(List.of(tur));
            assertThat(tur.status).isZero();
            assertThat(blocked).noneMatch(c -> c.done);
            assertThat(f.disk.maxConcurrent.get()).as("commands run concurrently").isGreaterThanOrEqualTo(16);
            f.disk.gate.countDown();
            io.awaitAll();
            assertThat(blocked).allMatch(c -> c.status == 0);
        }
    }
}
