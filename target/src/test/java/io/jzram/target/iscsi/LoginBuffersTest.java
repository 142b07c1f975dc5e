package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a connection that has not logged in holds small buffers; growing them after login loses no byte")
class LoginBuffersTest {

    /** A BHS with the given opcode and a data segment of {@code data} (padded to 4). */
    static ByteBuffer pdu(int opcode, byte[] data) {
        int padded = (data.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(Bhs.LENGTH + padded);
        b.put(0, (byte) opcode);
        b.put(5, (byte) (data.length >>> 16));
        b.put(6, (byte) (data.length >>> 8));
        b.put(7, (byte) data.length);
        b.put(Bhs.LENGTH, data);
        return b;
    }

    @Test
    void the_read_ahead_grows_after_login_and_keeps_the_pipelined_bytes_it_holds() throws Exception {
        Pipe pipe = Pipe.open();
        PduReader in = new PduReader(pipe.source(), 8192);
        assertThat(in.readAheadCapacity()).isLessThanOrEqualTo(1024);
        byte[] first = "login text".getBytes(StandardCharsets.UTF_8);
        byte[] second = "the command that came right behind".getBytes(StandardCharsets.UTF_8);
        // Both PDUs in one write: the first read takes the start of the second into the read-ahead.
        ByteBuffer both = ByteBuffer.allocate(200);
        both.put(pdu(0x03, first)).put(pdu(0x01, second)).flip();
        pipe.sink().write(both);

        assertThat(in.readHeader()).isTrue();
        assertThat(new String(in.readDataBytes(), StandardCharsets.UTF_8)).isEqualTo("login text");
        in.fullSize();
        assertThat(in.readAheadCapacity()).isEqualTo(64 * 1024);
        assertThat(in.readHeader()).isTrue();
        assertThat(Bhs.opcode(in.header())).isEqualTo(0x01);
        assertThat(new String(in.readDataBytes(), StandardCharsets.UTF_8)).isEqualTo("the command that came right behind");
    }

    @Test
    void the_writers_scratch_is_small_until_the_login_ends() throws Exception {
        Pipe pipe = Pipe.open();
        PduWriter out = new PduWriter(pipe.sink(), 7, null);
        assertThat(out.scratchCapacity()).isLessThanOrEqualTo(2048);
        out.fullSize();
        assertThat(out.scratchCapacity()).isEqualTo(64 * 1024);
    }
}
