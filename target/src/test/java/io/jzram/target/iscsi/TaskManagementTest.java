package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jzram.target.iscsi.testinit.IoPipeline;
import io.jzram.target.iscsi.testinit.IoPipeline.Command;
import io.jzram.target.iscsi.testinit.TestInitiator;
import io.jzram.target.iscsi.testinit.TestInitiator.Pdu;

@Timeout(60)
class TaskManagementTest {
    static final int ABORT_TASK = 1;
    static final int ABORT_TASK_SET = 2;
    static final int CLEAR_ACA = 3;
    static final int LUN_RESET = 5;
    static final int TARGET_WARM_RESET = 6;
    static final int TARGET_COLD_RESET = 7;
    static final int TASK_REASSIGN = 8;

    private static TestInitiator solicitedOnly(ServerFixture f) throws Exception {
        TestInitiator ini = f.connect();
        TestInitiator.LoginOptions o = f.normal();
        o.operationalKeys.put("InitialR2T", "Yes");
        o.operationalKeys.put("ImmediateData", "No");
        ini.login(o);
        return ini;
    }

    /** Receives until the TMF response for {@code itt}; returns it and collects everything else. */
    private static Pdu tmfResponse(TestInitiator ini, int itt, List<Pdu> others) throws Exception {
        while (true) {
            Pdu p = ini.expect(Duration.ofSeconds(10));
            if (p.opcode() == 0x22 && p.itt() == itt) {
                return p;
            }
            others.add(p);
        }
    }

    @Test
    void abortTaskOfAWriteWaitingForR2tData() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = solicitedOnly(f)) {
            int itt = ini.newItt();
            int cmdSn = ini.cmdSn;
            ini.send(ini.scsiCommandBhs(itt, 0, TestInitiator.write10(0, 8), 4096, false, true, true), null);
            Pdu r2t = ini.expect(Duration.ofSeconds(5));
            assertThat(r2t.opcode()).isEqualTo(0x31);
            assertThat(r2t.itt()).isEqualTo(itt);
            assertThat(r2t.int32(44)).isEqualTo(4096);
            int tmf = ini.taskManagement(ABORT_TASK, 0, itt, cmdSn);
            List<Pdu> others = new ArrayList<>();
            Pdu resp = tmfResponse(ini, tmf, others);
            assertThat(resp.byteAt(2)).as("function complete").isZero();
            assertThat(resp.flags()).isEqualTo(0x80);
            // late data for the aborted task is ignored, no status ever comes for it
            ini.send(TestInitiator.dataOutBhs(0, itt, r2t.int32(20), 0, 0, true, ini.expStatSn), new byte[4096]);
            IoPipeline io = new IoPipeline(ini);
            Command tur = io.submit(0, new byte[6], 0, false, null);
            io.await(List.of(tur));
            assertThat(ini.receive(Duration.ofMillis(200))).isNull();
            assertThat(others).isEmpty();
            assertThat(f.disk.opcodes).doesNotContain(0x2a);
            // the window slot came back: ExpCmdSN/MaxCmdSN still give 128
            assertThat(ini.maxCmdSn - ini.cmdSn + 1).isEqualTo(128);
        }
    }

    @Test
    void abortOfAnUnknownTask() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            int tmf = ini.taskManagement(ABORT_TASK, 0, 0x7777, ini.cmdSn + 5);
            assertThat(tmfResponse(ini, tmf, new ArrayList<>()).byteAt(2)).as("task does not exist").isEqualTo(1);
            // a task that has already completed: task does not exist (libiscsi's AbortTaskSimpleAsync expects that)
            IoPipeline io = new IoPipeline(ini);
            int ref = ini.cmdSn;
            Command tur = io.submit(0, new byte[6], 0, false, null);
            io.await(List.of(tur));
            int tmf2 = ini.taskManagement(ABORT_TASK, 0, tur.itt, ref);
            assertThat(tmfResponse(ini, tmf2, new ArrayList<>()).byteAt(2)).isEqualTo(1);
        }
    }

    @Test
    void abortTaskOfAnExecutingCommandSuppressesItsStatus() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            f.disk.gate = new CountDownLatch(1);
            f.disk.gatedOpcode = 0x28;
            IoPipeline io = new IoPipeline(ini);
            int ref = ini.cmdSn;
            Command r = io.submit(0, TestInitiator.read10(0, 1), 512, true, null);
            LoginTest.waitFor(() -> f.disk.atGate.get() == 1);
            int tmf = ini.taskManagement(ABORT_TASK, 0, r.itt, ref);
            assertThat(ini.receive(Duration.ofMillis(200))).as("TMF response waits for the task").isNull();
            f.disk.gate.countDown();
            List<Pdu> others = new ArrayList<>();
            assertThat(tmfResponse(ini, tmf, others).byteAt(2)).isZero();
            assertThat(others).as("no status for the aborted read").isEmpty();
            assertThat(ini.receive(Duration.ofMillis(200))).isNull();
        }
    }

    /**
     * An abort that arrives while the target is sending the command's data (the initiator is not
     * reading, so the target's send is blocked) comes too late to terminate it: the command ends
     * with GOOD, and the abort answers "task does not exist". Answering "function complete" as
     * well would tell the initiator the task was terminated after it saw it succeed (libiscsi's
     * AbortTaskSimpleAsync fails such a target; Linux's LIO answers "does not exist").
     */
    @Test
    void abortTaskOfACommandWhoseStatusIsBeingSentFindsNoTask() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = TestInitiator.connect(f.address(), 64 * 1024)) {
            ini.login(f.normal());
            int blocks = 32768; // 16 MiB of Data-In: more than the socket buffers on both sides hold
            ini.pauseReading();
            IoPipeline io = new IoPipeline(ini);
            int ref = ini.cmdSn;
            Command r = io.submit(0, TestInitiator.read10(0, blocks), blocks * 512, true, null);
            // The read has run (the RAM disk is out of execute); right after, on the same thread, the
            // task moves to RESPONDING and starts sending, which blocks until the initiator reads
            // again, however long this waits.
            LoginTest.waitFor(() -> f.disk.opcodes.contains(0x28) && f.disk.concurrent.get() == 0);
            Thread.sleep(200);
            int tmf = ini.taskManagement(ABORT_TASK, 0, r.itt, ref);
            ini.resumeReading();
            List<Pdu> others = new ArrayList<>();
            Pdu resp = tmfResponse(ini, tmf, others);
            long dataIn = others.stream().filter(p -> p.opcode() == 0x25 && p.itt() == r.itt)
                    .mapToLong(p -> p.data().length).sum();
            assertThat(dataIn).as("all the read's data came").isEqualTo(blocks * 512L);
            Pdu status = others.stream()
                    .filter(p -> p.itt() == r.itt && (p.opcode() == 0x21 || (p.opcode() == 0x25 && (p.flags() & 0x01) != 0)))
                    .findFirst().orElseThrow(() -> new AssertionError("no status for the read: " + others.size() + " PDUs"));
            assertThat(status.byteAt(3)).as("the read's status: GOOD").isZero();
            assertThat(resp.byteAt(2)).as("TMF response: task does not exist").isEqualTo(1);
        }
    }

    /**
     * ABORT TASK sent right behind a write, as libiscsi's AbortTaskSimpleAsync does, many times: the
     * abort races the write's completion, and whichever wins, the two answers agree. Either the
     * abort terminated the write (no status for it, "function complete") or the write completed
     * (status GOOD, "task does not exist"), never both GOOD and "function complete". The losing
     * case of the race (the abort finds the task executing just as it finishes) is rare per try.
     */
    @Test
    void abortTaskRacingTheCommandsCompletionGetsAnAnswerThatAgreesWithItsStatus() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            IoPipeline io = new IoPipeline(ini);
            int terminated = 0;
            int completed = 0;
            for (int i = 0; i < 400; i++) {
                int ref = ini.cmdSn;
                Command w = io.submit(0, TestInitiator.write10(8L * i, 8), 4096, false, new byte[4096]);
                int tmf = ini.taskManagement(ABORT_TASK, 0, w.itt, ref);
                List<Pdu> pdus = new ArrayList<>();
                int answer = tmfResponse(ini, tmf, pdus).byteAt(2);
                assertThat(answer).as("try %d: function complete or task does not exist", i).isIn(0, 1);
                if (answer == 1 && pdus.stream().noneMatch(p -> p.itt() == w.itt)) {
                    // the status may still be on its way: the task left the table just before it is sent
                    Pdu p = ini.expect(Duration.ofSeconds(5));
                    pdus.add(p);
                }
                List<Pdu> statuses = pdus.stream().filter(p -> p.itt() == w.itt && p.opcode() == 0x21).toList();
                if (answer == 0) {
                    assertThat(statuses).as("try %d: a terminated write sends no status", i).isEmpty();
                    terminated++;
                } else {
                    assertThat(statuses).as("try %d: the write completed", i).hasSize(1);
                    assertThat(statuses.get(0).byteAt(3)).as("try %d: GOOD", i).isZero();
                    completed++;
                }
            }
            System.out.printf("ABORT TASK behind a write: %d terminated it, %d found it completed%n", terminated, completed);
            // every write, terminated or completed, gave its window slot back exactly once
            assertThat(f.server.sessions().getFirst().activeTasks()).isZero();
            IoPipeline.Command tur = io.submit(0, new byte[6], 0, false, null);
            io.await(List.of(tur));
            assertThat(ini.maxCmdSn - ini.cmdSn + 1).as("command window").isEqualTo(128);
        }
    }

    @Test
    void lunResetAbortsTheLunsTasksThenResets() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = solicitedOnly(f)) {
            List<Integer> itts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int itt = ini.newItt();
                itts.add(itt);
                ini.send(ini.scsiCommandBhs(itt, 0, TestInitiator.write10(i * 8, 8), 4096, false, true, true), null);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(ini.expect(Duration.ofSeconds(5)).opcode()).isEqualTo(0x31);
            }
            int tmf = ini.taskManagement(LUN_RESET, 0, TestInitiator.RESERVED, 0);
            List<Pdu> others = new ArrayList<>();
            assertThat(tmfResponse(ini, tmf, others).byteAt(2)).isZero();
            assertThat(others).isEmpty();
            assertThat(f.disk.lunResets).containsExactly(0L);
            assertThat(f.disk.opcodes).doesNotContain(0x2a);
            assertThat(f.server.sessions().getFirst().activeTasks()).isZero();
        }
    }

    @Test
    void otherFunctions() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator ini = f.login()) {
            int t1 = ini.taskManagement(TARGET_WARM_RESET, 0, TestInitiator.RESERVED, 0);
            assertThat(tmfResponse(ini, t1, new ArrayList<>()).byteAt(2)).isZero();
            assertThat(f.disk.targetResets.get()).isEqualTo(1);
            int t2 = ini.taskManagement(CLEAR_ACA, 0, TestInitiator.RESERVED, 0);
            assertThat(tmfResponse(ini, t2, new ArrayList<>()).byteAt(2)).isEqualTo(5);
            int t3 = ini.taskManagement(TASK_REASSIGN, 0, 0x55, 0);
            assertThat(tmfResponse(ini, t3, new ArrayList<>()).byteAt(2)).isEqualTo(4);
            int t4 = ini.taskManagement(ABORT_TASK_SET, 0, TestInitiator.RESERVED, 0);
            assertThat(tmfResponse(ini, t4, new ArrayList<>()).byteAt(2)).isZero();
            int t5 = ini.taskManagement(0x33, 0, TestInitiator.RESERVED, 0);
            assertThat(tmfResponse(ini, t5, new ArrayList<>()).byteAt(2)).isEqualTo(5);
        }
    }

    @Test
    void coldResetDropsEveryConnection() throws Exception {
        try (ServerFixture f = new ServerFixture(); TestInitiator a = f.login(); TestInitiator b = f.connect()) {
            TestInitiator.LoginOptions o = f.normal();
            b.isid = new byte[] {(byte) 0x80, 0, 0, 0, 0, 2};
            b.login(o);
            int t = a.taskManagement(TARGET_COLD_RESET, 0, TestInitiator.RESERVED, 0);
            assertThat(tmfResponse(a, t, new ArrayList<>()).byteAt(2)).isZero();
            assertThat(a.awaitClose(Duration.ofSeconds(5))).isTrue();
            assertThat(b.awaitClose(Duration.ofSeconds(5))).isTrue();
            assertThat(f.disk.targetResets.get()).isEqualTo(1);
            try (TestInitiator c = f.login()) {
                assertThat(c.tsih).isNotZero();
            }
        }
    }
}
