package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.config.LiveDevice;
import io.jzram.core.ZramDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("jzram apply FILE: the plan, then all or nothing; --dry-run, --prune, --force")
class ApplyCommandTest {
    final Harness h = new Harness();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    Path file(String text) throws Exception {
        Path f = dir.resolve("site.toml");
        Files.writeString(f, text);
        return f;
    }

    List<LiveDevice> state() {
        return h.engine.ops().devices();
    }

    static final String SITE = """
            [[device]]
            id = 0
            size = "64M"
            mem_limit = "16M"

            [[device]]
            id = 1
            size = "32M"
            algorithm = "zstd"
            """;

    void before() {
        h.ok("zramctl", "-f", "-s", "64M");
        h.ok("zramctl", "-f", "-s", "16M");
        h.ok("zramctl", "-f", "-s", "8M");
    }

    @Test
    void dry_run_prints_the_plan_and_changes_nothing() throws Exception {
        before();
        List<LiveDevice> was = state();
        Path f = file(SITE);
        assertThat(h.run("apply", "--dry-run", "--prune", f.toString())).isEqualTo(new Harness.Result(0, f + """
                : 3 changes
                  remove zram2: size 8M, algorithm lz4; not in the file (its data is lost)
                  change zram1: size 16M -> 32M, algorithm lz4 -> zstd (reset: its data is lost)
                  change zram0: mem_limit none -> 16M (live)
                dry run: nothing applied
                """.replace("  change zram1", "  resize zram1"), ""));
        assertThat(state()).isEqualTo(was);
    }

    @Test
    void apply_makes_the_devices_what_the_file_says_and_a_second_apply_changes_nothing() throws Exception {
        before();
        Path f = file(SITE);
        Harness.Result r = h.run("apply", f.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).endsWith("not in the file, kept (--prune removes them): zram2\napplied 2 changes\n");
        assertThat(h.ok("zramctl", "--raw", "-n", "-o", "NAME,ALGORITHM,DISKSIZE"))
                .isEqualTo("/dev/zram0 lz4 64M\n/dev/zram1 zstd 32M\n/dev/zram2 lz4 8M\n");
        assertThat(h.ok("mem-limit", "zram0")).isEqualTo("16M\n");
        assertThat(h.run("apply", "--prune", f.toString())).isEqualTo(new Harness.Result(0, f + """
                : 1 change
                  remove zram2: size 8M, algorithm lz4; not in the file (its data is lost)
                unchanged: zram0, zram1
                applied 1 change
                """, ""));
        assertThat(h.run("apply", "--prune", f.toString()).out()).isEqualTo(f + ": no changes\nunchanged: zram0, zram1\n");
    }

    @Test
    void an_invalid_file_prints_every_error_and_applies_nothing() throws Exception {
        before();
        List<LiveDevice> was = state();
        Path f = file("""
                [[device]]
                size = "4Q"
                [[device]]
                sise = "1G"
                """);
        assertThat(h.run("apply", f.toString())).isEqualTo(new Harness.Result(1, "", f + """
                :2:8: size "4Q": unknown unit (use K, M, G, T, or KiB…)
                """ + f + """
                :3:1: [[device]] without size (add size = "1G", or size = 0 for a device that is not set up)
                """ + f + """
                :4:1: unknown key 'sise' in [[device]] (did you mean 'size'?)
                jzram: apply:\s""" + f + ": 3 errors, nothing applied\n"));
        assertThat(state()).isEqualTo(was);
    }

    @Test
    void devices_in_use_are_refused_without_force_and_nothing_is_applied() throws Exception {
        before();
        List<LiveDevice> was = state();
        Path f = file(SITE);
        try (ZramDevice.Holder session = h.registry.find(1).orElseThrow().open("initiator")) {
            Harness.Result r = h.run("apply", f.toString());
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.out()).startsWith(f + ": 2 changes\n");
            assertThat(r.err()).isEqualTo(f + ":8:8: zram1: in use by 1 holder; resizing it resets it and loses its data (--force to do it anyway)\n"
                    + "jzram: apply: " + f + ": refused, nothing applied\n");
            assertThat(state()).isEqualTo(was.stream().map(d -> d.id() == 1 ? new LiveDevice(1, d.settings(), 1) : d).toList());

            assertThat(h.run("apply", "--force", f.toString()).status()).isZero();
            assertThat(h.ok("zramctl", "--raw", "-n", "-o", "NAME,ALGORITHM,DISKSIZE", "zram1")).isEqualTo("/dev/zram1 zstd 32M\n");
        }
    }

    @Test
    void a_file_that_cannot_be_read() {
        Harness.Result r = h.run("apply", dir.resolve("nothing.toml").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("jzram: cannot read " + dir.resolve("nothing.toml") + ": No such file or directory\n");
    }

    @Test
    void unexporting_a_device_a_session_has_needs_force_then_the_lun_is_gone_and_exporting_brings_it_back() throws Exception {
        h.ok("zramctl", "-f", "-s", "64M");
        h.ok("zramctl", "-f", "-s", "16M");
        Path f = file("""
                [[device]]
                size = "64M"
                [[device]]
                size = "16M"
                exported = false
                """);
        try (var session = h.login("iqn.1993-08.org.debian:01:cafe")) {
            assertThat(h.run("apply", f.toString())).isEqualTo(new Harness.Result(1, f + """
                    : 1 change
                      change zram1: exported yes -> no (live); in use by 1 holder
                    unchanged: zram0
                    """, f + """
                    :5:12: zram1: in use by 1 holder; unexporting it withdraws its LUN from logged-in initiators (--force to do it anyway)
                    jzram: apply:\s""" + f + ": refused, nothing applied\n"));
            assertThat(h.target.luns().sessionsUsing(1)).isEqualTo(1);

            assertThat(h.run("apply", "--force", f.toString()).status()).isZero();
            assertThat(h.target.luns().sessionsUsing(1)).isZero();
            assertThat(h.registry.find(1).orElseThrow().openCount()).as("the session let go of it").isZero();
            assertThat(h.ok("zramctl", "--raw", "-n", "-o", "NAME,DISKSIZE,LUN")).isEqualTo("/dev/zram0 64M 0\n/dev/zram1 16M \n");
            assertThat(h.ok("stat", "zram1")).startsWith("zram1: disksize 16M, algorithm lz4, streams "
                    + h.registry.find(1).orElseThrow().streams() + ", not exported, holders 0\n");

            Files.writeString(f, "[[device]]\nsize = \"64M\"\n[[device]]\nsize = \"16M\"\n");
            assertThat(h.run("apply", f.toString()).out()).isEqualTo(f + """
                    : 1 change
                      change zram1: exported no -> yes (live)
                    unchanged: zram0
                    applied 1 change
                    """);
            assertThat(h.target.luns().sessionsUsing(1)).isEqualTo(1);
            assertThat(h.ok("zramctl", "--raw", "-n", "-o", "NAME,LUN", "zram1")).isEqualTo("/dev/zram1 1\n");
        }
    }
}
