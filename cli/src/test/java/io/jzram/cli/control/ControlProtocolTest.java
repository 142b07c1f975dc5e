package io.jzram.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the control protocol's frames")
class ControlProtocolTest {

    @Test
    void a_run_request_round_trips_with_any_text() throws IOException {
        ControlProtocol.Request r = new ControlProtocol.Request(List.of("zramctl", "", "ünï cødé", "-s", "1G"), true, 132);
        assertThat(ControlProtocol.decodeRequest(ControlProtocol.encode(r))).isEqualTo(r);
    }

    @Test
    void frames_round_trip_and_end_cleanly() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        ControlProtocol.write(out, ControlProtocol.STDOUT, "hello\n".getBytes());
        ControlProtocol.write(out, ControlProtocol.EXIT, ControlProtocol.encodeExit(130));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        ControlProtocol.Frame f = ControlProtocol.read(in);
        assertThat(f.type()).isEqualTo(ControlProtocol.STDOUT);
        assertThat(new String(f.payload())).isEqualTo("hello\n");
        assertThat(ControlProtocol.decodeExit(ControlProtocol.read(in).payload())).isEqualTo(130);
        assertThat(ControlProtocol.read(in)).isNull();
    }

    @Test
    void refuses_oversized_and_truncated_frames() {
        byte[] huge = {'O', 0x7f, 0, 0, 0};
        assertThatThrownBy(() -> ControlProtocol.read(new DataInputStream(new ByteArrayInputStream(huge))))
                .isInstanceOf(IOException.class).hasMessageContaining("frame of");
        byte[] truncated = {'O', 0, 0, 0, 9, 'a'};
        assertThatThrownBy(() -> ControlProtocol.read(new DataInputStream(new ByteArrayInputStream(truncated))))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ControlProtocol.decodeRequest(new byte[] {1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5}))
                .isInstanceOf(IOException.class);
    }
}
