package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

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
}
