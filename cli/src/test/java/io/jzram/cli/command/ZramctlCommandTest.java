package io.jzram.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.Harness;
import io.jzram.core.ZramDevice;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("jzram zramctl behaves as util-linux's zramctl")
class ZramctlCommandTest {
    final Harness h = new Harness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Nested
    @DisplayName("setting devices up")
    class Create {
        @Test
        void find_and_size_sets_up_the_first_free_device_and_prints_it() {
            assertThat(h.ok("zramctl", "--find", "--size", "4G", "--algorithm", "lz4")).isEqualTo("/dev/zram0\n");
            assertThat(h.ok("zramctl", "-f", "-s", "256M", "-a", "zstd", "-t", "2")).isEqualTo("/dev/zram1\n");
            ZramDevice zram1 = h.registry.find(1).orElseThrow();
            assertThat(zram1.diskSize()).isEqualTo(256L << 20);
            assertThat(zram1.algorithm()).isEqualTo("zstd");
            assertThat(zram1.streams()).isEqualTo(2);
        }

        @Test
        void find_reuses_a_device_that_is_not_set_up() {
            h.ok("hot-add");
            h.ok("hot-add");
            h.ok("zramctl", "zram0", "-s", "1M");
            assertThat(h.ok("zramctl", "-f")).isEqualTo("/dev/zram1\n");
            assertThat(h.registry.devices()).hasSize(2);
        }

        @Test
        void a_named_device_is_set_up_silently_and_reset_first() {
            h.ok("hot-add");
            assertThat(h.ok("zramctl", "/dev/zram0", "--size", "1.5M")).isEmpty();
            assertThat(h.registry.find(0).orElseThrow().diskSize()).isEqualTo(1572864);
            assertThat(h.ok("zramctl", "zram0", "-s", "2M")).isEmpty();
            assertThat(h.registry.find(0).orElseThrow().diskSize()).isEqualTo(2 << 20);
        }

        @Test
        void a_device_in_use_cannot_be_set_up_again() throws Exception {
            h.ok("zramctl", "-f", "-s", "1M");
            try (ZramDevice.Holder ignored = h.registry.find(0).orElseThrow().open("test")) {
                Harness.Result r = h.run("zramctl", "/dev/zram0", "-s", "2M");
                assertThat(r.status()).isEqualTo(1);
                assertThat(r.err()).isEqualTo("zramctl: /dev/zram0: failed to reset: Device or resource busy\n");
            }
        }

        @Test
        void a_device_never_set_up_is_set_up_even_while_held() throws Exception {
            h.ok("hot-add");
            try (ZramDevice.Holder ignored = h.registry.find(0).orElseThrow().open("session")) {
                assertThat(h.ok("zramctl", "-f", "-s", "1M")).isEqualTo("/dev/zram0\n");
            }
        }

        @Test
        void bad_size() {
            Harness.Result r = h.run("zramctl", "-f", "-s", "4Q");
            assertThat(r).isEqualTo(new Harness.Result(1, "", "zramctl: failed to parse size: '4Q': Invalid argument\n"));
            assertThat(h.run("zramctl", "-f", "-s", "1.2.3").err()).isEqualTo("zramctl: failed to parse size: '1.2.3': Invalid argument\n");
            assertThat(h.run("zramctl", "-f", "-s", "-1").err()).isEqualTo("zramctl: failed to parse size: '-1': Invalid argument\n");
            assertThat(h.run("zramctl", "-f", "-s", "99E").err()).isEqualTo("zramctl: failed to parse size: '99E': Numerical result out of range\n");
            assertThat(h.registry.devices()).isEmpty();
        }

        @Test
        void size_zero_fails_on_disksize() {
            Harness.Result r = h.run("zramctl", "-f", "-s", "0");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("zramctl: /dev/zram0: failed to set disksize (0 bytes): Invalid argument\n");
        }

        @Test
        void bad_algorithm_fails_after_the_reset_as_zramctl_does() {
            Harness.Result r = h.run("zramctl", "-f", "-s", "1M", "-a", "lzo");
            assertThat(r).isEqualTo(new Harness.Result(1, "", "zramctl: /dev/zram0: failed to set algorithm: Invalid argument\n"));
            assertThat(h.registry.find(0).orElseThrow().isInitialized()).isFalse();
        }

        @Test
        void bad_streams() {
            assertThat(h.run("zramctl", "-f", "-s", "1M", "-t", "x").err()).isEqualTo("zramctl: failed to parse streams: 'x': Invalid argument\n");
        }

        @Test
        void algorithm_params_set_the_primary_algorithms_level_as_the_kernels_algorithm_params() {
            assertThat(h.run("zramctl", "-f", "-s", "1M", "-a", "zstd", "-p", "level=9").status()).isZero();
            assertThat(h.registry.find(0).orElseThrow().algorithmChoice(0).level()).isEqualTo(9);
        }

        @Test
        void algorithm_params_the_algorithm_cannot_take_fail_as_the_step_and_leave_the_device_not_set_up() {
            assertThat(h.run("zramctl", "-f", "-s", "1M", "-p", "level=3").err()).as("lz4-java's lz4 has no level")
                    .isEqualTo("zramctl: /dev/zram0: failed to set algorithm params: Invalid argument\n");
            assertThat(h.registry.find(0).orElseThrow().isInitialized()).isFalse();
        }

        @Test
        void unknown_device() {
            assertThat(h.run("zramctl", "/dev/zram7", "-s", "1M")).isEqualTo(new Harness.Result(1, "", "zramctl: /dev/zram7: No such device\n"));
        }

        @Test
        void size_without_device() {
            assertThat(h.run("zramctl", "-s", "1M")).isEqualTo(new Harness.Result(1, "", "zramctl: no device specified\n"));
        }
    }

    @Nested
    @DisplayName("listing")
    class Status {
        @Test
        void lists_only_devices_that_are_set_up() {
            h.ok("zramctl", "-f", "-s", "1G", "-t", "2");
            h.ok("hot-add");
            assertThat(h.ok("zramctl")).isEqualTo("""
                    NAME       ALGORITHM DISKSIZE DATA COMPR TOTAL STREAMS LUN
                    /dev/zram0 lz4             1G   0B    0B    0B       2   0
                    """);
        }

        @Test
        void no_devices_prints_nothing() {
            assertThat(h.run("zramctl")).isEqualTo(new Harness.Result(0, "", ""));
        }

        @Test
        void a_named_device_is_shown_even_when_not_set_up() {
            h.ok("hot-add");
            assertThat(h.ok("zramctl", "zram0", "-o", "NAME,DISKSIZE", "--raw", "-n")).isEqualTo("/dev/zram0 0B\n");
        }

        @Test
        void data_is_counted() throws Exception {
            h.ok("zramctl", "-f", "-s", "1M", "-t", "1");
            ZramDevice d = h.registry.find(0).orElseThrow();
            d.write(ByteBuffer.allocate(8192), 0); // two zero-filled pages: no allocation
            assertThat(h.ok("zramctl", "-b", "-o", "NAME,DATA,COMPR,ZERO-PAGES,TOTAL,COMP-RATIO")).isEqualTo("""
                    NAME       DATA COMPR ZERO-PAGES TOTAL COMP-RATIO
                    /dev/zram0 8192     0          2     0 \n""");
        }

        @Test
        void every_mode() {
            h.ok("zramctl", "-f", "-s", "64M", "-t", "4", "-a", "deflate");
            assertThat(h.ok("zramctl", "--raw")).isEqualTo("NAME ALGORITHM DISKSIZE DATA COMPR TOTAL STREAMS LUN\n/dev/zram0 deflate 64M 0B 0B 0B 4 0\n");
            assertThat(h.ok("zramctl", "--bytes", "--noheadings")).isEqualTo("/dev/zram0 deflate 67108864 0 0 0 4 0\n");
            assertThat(h.ok("zramctl", "-o", "+MEM-LIMIT", "--raw")).isEqualTo(
                    "NAME ALGORITHM DISKSIZE DATA COMPR TOTAL STREAMS LUN MEM-LIMIT\n/dev/zram0 deflate 64M 0B 0B 0B 4 0 0B\n");
            assertThat(h.ok("zramctl", "--output-all", "--raw", "-n")).isEqualTo("/dev/zram0 64M 0B 0B deflate 4 0 0B 0B 0B 0  0 \n");
        }

        @Test
        void tiers_when_asked_for() throws Exception {
            h.ok("zramctl", "-f", "-s", "1M", "-t", "1");
            h.ok("hot-add");
            ZramDevice d = h.registry.find(0).orElseThrow();
            d.write(ByteBuffer.allocate(8192), 0); // two zero-filled pages
            byte[] text = "compressible ".repeat(316).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            d.write(ByteBuffer.wrap(java.util.Arrays.copyOf(text, 4096)), 8192);
            assertThat(h.ok("zramctl")).doesNotContain("TIERS");
            assertThat(h.ok("zramctl", "-o", "NAME,DATA,TIERS")).isEqualTo("""
                    NAME       DATA TIERS
                    /dev/zram0  12K lz4:4K same:8K
                    """);
            assertThat(h.ok("zramctl", "-b", "-o", "+TIERS", "-n")).endsWith(" 0 lz4:4096 same:8192\n");
            assertThat(h.ok("zramctl", "zram1", "-o", "NAME,TIERS", "--raw", "-n")).isEqualTo("/dev/zram1 \n"); // not set up
        }

        @Test
        void unknown_column() {
            assertThat(h.run("zramctl", "-o", "NAME,FOO")).isEqualTo(new Harness.Result(1, "", "zramctl: unknown column: FOO\n"));
        }

        @Test
        void unknown_device() {
            assertThat(h.run("zramctl", "zram3")).isEqualTo(new Harness.Result(1, "", "zramctl: zram3: No such device\n"));
        }
    }

    @Nested
    @DisplayName("resetting")
    class Reset {
        @Test
        void reset_resets_and_removes_every_device_named() {
            h.ok("zramctl", "-f", "-s", "1M");
            h.ok("zramctl", "-f", "-s", "1M");
            assertThat(h.run("zramctl", "-r", "/dev/zram0", "zram1")).isEqualTo(new Harness.Result(0, "", ""));
            assertThat(h.registry.devices()).isEmpty();
        }

        @Test
        void a_busy_device_fails_and_the_others_are_still_reset() throws Exception {
            h.ok("zramctl", "-f", "-s", "1M");
            h.ok("zramctl", "-f", "-s", "1M");
            try (ZramDevice.Holder ignored = h.registry.find(1).orElseThrow().open("initiator")) {
                Harness.Result r = h.run("zramctl", "-r", "/dev/zram1", "/dev/zram9", "/dev/zram0");
                assertThat(r.status()).isEqualTo(1);
                assertThat(r.err()).isEqualTo("""
                        zramctl: /dev/zram1: failed to reset: Device or resource busy
                        zramctl: /dev/zram9: failed to reset: No such device
                        """);
                assertThat(h.registry.devices()).extracting(ZramDevice::name).containsExactly("zram1");
            }
        }

        @Test
        void force_resets_a_device_in_use() throws Exception {
            h.ok("zramctl", "-f", "-s", "1M");
            ZramDevice d = h.registry.find(0).orElseThrow();
            try (ZramDevice.Holder ignored = d.open("initiator")) {
                assertThat(h.run("zramctl", "-r", "--force", "zram0").status()).isZero();
            }
            assertThat(h.registry.devices()).isEmpty();
        }

        @Test
        void reset_needs_a_device() {
            assertThat(h.run("zramctl", "-r")).isEqualTo(new Harness.Result(1, "", "zramctl: no device specified\n"));
        }
    }

    @Nested
    @DisplayName("option checks, in zramctl's words")
    class Checks {
        @Test
        void exclusive_options() {
            assertThat(h.run("zramctl", "-f", "-o", "NAME").err()).isEqualTo("zramctl: options --find and --output cannot be combined\n");
            assertThat(h.run("zramctl", "-s", "1M", "-r", "zram0").err()).isEqualTo("zramctl: options --size and --reset cannot be combined\n");
            assertThat(h.run("zramctl", "-r", "-f", "zram0").err()).isEqualTo("zramctl: options --reset and --find cannot be combined\n");
            assertThat(h.run("zramctl", "-o", "NAME", "-s", "1M").status()).isEqualTo(1);
        }

        @Test
        void find_with_a_device() {
            assertThat(h.run("zramctl", "-f", "zram0")).isEqualTo(new Harness.Result(1, "", "zramctl: option --find is mutually exclusive with <device>\n"));
        }

        @Test
        void one_device_at_a_time() {
            assertThat(h.run("zramctl", "zram0", "zram1").err()).isEqualTo("zramctl: only one <device> at a time is allowed\n");
        }

        @Test
        void algorithm_and_streams_need_size() {
            assertThat(h.run("zramctl", "-a", "lz4").err())
                    .isEqualTo("zramctl: options --algorithm, --algorithm-params, and --streams must be combined with --size\n");
            assertThat(h.run("zramctl", "-f", "-t", "2").status()).isEqualTo(1);
        }

        @Test
        void force_needs_reset() {
            assertThat(h.run("zramctl", "--force").err()).isEqualTo("zramctl: option --force must be combined with --reset\n");
        }

        @Test
        void unknown_option() {
            Harness.Result r = h.run("zramctl", "--frobnicate");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("zramctl: unrecognized option '--frobnicate'\nTry 'jzram zramctl --help' for more information.\n");
        }

        @Test
        void the_last_of_a_repeated_option_wins_as_with_getopt() {
            assertThat(h.ok("zramctl", "-f", "-s", "1M", "-s", "2M")).isEqualTo("/dev/zram0\n");
            assertThat(h.registry.find(0).orElseThrow().diskSize()).isEqualTo(2 << 20);
        }
    }

    @Test
    void the_algorithms_in_the_help_are_the_engines() {
        assertThat(ZramctlCommand.ALGORITHMS).isEqualTo(io.jzram.core.compress.CompressionAlgorithms.availableNames());
        assertThat(h.ok("zramctl", "--help")).contains("   lz4, lz4hc, zstd, deflate\n");
    }

    @Test
    void help_and_version() {
        Harness.Result help = h.run("zramctl", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: jzram zramctl [options] [<device>]", "Available output columns:", "COMP-RATIO",
                "       TIERS  uncompressed size of stored data per tier",
                "Exit status:", "-s, --size=<size>");
        assertThat(h.ok("zramctl", "-V")).startsWith("zramctl from jzram ");
    }
}
