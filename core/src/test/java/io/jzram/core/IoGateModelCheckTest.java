package io.jzram.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jzram.core.IoGateMutants.Gate;
import io.jzram.core.IoGateMutants.Kind;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.strategy.IncorrectResultsFailure;
import org.jetbrains.kotlinx.lincheck.strategy.LincheckFailure;
import org.jetbrains.kotlinx.lincheck.strategy.ManagedDeadlockFailure;
import org.jetbrains.kotlinx.lincheck.strategy.ManagedLivelockFailure;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checking of {@link IoGate} inside a minimal device model, with Lincheck 3.7's bounded
 * model checker (the data-structure API: {@code LinChecker.check} + {@code ModelCheckingOptions}).
 * Lincheck runs every operation of a scenario on its own thread and explores thread switches at
 * each shared-memory access and synchronisation point; it reports wrong results (checked for
 * linearizability against a sequential specification), failed validation and hangs.
 *
 * <p>Checked: no I/O runs against freed memory; reset never hangs; after reset no I/O enters; an
 * I/O is never refused by a generation that no one reset; the results are linearizable. The same
 * check runs against the two historical bugs ({@link IoGateMutants}) and must fail for each.
 *
 * <p>On JDK 25, Lincheck 3.7's data-structure API works (dynamic agent attach, needs
 * {@code -XX:+EnableDynamicAgentLoading}, which surefire's argLine has). Its newer
 * {@code Lincheck.runConcurrentTest} does NOT: on JDK 25 it returns without running the block even
 * once (on JDK 17 it works), so a test written with it passes vacuously. Hence the data-structure
 * API here, and the "interleavings explored" assertions.
 */
class IoGateModelCheckTest {

    /** What one operation of the device model observed. */
    public enum Outcome {
        INITIALIZED,
        /** The I/O entered the generation and touched its memory. */
        DONE,
        /** The I/O found no generation published yet. */
        NO_DEVICE,
        /** The I/O was refused by a gate that a reset has closed: correct. */
        NOT_INITIALIZED,
        RESET,
        /** Safety violation: the I/O was refused although no reset ever started. */
        SPURIOUS_FAILURE,
        /** Safety violation: the I/O was inside the generation while its memory was freed. */
        USE_AFTER_FREE
    }

    /**
     * The device, reduced to what matters for the gate: a published generation (gate plus memory),
     * an I/O path that enters it lock-free, and a reset that closes the gate, waits for the drain
     * and then frees the memory. Subclasses pick the gate implementation.
     */
    public abstract static class Device {
        /** Every model instance Lincheck creates: one per explored interleaving (a vacuity check). */
        static final AtomicLong INSTANCES = new AtomicLong();

        static final class Generation {
            final Gate gate;
            volatile boolean freed;
            final AtomicInteger touches = new AtomicInteger(); // stands in for the pages

            Generation(Gate gate) {
                this.gate = gate;
            }
        }

        private volatile Generation live;
        private volatile boolean resetStarted;
        private volatile boolean resetDone;

        protected Device() {
            INSTANCES.incrementAndGet();
        }

        protected abstract Kind kind();

        /** Creates the generation, publishes it to the I/O path, then lets the gate take its reference. */
        public Outcome init() {
            Generation g = new Generation(kind().newGate());
            live = g;
            g.gate.init();
            return Outcome.INITIALIZED;
        }

        /** One I/O: look up the generation, enter, touch its memory, leave. */
        @Operation
        public Outcome io() {
            Generation g = live;
            if (g == null) {
                return Outcome.NO_DEVICE;
            }
            if (!g.gate.tryEnter()) {
                return resetStarted ? Outcome.NOT_INITIALIZED : Outcome.SPURIOUS_FAILURE;
            }
            try {
                if (g.freed) {
                    return Outcome.USE_AFTER_FREE;
                }
                g.touches.incrementAndGet(); // the "memory access"
                return g.freed ? Outcome.USE_AFTER_FREE : Outcome.DONE;
            } finally {
                g.gate.exit();
            }
        }

        /** Reset: drop the owner reference, wait (forever) for in-flight I/O to drain, free. */
        @Operation
        public Outcome reset() throws InterruptedException {
            Generation g = live;
            if (g == null) {
                return Outcome.NO_DEVICE;
            }
            resetStarted = true;
            g.gate.close(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            g.freed = true;
            resetDone = true;
            return Outcome.RESET;
        }

        /** After a completed reset the gate is drained for good: nothing inside, nothing can enter. */
        @Validate
        public void drainedAfterReset() {
            Generation g = live;
            if (!resetDone) {
                return;
            }
            if (!g.gate.isClosed() || !g.gate.isDrained() || g.gate.inFlight() != 0) {
                throw new IllegalStateException("reset returned but the gate is not drained");
            }
            if (g.gate.tryEnter()) {
                throw new IllegalStateException("an I/O entered a reset generation");
            }
        }
    }

    /** Sequential specification of {@link Device}: one atomic step per operation. */
    public static class DeviceSpec {
        private enum State { NONE, LIVE, RESET }

        private State state = State.NONE;

        public Outcome init() {
            state = State.LIVE;
            return Outcome.INITIALIZED;
        }

        public Outcome io() {
            return switch (state) {
                case NONE -> Outcome.NO_DEVICE;
                case LIVE -> Outcome.DONE;
                case RESET -> Outcome.NOT_INITIALIZED;
            };
        }

        public Outcome reset() {
            if (state == State.NONE) {
                return Outcome.NO_DEVICE;
            }
            state = State.RESET;
            return Outcome.RESET;
        }
    }

    public static class LiveDeviceSpec extends DeviceSpec {
        public LiveDeviceSpec() {
            init();
        }
    }

    public static class RealDevice extends Device {
        @Override
        protected Kind kind() {
            return Kind.REAL;
        }
    }

    public static class StartsAtZeroDevice extends Device {
        @Override
        protected Kind kind() {
            return Kind.STARTS_AT_ZERO;
        }
    }

    public static class NoWakeupDevice extends Device {
        @Override
        protected Kind kind() {
            return Kind.NO_WAKEUP;
        }
    }

    public static class NoDrainWaitDevice extends Device {
        @Override
        protected Kind kind() {
            return Kind.NO_DRAIN_WAIT;
        }
    }

    /** A real device that is already initialized when the (generated) scenario starts. */
    public static class LiveRealDevice extends RealDevice {
        public LiveRealDevice() {
            init();
        }
    }

    // ---- scenarios ------------------------------------------------------------------------------

    private static final Method INIT = method("init");
    private static final Method IO = method("io");
    private static final Method RESET = method("reset");
    private static final Method VALIDATE = method("drainedAfterReset");

    private static Method method(String name) {
        try {
            return Device.class.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static Actor actor(Method m) {
        return new Actor(m, List.of());
    }

    /**
     * Reset races two in-flight I/Os: init | io ‖ io ‖ reset | io. No I/O may see freed memory,
     * reset must return (the checker reports a hang otherwise), and the I/O after reset is refused.
     */
    static ExecutionScenario resetRacesIo() {
        return new ExecutionScenario(
                List.of(actor(INIT)),
                List.of(List.of(actor(IO)), List.of(actor(IO)), List.of(actor(RESET))),
                List.of(actor(IO)),
                actor(VALIDATE));
    }

    /**
     * I/O races the initialization (publication) of the generation, then a reset:
     * (init; reset) ‖ io ‖ io | io. An I/O may find no device, or enter, or be refused after the
     * reset started, but never be refused by a generation no one reset.
     */
    static ExecutionScenario ioRacesInitThenReset() {
        return new ExecutionScenario(
                List.of(),
                List.of(List.of(actor(INIT), actor(RESET)), List.of(actor(IO)), List.of(actor(IO))),
                List.of(actor(IO)),
                actor(VALIDATE));
    }

    /** Interleavings explored per scenario; each mutant is caught within the first dozen. */
    private static final int INVOCATIONS = 1_000;

    /**
     * The one model-checking configuration every gate is held to: both scenarios, model checking,
     * results checked for linearizability against {@link DeviceSpec}, {@code drainedAfterReset}
     * validated at the end, hangs detected by the checker.
     */
    private static ModelCheckingOptions resetProtocol() {
        return new ModelCheckingOptions()
                .iterations(0) // only the custom scenarios below
                .addCustomScenario(resetRacesIo())
                .addCustomScenario(ioRacesInitThenReset())
                .invocationsPerIteration(INVOCATIONS)
                .sequentialSpecification(DeviceSpec.class)
                .minimizeFailedScenario(false);
    }

    /** Runs the checker, expecting it to fail, and returns the failure it reports. */
    private static LincheckFailure failureOf(Class<? extends Device> device) {
        LincheckAssertionError error = catchThrowableOfType(
                LincheckAssertionError.class, () -> LinChecker.check(device, resetProtocol()));
        assertThat(error).as("the model checker must report a failure for %s", device.getSimpleName()).isNotNull();
        // The report's header and result table: what the checker found, for the test log.
        System.out.println("[expected failure, " + device.getSimpleName() + "]\n"
                + error.getMessage().lines().limit(11).collect(Collectors.joining("\n")));
        return error.getFailure$lincheck(); // Kotlin-internal accessor, public in bytecode
    }

    // ---- the real gate passes --------------------------------------------------------------------

    @Test
    void realGate_passesResetProtocol_noUseAfterFreeNoHangNoSpuriousFailure() {
        long before = Device.INSTANCES.get();
        LinChecker.check(RealDevice.class, resetProtocol());
        // Guards against a vacuous pass (Lincheck 3.7's runConcurrentTest runs nothing on JDK 25).
        assertThat(Device.INSTANCES.get() - before).as("interleavings explored").isGreaterThanOrEqualTo(INVOCATIONS);
    }

    /** Random io/reset scenarios on a live device, checked for linearizability against {@link LiveDeviceSpec}. */
    @Test
    void realGate_generatedScenarios_areLinearizable() {
        long before = Device.INSTANCES.get();
        LinChecker.check(LiveRealDevice.class, new ModelCheckingOptions()
                .iterations(5)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(1)
                .sequentialSpecification(LiveDeviceSpec.class));
        assertThat(Device.INSTANCES.get() - before).as("interleavings explored").isGreaterThan(100);
    }

    // ---- each historical bug is caught by the same check -----------------------------------------

    /** Bug 2: the last exit does not wake reset, which waits forever: the checker reports a hang. */
    @Test
    void noWakeupMutant_isCaught_resetHangs() {
        LincheckFailure failure = failureOf(NoWakeupDevice.class);
        // CountDownLatch.await spins in AQS.acquire before parking, so Lincheck classifies the
        // endless wait as a livelock; a parked-forever reset would be a deadlock. Both are hangs.
        assertThat(failure).isInstanceOfAny(ManagedLivelockFailure.class, ManagedDeadlockFailure.class);
        assertThat(failure.toString()).contains("= The execution has hung =").contains("reset(): <hung>");
    }

    /** Bug 1: an I/O finding the published generation before init took the reference is refused. */
    @Test
    void startsAtZeroMutant_isCaught_ioRefusedThoughNoResetStarted() {
        LincheckFailure failure = failureOf(StartsAtZeroDevice.class);
        assertThat(failure).isInstanceOf(IncorrectResultsFailure.class);
        assertThat(failure.toString()).contains("= Invalid execution results =").contains("io(): " + Outcome.SPURIOUS_FAILURE);
    }

    /** Control: a reset that does not wait frees memory under a running I/O, and the check sees it. */
    @Test
    void noDrainWaitControlMutant_isCaught_ioTouchesFreedMemory() {
        LincheckFailure failure = failureOf(NoDrainWaitDevice.class);
        assertThat(failure).isInstanceOf(IncorrectResultsFailure.class);
        assertThat(failure.toString()).contains("= Invalid execution results =").contains("io(): " + Outcome.USE_AFTER_FREE);
    }
}
