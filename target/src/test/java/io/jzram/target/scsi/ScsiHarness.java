package io.jzram.target.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real {@link ZramRegistry} with a {@link ZramCommandSet} over it, and a way to send commands
 * the way the transport does: data-out as a buffer from position to limit, data-in as a buffer
 * whose remaining() is the expected data transfer length.
 */
final class ScsiHarness implements AutoCloseable {
    static final String TARGET_IQN = "iqn.2026-01.io.jzram:test";
    static final String INITIATOR = "iqn.1993-08.org.debian:01:cafe";
    static final int MIB = 1024 * 1024;

    final ZramRegistry registry = new ZramRegistry();
    final LunIdentity identity = new LunIdentity(TARGET_IQN);
    final ZramCommandSet target = new ZramCommandSet(registry, identity);
    private final List<ScsiCommandSet.NexusHandle> handles = new ArrayList<>();
    private final AtomicLong nexusIds = new AtomicLong();

    /** hot_add + disksize. */
    ZramDevice addDevice(long bytes) throws ZramException {
        ZramDevice d = registry.hotAdd();
        d.init(bytes);
        return d;
    }

    ScsiCommandSet.NexusHandle login() {
        return login(INITIATOR, "400001370000");
    }

    ScsiCommandSet.NexusHandle login(String initiator, String isid) {
        ItNexus nexus = new ItNexus(nexusIds.incrementAndGet(), initiator, isid,
                InetSocketAddress.createUnresolved("127.0.0.1", 40000 + handles.size()));
        ScsiCommandSet.NexusHandle h = target.attach(nexus);
        handles.add(h);
        return h;
    }

    /** Logs in and consumes the unit attention every LUN has for a new nexus. */
    ScsiCommandSet.NexusHandle loginClean() {
        ScsiCommandSet.NexusHandle h = login();
        for (ZramDevice d : registry.devices()) {
            clearUnitAttentions(h, d.id());
        }
        return h;
    }

    /** TEST UNIT READY until it reports something other than a unit attention. */
    void clearUnitAttentions(ScsiCommandSet.NexusHandle h, int lun) {
        for (int i = 0; i < 10; i++) {
            Result r = exec(h, lun, Cdbs.testUnitReady());
            if (r.status() != ScsiResponse.CHECK_CONDITION || SenseData.senseKey(r.sense()) != SenseData.UNIT_ATTENTION) {
                return;
            }
        }
        throw new AssertionError("unit attentions do not clear on LUN " + lun);
    }

    Result exec(ScsiCommandSet.NexusHandle h, long lun, byte[] cdb) {
        return exec(h, lun, cdb, null, 0);
    }

    Result exec(ScsiCommandSet.NexusHandle h, long lun, byte[] cdb, byte[] dataOut) {
        return exec(h, lun, cdb, dataOut, 0);
    }

    Result exec(ScsiCommandSet.NexusHandle h, long lun, byte[] cdb, byte[] dataOut, int dataInLength) {
        ByteBuffer out = dataOut == null ? null : ByteBuffer.wrap(dataOut);
        ByteBuffer in = dataInLength == 0 ? null : ByteBuffer.allocate(dataInLength);
        return exec(h, lun, cdb, out, in);
    }

    /** Sends a command with the given buffers and checks that execute left their position and limit alone. */
    Result exec(ScsiCommandSet.NexusHandle h, long lun, byte[] cdb, ByteBuffer out, ByteBuffer in) {
        int outPos = out == null ? 0 : out.position();
        int outLim = out == null ? 0 : out.limit();
        int inPos = in == null ? 0 : in.position();
        int inLim = in == null ? 0 : in.limit();
        ScsiResponse r = target.execute(h, lun, cdb, out, in);
        assertThat(r).isNotNull();
        if (out != null) {
            assertThat(out.position()).isEqualTo(outPos);
            assertThat(out.limit()).isEqualTo(outLim);
        }
        byte[] data = new byte[0];
        if (in != null) {
            assertThat(in.position()).isEqualTo(inPos);
            assertThat(in.limit()).isEqualTo(inLim);
            assertThat(r.dataInLength()).isBetween(0, in.remaining());
            data = new byte[r.dataInLength()];
            in.get(inPos, data);
        } else {
            assertThat(r.dataInLength()).isZero();
        }
        assertThat(r.fullDataInLength()).isGreaterThanOrEqualTo(r.dataInLength());
        if (r.status() == ScsiResponse.CHECK_CONDITION) {
            assertThat(r.sense()).isNotNull();
            assertThat(r.sense().length).isGreaterThanOrEqualTo(18);
            assertThat(r.sense()[0] & 0x7F).isEqualTo(0x70);
            assertThat(r.sense()[7] & 0xFF).isEqualTo(r.sense().length - 8);
        } else {
            assertThat(r.sense()).isNull();
        }
        return new Result(r, data);
    }

    /** Writes through WRITE(16) and expects GOOD. */
    void write(ScsiCommandSet.NexusHandle h, int lun, long lba, byte[] data) {
        exec(h, lun, Cdbs.write16(lba, data.length / 512), data).assertGood();
    }

    /** Reads through READ(16) and expects GOOD. */
    byte[] read(ScsiCommandSet.NexusHandle h, int lun, long lba, int blocks) {
        Result r = exec(h, lun, Cdbs.read16(lba, blocks), null, blocks * 512);
        r.assertGood();
        return r.data();
    }

    @Override
    public void close() throws Exception {
        for (ScsiCommandSet.NexusHandle h : handles) {
            h.close();
        }
        target.close();
        for (ZramDevice d : registry.devices()) {
            registry.hotRemove(d.id(), true, Duration.ofSeconds(10));
        }
    }

    /** Deterministic non-trivial content: compressible, but different for every block and seed. */
    static byte[] pattern(int blocks, int seed) {
        byte[] b = new byte[blocks * 512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((i / 512) * 31 + seed * 7 + (i % 13) * (i % 5));
        }
        return b;
    }

    static byte[] zeros(int blocks) {
        return new byte[blocks * 512];
    }

    /** The outcome of one command. */
    record Result(ScsiResponse response, byte[] data) {
        int status() {
            return response.status();
        }

        byte[] sense() {
            return response.sense();
        }

        String senseCode() {
            return SenseData.describe(response.sense());
        }

        Result assertGood() {
            assertThat(status()).as("status; sense %s", senseCode()).isEqualTo(ScsiResponse.GOOD);
            return this;
        }

        Result assertCheck(String keyAscAscq) {
            assertThat(status()).as("status").isEqualTo(ScsiResponse.CHECK_CONDITION);
            assertThat(senseCode()).isEqualTo(keyAscAscq);
            return this;
        }

        /** The field pointer of an ILLEGAL REQUEST, as "cdb:byte" or "list:byte", with ".bit" if BPV. */
        String fieldPointer() {
            byte[] s = sense();
            if ((s[15] & 0x80) == 0) {
                return "none";
            }
            String where = (s[15] & 0x40) != 0 ? "cdb:" : "list:";
            String bit = (s[15] & 0x08) != 0 ? "." + (s[15] & 0x07) : "";
            return where + Cdb.u16(s, 16) + bit;
        }

        @Override
        public String toString() {
            return "status " + status() + " sense " + senseCode() + " data " + Arrays.toString(Arrays.copyOf(data, Math.min(16, data.length)));
        }
    }
}
