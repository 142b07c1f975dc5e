package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jzram completion prints bash and zsh scripts")
class CompletionCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void bash() {
        String script = h.ok("completion", "bash");
        assertThat(script).contains("complete -F _complete_jzram", "zramctl", "hot-remove", "--output-all", "COMP-RATIO", "TIERS",
                "recompress", "bd_stat", "writeback_idle_after");
    }

    @Test
    void zsh_is_bash_through_bashcompinit() {
        assertThat(h.ok("completion", "zsh")).contains("bashcompinit", "complete -F _complete_jzram");
    }

    @Test
    void other_shells() {
        assertThat(h.run("completion", "fish")).isEqualTo(new Harness.Result(1, "", "jzram: completion: unsupported shell 'fish' (bash or zsh)\n"));
    }
}
