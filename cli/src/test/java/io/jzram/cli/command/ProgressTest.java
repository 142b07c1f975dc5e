package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the spinner of long operations")
class ProgressTest {

    @Test
    void spins_on_a_terminal_while_the_operation_runs_and_erases_itself() throws Exception {
        StringWriter err = new StringWriter();
        int result = Progress.run(new PrintWriter(err), true, "compacting zram0", () -> {
            Thread.sleep(600);
            return 7;
        });
        assertThat(result).isEqualTo(7);
        assertThat(err.toString()).contains("\r| compacting zram0 (0s)").endsWith("\r\u001b[K");
    }

    @Test
    void quick_operations_and_non_terminals_show_nothing() throws Exception {
        StringWriter err = new StringWriter();
        assertThat(Progress.run(new PrintWriter(err), true, "x", () -> 1)).isEqualTo(1);
        assertThat(Progress.run(new PrintWriter(err), false, "x", () -> {
            Thread.sleep(400);
            return 2;
        })).isEqualTo(2);
        assertThat(err.toString()).isEmpty();
    }
}
