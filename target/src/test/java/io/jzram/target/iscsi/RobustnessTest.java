package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jzram.target.iscsi.testinit.IoPipeline;
import io.jzram.target.iscsi.testinit.IoPipeline.Command;
import io.jzram.target.iscsi.testinit.TestInitiator;
import io.jzram.target.iscsi.testinit.TestInitiator.Pdu;

@Timeout(60)
class RobustnessTest {

    private static void stillWorks(ServerFixture f, TestInitiator other) throws Exception {
        IoPipeline io = new IoPipeline(other);
        Command w = io.write(100, DataPathTest.pattern(5, 65536));
        io.await(List.of(w));
        assertThat(w.status).isZero();
        Command r = io.read(100, 65536);
        io.await(List.of(r));
        assertThat(r.readData).isEqualTo(DataPathTest.pattern(5, 65536));
    }

    private static TestInitiator second(ServerFixture f) throws Exception {
        TestInitiator ini = f.connect();
        ini.isid = new byte[] {(byte) 0x80, 0, 0, 0, 0, 0x42};
        ini.login(f.normal());
        return ini;
    }

    @Test
    void garbageHeaderClosesOnlyThatConnection() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator bad = f.login(); TestInitiator good = second(f)) {
            byte[] junk = new byte[48];
            for (int i = 0; i < junk.length; i++) {
                junk[i] = (byte) (0xa5 ^ i * 37);
            }
            junk[0] = 0x05; // a Data-Out ...
            ByteBuffer.wrap(junk).putInt(16, 0x12345678); // ... for no task, with an impossible offset
            junk[5] = 0;
            junk[6] = 0;
            junk[7] = 0;
            junk[4] = 0;
            bad.sendRaw(junk);
            // an unknown task's data is dropped quietly; now a PDU with an AHS that overruns its SCSI command
            byte[] cmd = bad.scsiCommandBhs(bad.newItt(), 0, new byte[6], 0, false, false, true);
            cmd[4] = 1; // one AHS word
            byte[] framed = bad.frame(cmd, null);
            byte[] withAhs = new byte[framed.length + 4];
            System.arraycopy(framed, 0, withAhs, 0, 48);
            withAhs[48] = 0x7f; // AHSLength 0x7fxx: overruns
            bad.sendRaw(withAhs);
            assertThat(bad.awaitClose(Duration.ofSeconds(5))).isTrue();
            stillWorks(f, good);
        }
    }

    @Test
    void rawGarbageClosesTheConnection() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator good = f.login();
                Socket s = new Socket(f.address().getAddress(), f.address().getPort())) {
            s.setSoTimeout(5000);
            byte[] junk = new byte[200];
            new java.util.Random(1).nextBytes(junk);
            junk[0] = 0x43; // a login request...
            junk[4] = 0; // ... without AHS ...
            junk[5] = (byte) 0xff; // ... with a 16 MiB data segment
            s.getOutputStream().write(junk);
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes(); // returns at EOF: the target closed
            assertThat(all).hasSize(48); // a Login Response 02/00, then EOF
            assertThat(all[0]).isEqualTo((byte) 0x23);
            assertThat(all[36]).isEqualTo((byte) 2);
            stillWorks(f, good);
        }
    }

    @Test
    void oversizeDataSegmentIsRejectedAndCloses() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator bad = f.login(); TestInitiator good = second(f)) {
            byte[] bhs = new byte[48];
            bhs[0] = 0x40; // NOP-Out, immediate
            bhs[1] = (byte) 0x80;
            ByteBuffer.wrap(bhs).putInt(16, 0x99).putInt(20, -1).putInt(24, bad.cmdSn).putInt(28, bad.expStatSn);
            int len = 256 * 1024 + 4;
            bhs[5] = (byte) (len >>> 16);
            bhs[6] = (byte) (len >>> 8);
            bhs[7] = (byte) len;
            bad.sendRaw(bhs);
            Pdu r = bad.expect(Duration.ofSeconds(5));
            assertThat(r.opcode()).isEqualTo(0x3f);
            assertThat(r.byteAt(2)).as("protocol error").isEqualTo(0x04);
            assertThat(r.itt()).isEqualTo(-1);
            assertThat(r.data()).hasSize(48);
            assertThat(ByteBuffer.wrap(r.data()).getInt(16)).isEqualTo(0x99);
            assertThat(bad.awaitClose(Duration.ofSeconds(5))).isTrue();
            stillWorks(f, good);
        }
    }

    @Test
    void badDigestsClose() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator good = second(f)) {
            TestInitiator.LoginOptions o = f.normal();
            o.headerDigest = "CRC32C";
            o.dataDigest = "CRC32C";
            try (TestInitiator bad = f.connect()) {
                bad.login(o);
                byte[] bhs = new byte[48];
                bhs[0] = 0x40;
                bhs[1] = (byte) 0x80;
                ByteBuffer.wrap(bhs).putInt(16, 0x99).putInt(20, -1).putInt(24, bad.cmdSn).putInt(28, bad.expStatSn);
                byte[] framed = bad.frame(bhs, new byte[] {1, 2, 3, 4});
                framed[framed.length - 1] ^= 0x55; // data digest
                bad.sendRaw(framed);
                Pdu r = bad.expect(Duration.ofSeconds(5));
                assertThat(r.opcode()).isEqualTo(0x3f);
                assertThat(r.byteAt(2)).as("data digest error").isEqualTo(0x02);
                assertThat(bad.awaitClose(Duration.ofSeconds(5))).isTrue();
            }
            try (TestInitiator bad = f.connect()) {
                bad.isid = new byte[] {(byte) 0x80, 0, 0, 0, 0, 0x43};
                bad.login(o);
                byte[] bhs = new byte[48];
                bhs[0] = 0x40;
                bhs[1] = (byte) 0x80;
                ByteBuffer.wrap(bhs).putInt(16, 0x99).putInt(20, -1).putInt(24, bad.cmdSn).putInt(28, bad.expStatSn);
                byte[] framed = bad.frame(bhs, null);
                framed[49] ^= 0x01; // header digest
                bad.sendRaw(framed);
                assertThat(bad.awaitClose(Duration.ofSeconds(5))).isTrue();
            }
            stillWorks(f, good);
        }
    }

    @Test
    void wrongDataSnInDataOutFailsTheCommandOnly() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator good = second(f); TestInitiator bad = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            o.operationalKeys.put("InitialR2T", "Yes");
            o.operationalKeys.put("ImmediateData", "No");
            bad.login(o);
            int itt = bad.newItt();
            bad.send(bad.scsiCommandBhs(itt, 0, TestInitiator.write10(0, 2), 1024, false, true, true), null);
            Pdu r2t = bad.expect(Duration.ofSeconds(5));
            assertThat(r2t.opcode()).isEqualTo(0x31);
            bad.send(TestInitiator.dataOutBhs(0, itt, r2t.int32(20), 27, 0, false, bad.expStatSn), new byte[512]);
            Pdu r = bad.expect(Duration.ofSeconds(5));
            assertThat(r.opcode()).isEqualTo(0x21);
            assertThat(r.itt()).isEqualTo(itt);
            assertThat(r.byteAt(3)).as("CHECK CONDITION").isEqualTo(2);
            assertThat(r.data()).hasSize(20);
            assertThat(r.data()[2 + 2]).as("ABORTED COMMAND").isEqualTo((byte) 0x0b);
            assertThat(r.data()[2 + 12]).isEqualTo((byte) 0x4b);
            assertThat(r.data()[2 + 13]).isEqualTo((byte) 0x05);
            assertThat(r.data()).as("the whole sense, as built by hand before SenseData.of")
                    .containsExactly(0, 18, 0x70, 0, 0x0b, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x4b, 0x05, 0, 0, 0, 0);
            // the rest of its data is dropped quietly; the connection goes on
            bad.send(TestInitiator.dataOutBhs(0, itt, r2t.int32(20), 1, 512, true, bad.expStatSn), new byte[512]);
            assertThat(f.disk.opcodes).doesNotContain(0x2a);
            stillWorks(f, bad);
            stillWorks(f, good);
        }
    }

    @Test
    void unknownOpcodeAndSnackAreRejectedAndTheSessionGoesOn() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            byte[] bhs = new byte[48];
            bhs[0] = 0x1c; // vendor-specific opcode
            bhs[1] = (byte) 0x80;
            ByteBuffer.wrap(bhs).putInt(16, 0x31);
            ini.send(bhs, new byte[] {1, 2, 3});
            Pdu r = ini.expect(Duration.ofSeconds(5));
            assertThat(r.opcode()).isEqualTo(0x3f);
            assertThat(r.byteAt(2)).as("command not supported").isEqualTo(0x05);
            byte[] snack = new byte[48];
            snack[0] = 0x10;
            snack[1] = (byte) 0x80;
            ini.send(snack, null);
            Pdu r2 = ini.expect(Duration.ofSeconds(5));
            assertThat(r2.opcode()).isEqualTo(0x3f);
            assertThat(r2.byteAt(2)).isEqualTo(0x04);
            assertThat(r2.int32(24)).isEqualTo(r.int32(24) + 1);
            stillWorks(f, ini);
        }
    }

    @Test
    void nopOutPingIsEchoed() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            byte[] payload = DataPathTest.pattern(9, 1000);
            int cmdSn = ini.cmdSn;
            Pdu r = ini.nopOut(payload, false);
            assertThat(r.opcode()).isEqualTo(0x20);
            assertThat(r.flags()).isEqualTo(0x80);
            assertThat(r.int32(20)).isEqualTo(-1);
            assertThat(r.data()).isEqualTo(payload);
            assertThat(r.int32(28)).as("ExpCmdSN advanced by the non-immediate NOP-Out").isEqualTo(cmdSn + 1);
            Pdu r2 = ini.nopOut(null, true);
            assertThat(r2.int32(24)).isEqualTo(r.int32(24) + 1);
            assertThat(r2.int32(28)).isEqualTo(cmdSn + 1);
        }
    }

    @Test
    void targetPingsIdleInitiatorsAndDropsDeadOnes() throws Exception {
        try (ServerFixture f = new ServerFixture(s -> s.withNopIn(Duration.ofMillis(100), Duration.ofMillis(300)));
                TestInitiator alive = f.login(); TestInitiator dead = f.connect()) {
            alive.answerPingsInReader = true;
            dead.isid = new byte[] {(byte) 0x80, 0, 0, 0, 0, 0x44};
            dead.login(f.normal());
            dead.answerPings = false;
            Pdu ping = dead.expect(Duration.ofSeconds(5));
            assertThat(ping.opcode()).isEqualTo(0x20);
            assertThat(ping.itt()).isEqualTo(-1);
            assertThat(ping.int32(20)).isNotEqualTo(-1);
            assertThat(dead.awaitClose(Duration.ofSeconds(5))).isTrue();
            assertThat(alive.receive(Duration.ofMillis(800))).isNull();
            assertThat(alive.pingsAnswered).isPositive();
            assertThat(alive.closedByTarget()).isFalse();
            stillWorks(f, alive);
        }
    }

    @Test
    void outOfWindowCommandsAreDropped() throws Exception {
        try (ServerFixture f = new ServerFixture(s -> s.withCommandWindow(4)); TestInitiator ini = f.login()) {
            assertThat(ini.maxCmdSn - ini.cmdSn + 1).isEqualTo(4);
            int itt = ini.newItt();
            byte[] tur = ini.scsiCommandBhs(itt, 0, new byte[6], 0, false, false, true);
            ByteBuffer.wrap(tur).putInt(24, ini.cmdSn + 10); // beyond MaxCmdSN
            ini.cmdSn--;
            ini.send(tur, null);
            assertThat(ini.receive(Duration.ofMillis(300))).isNull();
            stillWorks(f, ini);
        }
    }

    @Test
    void concurrentSessions() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            for (int sessions : new int[] {2, 8}) {
                ExecutorService pool = Executors.newFixedThreadPool(sessions);
                try {
                    List<Future<Void>> results = new ArrayList<>();
                    for (int s = 0; s < sessions; s++) {
                        int id = s;
                        results.add(pool.submit((Callable<Void>) () -> {
                            try (TestInitiator ini = f.connect()) {
                                ini.isid = new byte[] {(byte) 0x80, 0, 0, 1, 0, (byte) id};
                                TestInitiator.LoginOptions o = f.normal();
                                o.initiatorName = "iqn.2026-11.io.jzram.test:host" + id;
                                ini.login(o);
                                IoPipeline io = new IoPipeline(ini);
                                long base = id * 4096L;
                                List<Command> ws = new ArrayList<>();
                                for (int i = 0; i < 8; i++) {
                                    ws.add(io.write(base + i * 256L, DataPathTest.pattern(id * 100 + i, 128 * 1024)));
                                }
                                io.awaitAll();
                                for (int i = 0; i < 8; i++) {
                                    assertThat(ws.get(i).status).isZero();
                                    Command r = io.read(base + i * 256L, 128 * 1024);
                                    io.await(List.of(r));
                                    assertThat(r.readData).isEqualTo(DataPathTest.pattern(id * 100 + i, 128 * 1024));
                                }
                                assertThat(ini.logout(0).byteAt(2)).isZero();
                            }
                            return null;
                        }));
                    }
                    for (Future<Void> r : results) {
                        r.get(30, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            LoginTest.waitFor(() -> f.disk.closed.get() == 10);
            assertThat(f.disk.attached).hasSize(10);
        }
    }

    @Test
    void stopWithLiveSessionsLeavesNoThreadsOrSockets() throws Exception {
        long platformBefore = platformThreads();
        ServerFixture f = new ServerFixture();
        List<TestInitiator> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                TestInitiator ini = f.connect();
                ini.isid = new byte[] {(byte) 0x80, 0, 0, 2, 0, (byte) i};
                ini.login(f.normal());
                clients.add(ini);
            }
            // one mid-write (waiting for R2T data), one mid-login
            TestInitiator writer = clients.get(0);
            writer.send(writer.scsiCommandBhs(writer.newItt(), 0, TestInitiator.write10(0, 2048), 1024 * 1024, false,
                    true, true), null);
            TestInitiator half = f.connect();
            clients.add(half);
            assertThat(f.server.liveThreads()).isGreaterThanOrEqualTo(8);
            long t0 = System.nanoTime();
            f.server.stop();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            for (TestInitiator c : clients) {
                assertThat(c.awaitClose(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(f.server.liveThreads()).isZero();
            assertThat(f.server.openConnections()).isZero();
            assertThat(f.disk.closed.get()).isEqualTo(4);
            // the listener is closed: nobody is accepting any more
            try (Socket s = new Socket()) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> s.connect(f.address(), 1000))).isNotNull();
            }
        } finally {
            for (TestInitiator c : clients) {
                c.close();
            }
            f.close();
        }
        LoginTest.waitFor(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("jzram-iscsi")));
        assertThat(platformThreads()).isLessThanOrEqualTo(platformBefore);
    }

    /** Platform threads other than the JDK's virtual-thread carriers and the JVM's own helpers. */
    private static long platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> !n.startsWith("ForkJoinPool") && !n.contains("Cleaner") && !n.startsWith("surefire")
                        && !n.startsWith("VirtualThread") && !n.startsWith("Read-Poller") && !n.startsWith("Write-Poller"))
                .count();
    }
}
