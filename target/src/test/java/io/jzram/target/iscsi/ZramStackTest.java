package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jzram.target.iscsi.testinit.IoPipeline;
import io.jzram.target.iscsi.testinit.IoPipeline.Command;
import io.jzram.target.iscsi.testinit.TestInitiator;

/** The transport in front of the real command set and a real zram device. */
@Timeout(60)
class ZramStackTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void writesAndReadsThroughZramCommandSet() throws Exception {
        try (ZramFixture f = new ZramFixture(64L * MIB); TestInitiator ini = TestInitiator.connect(f.server.boundAddress())) {
            TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
            o.targetName = ServerFixture.IQN;
            ini.login(o);
            IoPipeline io = new IoPipeline(ini);
            // the first command after login reports POWER ON OCCURRED; clear it
            Command tur = io.submit(0, new byte[6], 0, false, null);
            io.await(List.of(tur));
            assertThat(tur.status).isEqualTo(2);
            assertThat(tur.sense).hasSizeGreaterThanOrEqualTo(18);
            assertThat(tur.sense[2] & 0x0f).as("UNIT ATTENTION").isEqualTo(6);

            List<Command> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                writes.add(io.write(i * 2048L, DataPathTest.pattern(i, MIB)));
            }
            long last = 64L * MIB / 512 - 256;
            Command tail = io.write(last, DataPathTest.pattern(99, 256 * 512));
            io.awaitAll();
            for (Command w : writes) {
                assertThat(w.status).isZero();
            }
            assertThat(tail.status).isZero();
            for (int i = 0; i < 16; i++) {
                Command r = io.read(i * 2048L, MIB);
                io.await(List.of(r));
                assertThat(r.status).isZero();
                assertThat(r.readData).isEqualTo(DataPathTest.pattern(i, MIB));
            }
            Command r = io.read(last, 256 * 512);
            io.await(List.of(r));
            assertThat(r.status).isZero();
            assertThat(r.readData).isEqualTo(DataPathTest.pattern(99, 256 * 512));
            // READ CAPACITY 16 through the transport
            byte[] rc16 = new byte[16];
            rc16[0] = (byte) 0x9e;
            rc16[1] = 0x10;
            ByteBuffer.wrap(rc16).putInt(10, 32);
            Command cap = io.submit(0, rc16, 32, true, null);
            io.await(List.of(cap));
            assertThat(cap.status).isZero();
            assertThat(ByteBuffer.wrap(cap.readData).getLong(0)).isEqualTo(64L * MIB / 512 - 1);
            assertThat(ini.logout(0).byteAt(2)).isZero();
        }
    }

    private static TestInitiator login(ZramFixture f) throws Exception {
        TestInitiator ini = TestInitiator.connect(f.server.boundAddress());
        TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
        o.targetName = ServerFixture.IQN;
        ini.login(o);
        return ini;
    }

    /** Sends TEST UNIT READY until it is GOOD, returning the sense keys/ASC/ASCQ it reported first. */
    private static List<String> clearUnitAttentions(IoPipeline io) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Command tur = io.submit(0, new byte[6], 0, false, null);
            io.await(List.of(tur));
            if (tur.status == 0) {
                return seen;
            }
            seen.add(senseCode(tur));
        }
        throw new AssertionError("TEST UNIT READY never became GOOD: " + seen);
    }

    private static String senseCode(Command c) {
        return String.format("%x/%02x/%02x", c.sense[2] & 0x0f, c.sense[12] & 0xff, c.sense[13] & 0xff);
    }

    @Test
    void unmapFreesTheDevicesMemoryAndReadsBackZeros() throws Exception {
        try (ZramFixture f = new ZramFixture(64L * MIB); TestInitiator ini = login(f)) {
            IoPipeline io = new IoPipeline(ini);
            clearUnitAttentions(io);
            byte[] data = DataPathTest.pattern(7, 4 * MIB);
            Command w = io.write(0, data);
            io.await(List.of(w));
            assertThat(w.status).isZero();
            long used = f.device.mmStat().memUsedTotal();
            assertThat(used).isPositive();

            // UNMAP: 8-byte header, one 16-byte descriptor covering the 4 MiB.
            ByteBuffer params = ByteBuffer.allocate(24);
            params.putShort(0, (short) 22).putShort(2, (short) 16).putLong(8, 0).putInt(16, 4 * MIB / 512);
            byte[] cdb = new byte[10];
            cdb[0] = 0x42;
            ByteBuffer.wrap(cdb).putShort(7, (short) 24);
            Command unmap = io.submit(0, cdb, 24, false, params.array());
            io.await(List.of(unmap));
            assertThat(unmap.status).isZero();

            assertThat(f.device.mmStat().memUsedTotal()).as("mem_used_total after UNMAP").isZero();
            assertThat(f.device.ioStat().notifyFree()).isEqualTo(4L * MIB / 4096);
            Command r = io.read(0, 4 * MIB);
            io.await(List.of(r));
            assertThat(r.readData).isEqualTo(new byte[4 * MIB]);
        }
    }

    @Test
    void unalignedAndLastSectorIoAndOutOfRangeThroughTheStack() throws Exception {
        try (ZramFixture f = new ZramFixture(8L * MIB); TestInitiator ini = login(f)) {
            IoPipeline io = new IoPipeline(ini);
            clearUnitAttentions(io);
            long blocks = 8L * MIB / 512;
            byte[] odd = DataPathTest.pattern(3, 3 * 512);
            Command w = io.write(7, odd); // sectors 7..9: straddles the first 4 KiB page boundary
            Command last = io.write(blocks - 1, DataPathTest.pattern(4, 512));
            io.await(List.of(w, last));
            assertThat(w.status).isZero();
            assertThat(last.status).isZero();
            Command r = io.read(6, 5 * 512);
            io.await(List.of(r));
            assertThat(Arrays.copyOfRange(r.readData, 512, 4 * 512)).isEqualTo(odd);
            assertThat(Arrays.copyOfRange(r.readData, 0, 512)).isEqualTo(new byte[512]);

            Command beyond = io.read(blocks, 512);
            Command straddling = io.write(blocks - 1, DataPathTest.pattern(5, 1024));
            io.await(List.of(beyond, straddling));
            assertThat(beyond.status).isEqualTo(2);
            assertThat(senseCode(beyond)).isEqualTo("5/21/00");
            assertThat(straddling.status).isEqualTo(2);
            assertThat(senseCode(straddling)).isEqualTo("5/21/00");
            Command lastBack = io.read(blocks - 1, 512);
            io.await(List.of(lastBack));
            assertThat(lastBack.readData).as("the refused write changed nothing").isEqualTo(DataPathTest.pattern(4, 512));
        }
    }

    @Test
    void aForcedResetDuringPipelinedIoFailsCommandsCleanlyAndTheLunComesBack() throws Exception {
        try (ZramFixture f = new ZramFixture(64L * MIB); TestInitiator ini = login(f)) {
            IoPipeline io = new IoPipeline(ini);
            clearUnitAttentions(io);
            assertThat(f.device.openCount()).as("the session holds the device").isEqualTo(1);
            assertThatBusy(f);

            for (int round = 0; round < 3; round++) {
                List<Command> inFlight = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    inFlight.add(io.write((i % 16) * 2048L, DataPathTest.pattern(round * 100 + i, MIB)));
                }
                CompletableFuture<Void> reset = CompletableFuture.runAsync(() -> {
                    try {
                        f.device.reset(true, Duration.ofSeconds(10));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                io.await(inFlight);
                reset.get();
                for (Command c : inFlight) {
                    if (c.status != 0) {
                        assertThat(c.status).isEqualTo(2);
                        assertThat(senseCode(c)).as("NOT READY, manual intervention required").isEqualTo("2/04/03");
                    }
                }
                Command notReady = io.read(0, 4096);
                io.await(List.of(notReady));
                assertThat(senseCode(notReady)).isEqualTo("2/04/03");

                f.device.init(64L * MIB);
                assertThat(clearUnitAttentions(io)).as("after re-init").contains("6/2a/09");
                Command fresh = io.read(0, MIB);
                io.await(List.of(fresh));
                assertThat(fresh.status).isZero();
                assertThat(fresh.readData).as("a new generation starts empty").isEqualTo(new byte[MIB]);
            }
            assertThat(ini.logout(0).byteAt(2)).isZero();
        }
    }

    private static void assertThatBusy(ZramFixture f) {
        try {
            f.device.reset(false, null);
            throw new AssertionError("reset of a device with a logged-in session succeeded");
        } catch (io.jzram.core.ZramException e) {
            assertThat(e.reason()).isEqualTo(io.jzram.core.ZramException.Reason.BUSY);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
