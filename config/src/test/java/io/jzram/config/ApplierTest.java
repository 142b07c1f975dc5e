package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("applying a plan: all or nothing, failures rolled back to the settings from before")
class ApplierTest {
    static final long M = 1 << 20;
    final List<ZramRegistry> registries = new ArrayList<>();

    /** zram0 64M lz4 (data written), zram1 32M zstd mem_limit 1M, zram2 not set up, zram4 16M (not in the file). */
    ZramRegistry before() throws Exception {
        ZramRegistry r = new ZramRegistry();
        registries.add(r);
        for (int i = 0; i < 5; i++) {
            r.hotAdd();
        }
        r.hotRemove(3, false, null);
        r.find(0).orElseThrow().init(64 * M);
        ZramDevice z1 = r.find(1).orElseThrow();
        z1.setAlgorithm("zstd");
        z1.setMemLimit(M);
        z1.init(32 * M);
        r.find(4).orElseThrow().init(16 * M);
        r.find(0).orElseThrow().write(ByteBuffer.wrap("kept".repeat(1024).getBytes()), 0);
        return r;
    }

    /** Keeps zram0, resizes zram1 and sets its limit, sets zram2 up, creates zram3 and zram6, prunes zram4. */
    static final String FILE = """
            [[device]]
            id = 0
            size = "64M"
            mem_limit = "8M"
            [[device]]
            id = 1
            size = "48M"
            algorithm = "lz4"
            [[device]]
            id = 2
            size = "8M"
            algorithm = "deflate"
            [[device]]
            id = 3
            size = "4M"
            [[device]]
            id = 6
            size = "4M"
            streams = 1
            """;

    @AfterEach
    void free() throws Exception {
        for (ZramRegistry r : registries) {
            for (ZramDevice d : r.devices()) {
                r.hotRemove(d.id(), true, Duration.ofSeconds(5));
            }
        }
    }

    static List<LiveDevice> state(ZramRegistry r) {
        return new RegistryOps(r, Duration.ofSeconds(5)).devices();
    }

    static Plan plan(ZramRegistry r, Planner.Options options) throws ConfigException {
        RegistryOps ops = new RegistryOps(r, Duration.ofSeconds(5));
        return Planner.plan(ConfigParserTest.load(FILE), ops.devices(), null, options, ops.defaultStreams());
    }

    @Test
    void every_step_applied_gives_the_files_devices() throws Exception {
        ZramRegistry r = before();
        Plan p = plan(r, new Planner.Options(false, true));
        assertThat(p.steps()).hasSize(6);
        List<String> applied = new ArrayList<>();
        Applier.apply(p, new RegistryOps(r, Duration.ofSeconds(5)), new Applier.Listener() {
            @Override
            public void applied(Step step) {
                applied.add(step.name());
            }

            @Override
            public void undone(Step step) {
                throw new AssertionError();
            }
        });
        assertThat(applied).containsExactly("zram4", "zram1", "zram2", "zram0", "zram3", "zram6");
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(state(r)).containsExactly(
                new LiveDevice(0, new DeviceSettings(64 * M, "lz4", 8 * M, cpus), 0),
                new LiveDevice(1, new DeviceSettings(48 * M, "lz4", 0, cpus), 0),
                new LiveDevice(2, new DeviceSettings(8 * M, "deflate", 0, cpus), 0),
                new LiveDevice(3, new DeviceSettings(4 * M, "lz4", 0, cpus), 0),
                new LiveDevice(6, new DeviceSettings(4 * M, "lz4", 0, 1), 0));
        // mem_limit changed live: zram0's data is still there
        ByteBuffer back = ByteBuffer.allocate(4096);
        r.find(0).orElseThrow().read(back, 0);
        assertThat(new String(back.array(), 0, 4)).isEqualTo("kept");
        // and a second apply of the same file changes nothing
        assertThat(plan(r, new Planner.Options(false, true)).isEmpty()).isTrue();
    }

    /** Fails the changes of devices that {@code fails} picks (by 1-based call number and description); reads never fail. */
    static final class FailingOps implements DeviceOps {
        final DeviceOps real;
        final java.util.function.BiPredicate<Integer, String> fails;
        final AtomicInteger calls = new AtomicInteger();

        FailingOps(DeviceOps real, int failAt) {
            this(real, (n, what) -> n == failAt);
        }

        FailingOps(DeviceOps real, java.util.function.BiPredicate<Integer, String> fails) {
            this.real = real;
            this.fails = fails;
        }

        void tick(String what) throws ZramException {
            if (fails.test(calls.incrementAndGet(), what)) {
                throw new ZramException(ZramException.Reason.NO_SPACE, what.startsWith("init 3") ? "zram3: no memory for the slot table"
                        : "injected failure of " + what);
            }
        }

        @Override
        public List<LiveDevice> devices() {
            return real.devices();
        }

        @Override
        public int defaultStreams() {
            return real.defaultStreams();
        }

        @Override
        public void add(int id) throws ZramException, InterruptedException {
            tick("add " + id);
            real.add(id);
        }

        @Override
        public void remove(int id, boolean force) throws ZramException, InterruptedException {
            tick("remove " + id);
            real.remove(id, force);
        }

        @Override
        public void reset(int id, boolean force) throws ZramException, InterruptedException {
            tick("reset " + id);
            real.reset(id, force);
        }

        @Override
        public void setStreams(int id, int streams) throws ZramException {
            tick("streams " + id);
            real.setStreams(id, streams);
        }

        @Override
        public void setAlgorithm(int id, String algorithm) throws ZramException {
            tick("algorithm " + id);
            real.setAlgorithm(id, algorithm);
        }

        @Override
        public void setMemLimit(int id, long bytes) throws ZramException {
            tick("mem_limit " + id);
            real.setMemLimit(id, bytes);
        }

        @Override
        public void init(int id, long size) throws ZramException {
            tick("init " + id);
            real.init(id, size);
        }
    }

    @Test
    void a_failure_at_any_primitive_of_any_step_leaves_every_device_as_it_was() throws Exception {
        // Count the primitives a full apply makes, then fail each one in turn on a fresh registry.
        ZramRegistry counting = before();
        FailingOps count = new FailingOps(new RegistryOps(counting, Duration.ofSeconds(5)), -1);
        Applier.apply(plan(counting, new Planner.Options(false, true)), count, Applier.Listener.NONE);
        int primitives = count.calls.get();
        assertThat(primitives).isGreaterThan(15);

        for (int n = 1; n <= primitives; n++) {
            ZramRegistry r = before();
            List<LiveDevice> was = state(r);
            Plan p = plan(r, new Planner.Options(false, true));
            // Undo never fails here: the injected failure is the n-th call only.
            FailingOps ops = new FailingOps(new RegistryOps(r, Duration.ofSeconds(5)), n);
            int failAt = n;
            assertThatThrownBy(() -> Applier.apply(p, ops, Applier.Listener.NONE))
                    .as("failure at primitive %d", failAt)
                    .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                        assertThat(e.rolledBack()).isTrue();
                        assertThat(e.getMessage()).isNotBlank();
                    });
            assertThat(state(r)).as("after a failure at primitive %d", n).isEqualTo(was);
        }
    }

    @Test
    void the_report_names_the_file_line_and_what_the_rollback_did() throws Exception {
        ZramRegistry r = before();
        Plan p = plan(r, new Planner.Options(false, true));
        // zram3's creation is the 5th step; fail its disksize
        DeviceOps ops = new FailingOps(new RegistryOps(r, Duration.ofSeconds(5)), (n, what) -> what.startsWith("init 3"));
        List<LiveDevice> was = state(r);
        List<String> undone = new ArrayList<>();
        ApplyFailedException e = org.junit.jupiter.api.Assertions.assertThrows(ApplyFailedException.class,
                () -> Applier.apply(p, ops, new Applier.Listener() {
                    @Override
                    public void applied(Step step) {}

                    @Override
                    public void undone(Step step) {
                        undone.add(step.name());
                    }
                }));
        assertThat(undone).containsExactly("zram3", "zram0", "zram2", "zram1", "zram4");
        assertThat(e.lines()).containsExactly(
                "site.toml:13:1: create zram3: size 4M, algorithm lz4: failed: zram3: no memory for the slot table (Cannot allocate memory)",
                "rolled back: every device has its settings from before (zram4, zram1 were reset: data lost)");
        assertThat(state(r)).isEqualTo(was);
        // zram0 only had its mem_limit changed and changed back: its data survived the rollback
        ByteBuffer back = ByteBuffer.allocate(4096);
        r.find(0).orElseThrow().read(back, 0);
        assertThat(new String(back.array(), 0, 4)).isEqualTo("kept");
    }

    @Test
    void a_device_that_became_busy_after_planning_fails_its_reset_and_nothing_is_lost() throws Exception {
        ZramRegistry r = before();
        Plan p = plan(r, Planner.Options.DEFAULT); // no prune: zram1's resize is the first step
        List<LiveDevice> was = state(r);
        try (ZramDevice.Holder h = r.find(1).orElseThrow().open("initiator that logged in meanwhile")) {
            ApplyFailedException e = org.junit.jupiter.api.Assertions.assertThrows(ApplyFailedException.class,
                    () -> Applier.apply(p, new RegistryOps(r, Duration.ofSeconds(5)), Applier.Listener.NONE));
            assertThat(e.emptied()).isEmpty();
            assertThat(e.lines().getFirst()).startsWith("site.toml:7:8: resize zram1: size 32M -> 48M, algorithm zstd -> lz4, mem_limit 1M -> none"
                    + " (reset: its data is lost): failed: zram1: in use by 1 holder (Device or resource busy)");
            assertThat(e.lines().get(1)).isEqualTo("rolled back: every device has its settings from before");
        }
        List<LiveDevice> after = state(r);
        assertThat(after).isEqualTo(was);
    }

    @Test
    void a_refused_plan_is_never_started() throws Exception {
        ZramRegistry r = before();
        try (ZramDevice.Holder h = r.find(1).orElseThrow().open("initiator")) {
            Plan p = plan(r, Planner.Options.DEFAULT);
            assertThat(p.isApplicable()).isFalse();
            assertThatThrownBy(() -> Applier.apply(p, new RegistryOps(r, Duration.ofSeconds(5)), Applier.Listener.NONE))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void a_device_above_a_gap_is_created_with_its_id_and_the_gap_stays() throws Exception {
        ZramRegistry r = new ZramRegistry();
        registries.add(r);
        RegistryOps ops = new RegistryOps(r, Duration.ofSeconds(5));
        ops.add(3);
        assertThat(r.devices()).extracting(ZramDevice::id).containsExactly(3);
        assertThatThrownBy(() -> ops.add(3)).isInstanceOf(ZramException.class).hasMessage("zram3: exists already");
    }
}
