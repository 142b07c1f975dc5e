package io.jzram.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.DeviceSetup;
import io.jzram.core.DeviceSetupException;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import io.jzram.target.scsi.ItNexus;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ScsiCommandSet;
import io.jzram.target.scsi.ZramCommandSet;
import java.net.InetSocketAddress;
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
    final List<ZramCommandSet> targets = new ArrayList<>();

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
        targets.forEach(ZramCommandSet::close);
        for (ZramRegistry r : registries) {
            for (ZramDevice d : r.devices()) {
                r.hotRemove(d.id(), true, Duration.ofSeconds(5));
            }
        }
    }

    static List<LiveDevice> state(ZramRegistry r) {
        return new RegistryOps(r, null, Duration.ofSeconds(5)).devices();
    }

    static Plan plan(ZramRegistry r, Planner.Options options) throws ConfigException {
        RegistryOps ops = new RegistryOps(r, null, Duration.ofSeconds(5));
        return Planner.plan(ConfigParserTest.load(FILE), ops.devices(), null, options, ops.defaultStreams());
    }

    @Test
    void every_step_applied_gives_the_files_devices() throws Exception {
        ZramRegistry r = before();
        Plan p = plan(r, new Planner.Options(false, true));
        assertThat(p.steps()).hasSize(6);
        List<String> applied = new ArrayList<>();
        Applier.apply(p, new RegistryOps(r, null, Duration.ofSeconds(5)), new Applier.Listener() {
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
                new LiveDevice(0, new DeviceSettings(64 * M, "lz4", 8 * M, cpus, true), 0),
                new LiveDevice(1, new DeviceSettings(48 * M, "lz4", 0, cpus, true), 0),
                new LiveDevice(2, new DeviceSettings(8 * M, "deflate", 0, cpus, true), 0),
                new LiveDevice(3, new DeviceSettings(4 * M, "lz4", 0, cpus, true), 0),
                new LiveDevice(6, new DeviceSettings(4 * M, "lz4", 0, 1, true), 0));
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
        /** Every change asked for, in order, the failed one included. */
        final List<String> log = new ArrayList<>();
        /** Runs before each change, to watch what initiators see in between. */
        Runnable observer = () -> {};

        FailingOps(DeviceOps real, int failAt) {
            this(real, (n, what) -> n == failAt);
        }

        FailingOps(DeviceOps real, java.util.function.BiPredicate<Integer, String> fails) {
            this.real = real;
            this.fails = fails;
        }

        void tick(String what) throws ZramException {
            observer.run();
            log.add(what);
            if (fails.test(calls.incrementAndGet(), what)) {
                throw new ZramException(ZramException.Reason.NO_SPACE, what.startsWith("set-up 3") ? "zram3: no memory for the slot table"
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

        /**
         * The set-up, failed before it starts or after it finished: a device left set up by a step
         * reported as failed must be rolled back too. (A failure inside the sequence, with the
         * device reset and partly configured, is DeviceSetupTest's; undo handles any state.)
         */
        @Override
        public void setUp(int id, DeviceSetup setup, boolean force) throws ZramException, DeviceSetupException, InterruptedException {
            tick("set-up " + id);
            real.setUp(id, setup, force);
            tick("set up " + id);
        }

        @Override
        public void setMemLimit(int id, long bytes) throws ZramException {
            tick("mem_limit " + id);
            real.setMemLimit(id, bytes);
        }

        @Override
        public void setWritebackLimit(int id, long pages) throws ZramException {
            tick("writeback_limit " + id);
            real.setWritebackLimit(id, pages);
        }

        @Override
        public void setTieringPolicy(int id, io.jzram.core.TieringPolicy policy) throws ZramException {
            tick("tiering " + id);
            real.setTieringPolicy(id, policy);
        }

        @Override
        public void setExported(int id, boolean exported, boolean force) throws ZramException {
            tick((exported ? "export " : "unexport ") + id);
            real.setExported(id, exported, force);
        }

        @Override
        public AccessConfig access() {
            return real.access();
        }

        @Override
        public void setAccess(AccessConfig access) throws ZramException {
            tick("access");
            real.setAccess(access);
        }
    }

    @Test
    void a_failure_at_any_primitive_of_any_step_leaves_every_device_as_it_was() throws Exception {
        // Count the primitives a full apply makes, then fail each one in turn on a fresh registry.
        ZramRegistry counting = before();
        FailingOps count = new FailingOps(new RegistryOps(counting, null, Duration.ofSeconds(5)), -1);
        Applier.apply(plan(counting, new Planner.Options(false, true)), count, Applier.Listener.NONE);
        int primitives = count.calls.get();
        assertThat(primitives).isGreaterThan(15);

        for (int n = 1; n <= primitives; n++) {
            ZramRegistry r = before();
            List<LiveDevice> was = state(r);
            Plan p = plan(r, new Planner.Options(false, true));
            // Undo never fails here: the injected failure is the n-th call only.
            FailingOps ops = new FailingOps(new RegistryOps(r, null, Duration.ofSeconds(5)), n);
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
        // zram3's creation is the 5th step; fail its set-up
        DeviceOps ops = new FailingOps(new RegistryOps(r, null, Duration.ofSeconds(5)), (n, what) -> what.startsWith("set-up 3"));
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
                    () -> Applier.apply(p, new RegistryOps(r, null, Duration.ofSeconds(5)), Applier.Listener.NONE));
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
            assertThatThrownBy(() -> Applier.apply(p, new RegistryOps(r, null, Duration.ofSeconds(5)), Applier.Listener.NONE))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void a_device_above_a_gap_is_created_with_its_id_and_the_gap_stays() throws Exception {
        ZramRegistry r = new ZramRegistry();
        registries.add(r);
        RegistryOps ops = new RegistryOps(r, null, Duration.ofSeconds(5));
        ops.add(3);
        assertThat(r.devices()).extracting(ZramDevice::id).containsExactly(3);
        assertThatThrownBy(() -> ops.add(3)).isInstanceOf(ZramException.class).hasMessage("zram3: exists already");
    }

    // ------------------------------------------------------------------ the export setting

    /** A registry and its iSCSI target, with one initiator logged in: it has the LUNs of the exported devices. */
    record Exported(ZramRegistry registry, ZramCommandSet target, ScsiCommandSet.NexusHandle session) {
        RegistryOps ops() {
            return new RegistryOps(registry, TargetExports.of(target), Duration.ofSeconds(5));
        }

        /** For ids 0 to 6: whether the id is exported, and how many sessions have its LUN. */
        List<String> luns() {
            List<String> luns = new ArrayList<>();
            for (int id = 0; id <= 6; id++) {
                luns.add(id + (target.luns().isExported(id) ? " exported" : " unexported") + ", sessions " + target.luns().sessionsUsing(id));
            }
            return luns;
        }
    }

    /**
     * zram0 64M (data written), zram1 32M unexported, zram2 16M, zram4 16M unexported (not in the
     * file); one session logged in, holding zram0 and zram2.
     */
    Exported exportedBefore() throws Exception {
        ZramRegistry r = new ZramRegistry();
        registries.add(r);
        ZramCommandSet t = new ZramCommandSet(r, new LunIdentity("iqn.2026-11.io.jzram:test"));
        targets.add(t);
        for (int id : new int[] {0, 1, 2, 4}) {
            r.hotAdd(id);
        }
        r.find(0).orElseThrow().init(64 * M);
        r.find(0).orElseThrow().write(ByteBuffer.wrap("kept".repeat(1024).getBytes()), 0);
        r.find(1).orElseThrow().init(32 * M);
        t.luns().setExported(1, false, false);
        r.find(2).orElseThrow().init(16 * M);
        r.find(4).orElseThrow().init(16 * M);
        t.luns().setExported(4, false, false);
        ScsiCommandSet.NexusHandle session = t.attach(new ItNexus(1, "iqn.1993-08.org.debian:01:cafe", "400001370000",
                InetSocketAddress.createUnresolved("127.0.0.1", 40000)));
        return new Exported(r, t, session);
    }

    /**
     * Withdraws zram0 (live, with a new mem_limit), publishes zram1 (live), withdraws zram2 with a
     * resize, creates zram3 unexported and zram5 exported, prunes zram4.
     */
    static final String EXPORT_FILE = """
            [[device]]
            id = 0
            size = "64M"
            mem_limit = "8M"
            exported = false
            [[device]]
            id = 1
            size = "32M"
            [[device]]
            id = 2
            size = "48M"
            exported = false
            [[device]]
            id = 3
            size = "4M"
            exported = false
            [[device]]
            id = 5
            size = "4M"
            """;

    static Plan exportPlan(Exported e) throws ConfigException {
        RegistryOps ops = e.ops();
        return Planner.plan(ConfigParserTest.load(EXPORT_FILE), ops.devices(), null, new Planner.Options(true, true), ops.defaultStreams());
    }

    @Test
    void a_device_that_ends_unexported_is_withdrawn_before_its_add_or_reset_and_one_that_ends_exported_published_after_its_set_up()
            throws Exception {
        Exported e = exportedBefore();
        Plan p = exportPlan(e);
        assertThat(p.steps()).extracting(Step::name).containsExactly("zram4", "zram2", "zram0", "zram3", "zram5", "zram1");
        FailingOps ops = new FailingOps(e.ops(), -1);

        Applier.apply(p, ops, Applier.Listener.NONE);

        assertThat(ops.log).containsExactly(
                "remove 4",
                "unexport 2", "set-up 2", "set up 2", "unexport 2",
                "mem_limit 0", "unexport 0",
                "unexport 3", "add 3", "set-up 3", "set up 3", "unexport 3",
                "add 5", "set-up 5", "set up 5", "export 5",
                "export 1");
        assertThat(e.luns()).containsExactly(
                "0 unexported, sessions 0",
                "1 exported, sessions 1",
                "2 unexported, sessions 0",
                "3 unexported, sessions 0",
                "4 exported, sessions 0", // removed: its setting is forgotten
                "5 exported, sessions 1",
                "6 exported, sessions 0");
        // zram0 changed live: the session let go of it and its data is still there
        assertThat(e.ops().find(0).orElseThrow().holders()).isZero();
        ByteBuffer back = ByteBuffer.allocate(4096);
        e.registry().find(0).orElseThrow().read(back, 0);
        assertThat(new String(back.array(), 0, 4)).isEqualTo("kept");
        assertThat(exportPlan(e).isEmpty()).isTrue();
    }

    @Test
    void a_failure_at_any_primitive_restores_every_export_setting_and_an_unexported_device_never_appears_as_a_lun()
            throws Exception {
        Exported counting = exportedBefore();
        FailingOps count = new FailingOps(counting.ops(), -1);
        Applier.apply(exportPlan(counting), count, Applier.Listener.NONE);
        int primitives = count.calls.get();

        for (int n = 1; n <= primitives; n++) {
            Exported e = exportedBefore();
            List<LiveDevice> was = state(e);
            List<String> lunsWere = e.luns();
            Plan p = exportPlan(e);
            FailingOps ops = new FailingOps(e.ops(), n);
            // zram1 and zram4 are unexported before and after, zram3 is created unexported: none may
            // appear as a LUN at any moment, rollback included.
            List<String> flashes = new ArrayList<>();
            ops.observer = () -> {
                for (int id : new int[] {1, 3, 4}) {
                    if (e.target().luns().sessionsUsing(id) > 0) {
                        flashes.add("zram" + id + " before primitive " + (ops.calls.get() + 1));
                    }
                }
            };
            int failAt = n;
            assertThatThrownBy(() -> Applier.apply(p, ops, Applier.Listener.NONE))
                    .as("failure at primitive %d (%s)", failAt, ops.log.isEmpty() ? "" : ops.log.get(Math.min(failAt, ops.log.size()) - 1))
                    .isInstanceOfSatisfying(ApplyFailedException.class, f -> assertThat(f.rolledBack()).isTrue());
            ops.observer.run();
            assertThat(flashes).as("after a failure at primitive %d", n).isEmpty();
            assertThat(state(e)).as("after a failure at primitive %d", n).isEqualTo(was);
            assertThat(e.luns()).as("after a failure at primitive %d", n).isEqualTo(lunsWere);
        }
    }

    @Test
    void a_withdrawal_a_session_makes_busy_after_planning_fails_and_is_rolled_back() throws Exception {
        Exported e = exportedBefore();
        e.session().close(); // nobody holds anything while the plan is made: no --force needed
        RegistryOps planOps = e.ops();
        Plan p = Planner.plan(ConfigParserTest.load("""
                [[device]]
                id = 0
                size = "64M"
                mem_limit = "8M"
                exported = false
                """), planOps.devices(), null, Planner.Options.DEFAULT, planOps.defaultStreams());
        assertThat(p.isApplicable()).isTrue();
        List<LiveDevice> was = state(e);
        try (ScsiCommandSet.NexusHandle meanwhile = e.target().attach(new ItNexus(2, "iqn.1993-08.org.debian:01:beef", "400001370001",
                InetSocketAddress.createUnresolved("127.0.0.1", 40001)))) {
            ApplyFailedException f = org.junit.jupiter.api.Assertions.assertThrows(ApplyFailedException.class,
                    () -> Applier.apply(p, e.ops(), Applier.Listener.NONE));
            assertThat(f.lines()).containsExactly(
                    "site.toml:4:13: change zram0: mem_limit none -> 8M, exported yes -> no (live): failed: zram0: LUN 0 in use by 1 session"
                            + " (Device or resource busy)",
                    "rolled back: every device has its settings from before");
            assertThat(e.target().luns().sessionsUsing(0)).isEqualTo(1);
            List<LiveDevice> held = was.stream().map(d -> d.exported() ? new LiveDevice(d.id(), d.settings(), 1) : d).toList();
            assertThat(state(e)).isEqualTo(held);
        }
    }

    static List<LiveDevice> state(Exported e) {
        return e.ops().devices();
    }
}
