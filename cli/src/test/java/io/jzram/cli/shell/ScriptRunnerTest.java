package io.jzram.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.dispatch.LocalDispatcher;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramRegistry;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ZramCommandSet;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("scripts: one command a line, stopping at the first failing line")
class ScriptRunnerTest {
    final ZramRegistry registry = new ZramRegistry();
    final ZramCommandSet target = new ZramCommandSet(registry, new LunIdentity("iqn.2026-11.io.jzram:test"));
    final LocalDispatcher dispatcher = new LocalDispatcher(
            CliContext.client(Map.of(), InputStream.nullInputStream(), false, false)
                    .inServer(new Engine(registry, List::of, target.luns(), Duration.ofSeconds(5)), false, true), false, 0);

    record Run(int status, String out, String err) {}

    Run run(String script, boolean continueOnError) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ScriptRunner.run("setup.jz", new BufferedReader(new StringReader(script)), dispatcher, continueOnError,
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @AfterEach
    void close() throws Exception {
        target.close();
        for (ZramDevice d : registry.devices()) {
            registry.hotRemove(d.id(), true, Duration.ofSeconds(5));
        }
    }

    @Test
    void runs_every_line_skipping_blanks_and_comments() throws Exception {
        Run r = run("""
                # two devices
                zramctl -f -s 64M

                jzram zramctl --find --size 1G --algorithm zstd   # 'jzram' in front is fine
                zramctl -n --raw -o NAME,ALGORITHM
                """, false);
        assertThat(r).isEqualTo(new Run(0, "/dev/zram0\n/dev/zram1\n/dev/zram0 lz4\n/dev/zram1 zstd\n", ""));
    }

    @Test
    void stops_at_the_first_failing_line_and_names_it() throws Exception {
        Run r = run("""
                hot-add
                zramctl -r /dev/zram4
                hot-add
                """, false);
        assertThat(r).isEqualTo(new Run(1, "zram0\n", "setup.jz:2: zramctl: /dev/zram4: failed to reset: No such device\n"));
        assertThat(registry.devices()).hasSize(1);
    }

    @Test
    void a_usage_error_names_its_line_too() throws Exception {
        Run r = run("stat\nhot-add\n", false);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("setup.jz:1: jzram: missing required parameter: 'DEVICE'\nsetup.jz:1: Try 'jzram stat --help'");
        assertThat(registry.devices()).isEmpty();
    }

    @Test
    void continue_on_error_runs_the_rest_and_still_fails() throws Exception {
        Run r = run("stat zram9\nhot-add\nbogus\nhot-add\n", true);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("zram0\nzram1\n");
        assertThat(r.err()).startsWith("setup.jz:1: jzram: zram9: No such device\nsetup.jz:3: jzram: unknown command 'bogus'\n");
    }

    @Test
    void exit_ends_the_script_with_its_status() throws Exception {
        assertThat(run("hot-add\nexit 3\nhot-add\n", false)).isEqualTo(new Run(3, "zram0\n", ""));
        assertThat(run("exit\nhot-add\n", false).status()).isZero();
    }

    @Test
    void an_unclosed_quote_is_a_failing_line() throws Exception {
        Run r = run("stat 'zram0\nhot-add\n", false);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("setup.jz:1: ");
        assertThat(registry.devices()).isEmpty();
    }
}
