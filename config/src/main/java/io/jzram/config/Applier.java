package io.jzram.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link Plan} all or nothing.
 *
 * <h2>States</h2>
 * <pre>
 *   planned --(every step applied)--> applied
 *      |
 *      +--(a step fails)--> rolling back --(every undo succeeded)--> rolled back (settings as before)
 *                                      \--(an undo failed)---------> broken (said so, device by device)
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A plan with refusals is never started ({@link IllegalStateException}): refusals are
 *       found by the planner before anything changes.</li>
 *   <li>Steps run one at a time, in the plan's order; the caller holds whatever lock keeps
 *       other administrative commands out (the server's set-up lock), so the state the plan was
 *       made from is the state it runs on, except for what initiators do meanwhile (log in: that
 *       makes devices busy; a step that then fails is rolled back like any other).</li>
 *   <li>When step <i>k</i> fails, step <i>k</i> is undone (it may have half run: a reset done, the
 *       new disksize refused), then steps <i>k</i>−1 … 1, in reverse order: each undo restores the
 *       settings its step found, and reverse order restores them in the order they were
 *       changed, so each undo meets the state its step left. Undo is idempotent and changes
 *       nothing where its step changed nothing (see {@link Step}).</li>
 *   <li>Every undo is tried, even after one fails: the report says which devices are as before
 *       and which are not.</li>
 *   <li>An interrupt (Ctrl-C) during a step fails that step; the rollback then runs with the
 *       interrupt cleared (a forced reset drains in-flight I/O, which an interrupt would cut
 *       short) and the interrupt is set again afterwards.</li>
 * </ul>
 *
 * <h2>What is guaranteed after a failure</h2>
 * When every undo succeeds, each device exists or not, and has the disksize, algorithms,
 * algorithm_params, backing_dev, streams, mem_limit, writeback_limit, tiering policy and export
 * setting, exactly as before the apply (an id whose creation was undone has
 * no export setting left: a device created later with it starts exported). Devices a step reset
 * or removed are back empty: contents are never restored. A LUN the plan withdrew is published
 * again, and one it published is withdrawn again, forced: initiators see the LUNs they saw
 * before (after a REPORTED LUNS DATA HAS CHANGED each time).
 */
public final class Applier {
    private Applier() {}

    /** Told about each step as it is done (the commands print progress). */
    public interface Listener {
        void applied(Step step);

        void undone(Step step);

        Listener NONE = new Listener() {
            @Override
            public void applied(Step step) {}

            @Override
            public void undone(Step step) {}
        };
    }

    /**
     * Applies every step.
     *
     * @throws ApplyFailedException when a step failed; the plan was rolled back (see its report)
     * @throws IllegalStateException for a plan with refusals
     */
    public static void apply(Plan plan, DeviceOps ops, Listener listener) throws ApplyFailedException {
        if (!plan.isApplicable()) {
            throw new IllegalStateException("a refused plan must not be applied: " + plan.refusals());
        }
        List<Step> done = new ArrayList<>();
        for (Step step : plan.steps()) {
            try {
                step.apply(ops);
            } catch (Exception e) { // ZramException, InterruptedException, or a bug: all roll back
                boolean interrupted = e instanceof InterruptedException | Thread.interrupted();
                try {
                    List<String> emptied = new ArrayList<>();
                    done.stream().filter(Step::losesData).forEach(s -> emptied.add(s.name()));
                    if (step.losesData() && lostData(step, ops)) {
                        emptied.add(step.name());
                    }
                    List<Step> toUndo = new ArrayList<>();
                    toUndo.add(step);
                    toUndo.addAll(done.reversed());
                    throw new ApplyFailedException(plan, step, e, emptied, rollback(toUndo, ops, listener));
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            done.add(step);
            listener.applied(step);
        }
    }

    /**
     * Whether a step that failed had got as far as throwing its device's data away. A reconfigure
     * withdraws the LUN before its reset, and that loses nothing: the export setting is left out
     * of the comparison.
     */
    private static boolean lostData(Step step, DeviceOps ops) {
        DeviceSettings had = switch (step) {
            case Step.Remove r -> r.had();
            case Step.Reconfigure r -> r.had();
            default -> null;
        };
        return had != null && !ops.find(((Step.DeviceStep) step).id()).map(d -> d.settings().withExported(had.exported()).equals(had)).orElse(false);
    }

    /** One undo that failed. */
    public record UndoFailure(Step step, Exception cause) {}

    private static List<UndoFailure> rollback(List<Step> steps, DeviceOps ops, Listener listener) {
        List<UndoFailure> failures = new ArrayList<>();
        for (Step s : steps) {
            try {
                s.undo(ops);
                listener.undone(s);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.interrupted(); // go on with the other devices
                }
                failures.add(new UndoFailure(s, e));
            }
        }
        return failures;
    }
}
