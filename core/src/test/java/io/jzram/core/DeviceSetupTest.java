package io.jzram.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.DeviceSetup.Step;
import io.jzram.core.ZramException.Reason;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a device set-up: reset, streams, algorithm, mem_limit, disksize, in that order, under the registry's set-up lock")
class DeviceSetupTest {
    static final long M = 1 << 20;
    final ZramRegistry registry = new ZramRegistry(Duration.ofSeconds(5));

    @AfterEach
    void free() throws Exception {
        for (ZramDevice d : registry.devices()) {
            registry.hotRemove(d.id(), true, Duration.ofSeconds(5));
        }
    }

    static DeviceSetup setup(int streams, String algorithm, long memLimit, long size) {
        return new DeviceSetup(streams, algorithm, memLimit, OptionalLong.of(size));
    }

    @Test
    void every_setting_is_applied_and_the_size_comes_last() throws Exception {
        ZramDevice d = registry.hotAdd();
        registry.setUp(d, setup(2, "zstd", 3 * M, 8 * M), false);
        assertThat(d.isInitialized()).isTrue();
        assertThat(d.diskSize()).isEqualTo(8 * M);
        assertThat(d.algorithm()).isEqualTo("zstd");
        assertThat(d.streams()).isEqualTo(2);
        assertThat(d.memLimit()).isEqualTo(3 * M);
    }

    @Test
    void a_set_up_device_is_reset_first_its_data_freed_and_unnamed_settings_back_to_the_defaults() throws Exception {
        ZramDevice d = registry.hotAdd();
        registry.setUp(d, setup(1, "zstd", M, 4 * M), false);
        d.write(ByteBuffer.wrap(new byte[4096]).put(0, (byte) 7), 0);
        long generation = d.generation();

        registry.setUp(d, DeviceSetup.of(2 * M, null), false);

        assertThat(d.generation()).isGreaterThan(generation);
        assertThat(d.diskSize()).isEqualTo(2 * M);
        assertThat(d.algorithm()).isEqualTo(ZramDevice.DEFAULT_ALGORITHM);
        assertThat(d.streams()).isEqualTo(ZramDevice.DEFAULT_STREAMS);
        assertThat(d.memLimit()).isZero();
        ByteBuffer back = ByteBuffer.allocate(4096);
        d.read(back, 0);
        assertThat(back.get(0)).as("the old data is gone").isZero();
    }

    @Test
    void no_disk_size_leaves_the_device_reset_and_configured_but_not_set_up() throws Exception {
        ZramDevice d = registry.hotAdd();
        registry.setUp(d, setup(1, "lz4", 0, 4 * M), false);
        registry.setUp(d, new DeviceSetup(3, "deflate", 2 * M, OptionalLong.empty()), false);
        assertThat(d.isInitialized()).isFalse();
        assertThat(d.algorithm()).isEqualTo("deflate");
        assertThat(d.streams()).isEqualTo(3);
        assertThat(d.memLimit()).isEqualTo(2 * M);
    }

    @Test
    void a_held_set_up_device_fails_at_the_reset_and_keeps_everything_unless_forced() throws Exception {
        ZramDevice d = registry.hotAdd();
        registry.setUp(d, setup(1, "zstd", 0, 4 * M), false);
        try (ZramDevice.Holder ignored = d.open("session")) {
            assertThatThrownBy(() -> registry.setUp(d, DeviceSetup.of(8 * M, "lz4"), false))
                    .isInstanceOfSatisfying(DeviceSetupException.class, e -> {
                        assertThat(e.step()).isEqualTo(Step.RESET);
                        assertThat(e.reason()).isEqualTo(Reason.BUSY);
                        assertThat(e.device()).isSameAs(d);
                        assertThat(e.getMessage()).startsWith("zram0: failed to reset: ").doesNotContain("zram0: zram0");
                    });
            assertThat(d.diskSize()).isEqualTo(4 * M);
            assertThat(d.algorithm()).isEqualTo("zstd");

            registry.setUp(d, DeviceSetup.of(8 * M, "lz4"), true);
            assertThat(d.diskSize()).isEqualTo(8 * M);
            assertThat(d.algorithm()).isEqualTo("lz4");
        }
    }

    @Test
    void a_held_device_that_is_not_set_up_has_no_data_to_protect_and_is_set_up() throws Exception {
        ZramDevice d = registry.hotAdd();
        try (ZramDevice.Holder ignored = d.open("session")) {
            registry.setUp(d, DeviceSetup.of(M, null), false);
            assertThat(d.isInitialized()).isTrue();
        }
    }

    @Test
    void a_failed_step_leaves_the_steps_before_it_done_and_none_after() throws Exception {
        ZramDevice d = registry.hotAdd();
        assertThatThrownBy(() -> registry.setUp(d, setup(2, "lzo", 5 * M, 4 * M), false))
                .isInstanceOfSatisfying(DeviceSetupException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.ALGORITHM);
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
                });
        assertThat(d.streams()).as("before the algorithm").isEqualTo(2);
        assertThat(d.memLimit()).as("after the algorithm").isZero();
        assertThat(d.isInitialized()).isFalse();

        assertThatThrownBy(() -> registry.setUp(d, setup(3, "deflate", 5 * M, 0), false))
                .isInstanceOfSatisfying(DeviceSetupException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.DISKSIZE);
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("zram0: failed to set disksize: ");
                });
        assertThat(d.streams()).isEqualTo(3);
        assertThat(d.algorithm()).isEqualTo("deflate");
        assertThat(d.memLimit()).isEqualTo(5 * M);
        assertThat(d.isInitialized()).isFalse();
    }

    @Test
    void set_up_free_takes_the_first_device_not_set_up_else_adds_one() throws Exception {
        registry.hotAdd(); // zram0, not set up
        registry.setUp(registry.hotAdd(), DeviceSetup.of(M, null), false); // zram1, set up
        assertThat(registry.setUpFree(DeviceSetup.of(M, null)).id()).isZero();
        assertThat(registry.setUpFree(DeviceSetup.of(M, null)).id()).isEqualTo(2);
        assertThat(registry.findFree().id()).as("find alone adds one, set up by nobody").isEqualTo(3);
        assertThat(registry.findFree().id()).as("and finds it again").isEqualTo(3);
    }

    @Test
    void concurrent_set_ups_of_free_devices_never_pick_the_same_device() throws Exception {
        int threads = 6;
        int each = 15;
        List<ZramDevice> got = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        got.add(registry.setUpFree(DeviceSetup.of(64 * 1024, null)));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(failures).isEmpty();
        assertThat(new HashSet<>(got)).hasSize(threads * each);
        assertThat(registry.devices()).hasSize(threads * each).allMatch(ZramDevice::isInitialized);
    }

    @Test
    void an_exclusive_hold_keeps_other_set_ups_out_until_it_is_closed_but_not_its_own() throws Exception {
        ZramDevice d = registry.hotAdd();
        AtomicBoolean setUp = new AtomicBoolean();
        Thread other;
        try (ZramRegistry.Exclusive held = registry.exclusive()) {
            registry.setUp(d, DeviceSetup.of(M, null), false); // reentrant for the holder
            other = Thread.ofPlatform().start(() -> {
                try {
                    registry.setUpFree(DeviceSetup.of(M, null));
                    setUp.set(true);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            other.join(TimeUnit.MILLISECONDS.toMillis(300));
            assertThat(setUp).as("another set-up waits for the hold").isFalse();
        }
        other.join(5000);
        assertThat(setUp).isTrue();
        assertThat(registry.devices()).hasSize(2);
    }

    @Test
    void settings_out_of_range_are_refused_before_any_device_is_touched() {
        assertThatThrownBy(() -> new DeviceSetup(-1, null, 0, OptionalLong.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceSetup(0, null, -1, OptionalLong.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
