package io.jzram.config;

import io.jzram.core.DeviceSetup;
import io.jzram.core.DeviceSetupException;
import io.jzram.core.ZramException;
import java.util.ArrayList;
import java.util.List;

/**
 * A step of a plan failed and the plan was rolled back. {@link #lines()} says what failed, where
 * the file asks for it, and how the rollback went.
 */
public final class ApplyFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Plan plan;
    private final transient Step step;
    private final transient List<String> emptied;
    private final transient List<Applier.UndoFailure> undoFailures;

    ApplyFailedException(Plan plan, Step step, Exception cause, List<String> emptied, List<Applier.UndoFailure> undoFailures) {
        super(reason(step, cause), cause, false, false);
        this.plan = plan;
        this.step = step;
        this.emptied = List.copyOf(emptied);
        this.undoFailures = List.copyOf(undoFailures);
    }

    public Step step() {
        return step;
    }

    /** Undos that failed: empty when every device is back to its settings from before. */
    public List<Applier.UndoFailure> undoFailures() {
        return undoFailures;
    }

    /** Devices whose data the apply threw away before it failed (they are back, empty). */
    public List<String> emptied() {
        return emptied;
    }

    public boolean rolledBack() {
        return undoFailures.isEmpty();
    }

    /**
     * <pre>
     * site.toml:14:1: create zram2: size 4G, algorithm lz4: failed: zram2: exists already
     * rolled back: every device has its settings from before (zram0 was reset: its data is lost)
     * </pre>
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(new ConfigError(plan.file().name(), step.source(), step.describe(plan.defaultStreams()) + ": failed: " + getMessage()).toString());
        if (undoFailures.isEmpty()) {
            lines.add("rolled back: every device has its settings from before"
                    + (emptied.isEmpty() ? "" : " (" + String.join(", ", emptied) + (emptied.size() == 1 ? " was" : " were")
                            + " reset: data lost)"));
        } else {
            for (Applier.UndoFailure f : undoFailures) {
                lines.add("rollback failed: " + f.step().name() + ": " + message(f.cause()) + " (its settings are not as before)");
            }
        }
        return lines;
    }

    private static String reason(Step step, Exception cause) {
        return cause instanceof InterruptedException ? "interrupted" : message(cause);
    }

    static String message(Exception e) {
        if (e instanceof DeviceSetupException d) {
            // The plan step's description says what was being set up; which set-up step failed,
            // of the many a device with tiers has, is said too (a reset's failure needs no name).
            return d.step() == DeviceSetup.Step.RESET ? message(d.failure()) : d.step().action() + ": " + message(d.failure());
        }
        if (e instanceof ZramException z) {
            String m = z.getMessage();
            return m == null || m.isEmpty() ? z.reason().strerror() : m + " (" + z.reason().strerror() + ")";
        }
        return e instanceof InterruptedException ? "interrupted" : String.valueOf(e.getMessage() == null ? e : e.getMessage());
    }
}
