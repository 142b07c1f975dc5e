package io.jzram.config;

import io.jzram.core.ZramException;
import java.util.ArrayList;
import java.util.List;

/**
 * One change of a {@link Plan}: it says what it does, applies itself, and undoes itself.
 *
 * <p>{@link #undo} brings the device back to the settings it had before the plan (existence,
 * disksize, algorithm, streams, mem_limit) from <em>any</em> state {@link #apply} may have left
 * it in, partial ones included: it first looks at the device and does nothing when the settings
 * are already the old ones, so undoing a step that failed before it changed anything changes
 * nothing (and never resets a device whose data is still there). What undo cannot bring back is
 * data: a device that was reset or removed comes back empty.
 */
public sealed interface Step {
    /** The device the step changes. */
    int id();

    /** Where the file asks for this change, or null (a removal: the device is not in the file). */
    Position source();

    /** {@code resize zram0: size 1G -> 2G (reset: its data is lost)}. */
    String describe(int defaultStreams);

    /** Whether applying the step throws the device's data away. */
    boolean losesData();

    void apply(DeviceOps ops) throws ZramException, InterruptedException;

    void undo(DeviceOps ops) throws ZramException, InterruptedException;

    default String name() {
        return "zram" + id();
    }

    /** Device {@code id} comes into being, set up as the file says. */
    record Create(int id, DeviceSettings want, Position source) implements Step {
        @Override
        public String describe(int defaultStreams) {
            return "create " + name() + ": " + want.describe(defaultStreams);
        }

        @Override
        public boolean losesData() {
            return false;
        }

        @Override
        public void apply(DeviceOps ops) throws ZramException, InterruptedException {
            ops.add(id);
            configure(ops, id, want);
        }

        /** Removes it again, forced: it is new, whatever it holds was written during the apply. */
        @Override
        public void undo(DeviceOps ops) throws ZramException, InterruptedException {
            if (ops.find(id).isPresent()) {
                ops.remove(id, true);
            }
        }
    }

    /** Device {@code id} goes away ({@code --prune}: it is not in the file). */
    record Remove(int id, DeviceSettings had, int holders, boolean force) implements Step {
        @Override
        public Position source() {
            return null;
        }

        @Override
        public String describe(int defaultStreams) {
            return "remove " + name() + ": " + had.describe(defaultStreams) + "; not in the file"
                    + (had.isSetUp() ? " (its data is lost)" : "") + held(holders, had);
        }

        @Override
        public boolean losesData() {
            return had.isSetUp();
        }

        /** A device that is not set up has no data: it is removed even while held, as zramctl -s resets one. */
        @Override
        public void apply(DeviceOps ops) throws ZramException, InterruptedException {
            ops.remove(id, force || !had.isSetUp());
        }

        @Override
        public void undo(DeviceOps ops) throws ZramException, InterruptedException {
            restore(ops, id, had);
        }
    }

    /**
     * Device {@code id} is rebuilt with new settings: reset (its data is lost, if it was set up),
     * then configured and set up again. Resize, a new algorithm or number of streams, setting up a
     * device that was not, or leaving it not set up.
     */
    record Reconfigure(int id, DeviceSettings had, DeviceSettings want, int holders, boolean force, Position source) implements Step {
        @Override
        public String describe(int defaultStreams) {
            String verb = !had.isSetUp() && want.isSetUp() ? "set up"
                    : had.isSetUp() && !want.isSetUp() ? "reset"
                    : had.size() != want.size() ? "resize" : "change";
            List<String> changes = new ArrayList<>();
            if (had.size() != want.size()) {
                changes.add("size " + size(had.size()) + " -> " + size(want.size()));
            }
            if (!had.algorithm().equals(want.algorithm())) {
                changes.add("algorithm " + had.algorithm() + " -> " + want.algorithm());
            }
            if (had.streams() != want.streams()) {
                changes.add("streams " + had.streams() + " -> " + want.streams());
            }
            if (had.memLimit() != want.memLimit()) {
                changes.add("mem_limit " + limit(had.memLimit()) + " -> " + limit(want.memLimit()));
            }
            return verb + " " + name() + ": " + String.join(", ", changes)
                    + (had.isSetUp() ? " (reset: its data is lost)" : "") + held(holders, had);
        }

        @Override
        public boolean losesData() {
            return had.isSetUp();
        }

        @Override
        public void apply(DeviceOps ops) throws ZramException, InterruptedException {
            ops.reset(id, force || !had.isSetUp());
            configure(ops, id, want);
        }

        @Override
        public void undo(DeviceOps ops) throws ZramException, InterruptedException {
            restore(ops, id, had);
        }
    }

    /** mem_limit changes on a live device: no reset, data kept. */
    record SetMemLimit(int id, DeviceSettings had, DeviceSettings want, Position source) implements Step {
        @Override
        public String describe(int defaultStreams) {
            return "change " + name() + ": mem_limit " + limit(had.memLimit()) + " -> " + limit(want.memLimit()) + " (live)";
        }

        @Override
        public boolean losesData() {
            return false;
        }

        @Override
        public void apply(DeviceOps ops) throws ZramException {
            ops.setMemLimit(id, want.memLimit());
        }

        @Override
        public void undo(DeviceOps ops) throws ZramException, InterruptedException {
            restore(ops, id, had);
        }
    }

    /**
     * Configures a device that has just been added or reset, in zramctl's order: streams,
     * algorithm, mem_limit, then disksize (which sets it up, if the size is not 0).
     */
    static void configure(DeviceOps ops, int id, DeviceSettings s) throws ZramException {
        ops.setStreams(id, s.streams());
        ops.setAlgorithm(id, s.algorithm());
        ops.setMemLimit(id, s.memLimit());
        if (s.isSetUp()) {
            ops.init(id, s.size());
        }
    }

    /**
     * Brings device {@code id} back to {@code old}: nothing if it already is; mem_limit alone if
     * only that differs (data kept); else re-created or reset (forced: this is a rollback) and
     * configured as before, empty.
     */
    static void restore(DeviceOps ops, int id, DeviceSettings old) throws ZramException, InterruptedException {
        var now = ops.find(id);
        if (now.isEmpty()) {
            ops.add(id);
            configure(ops, id, old);
            return;
        }
        DeviceSettings cur = now.get().settings();
        if (cur.equals(old)) {
            return;
        }
        if (!cur.needsReset(old)) {
            ops.setMemLimit(id, old.memLimit());
            return;
        }
        ops.reset(id, true);
        configure(ops, id, old);
    }

    private static String size(long bytes) {
        return bytes == 0 ? "0 (not set up)" : Sizes.format(bytes);
    }

    private static String limit(long bytes) {
        return bytes == 0 ? "none" : Sizes.format(bytes);
    }

    private static String held(int holders, DeviceSettings had) {
        return holders > 0 && had.isSetUp() ? "; in use by " + holders + " holder" + (holders == 1 ? "" : "s") : "";
    }
}
