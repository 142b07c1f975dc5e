package io.jzram.config;

import io.jzram.core.DeviceSetupException;
import io.jzram.core.ZramException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One change of a {@link Plan}: it says what it does, applies itself, and undoes itself.
 *
 * <p>{@link #undo} brings the device back to the settings it had before the plan (existence,
 * disksize, algorithms, algorithm_params, backing_dev, streams, mem_limit, writeback_limit,
 * tiering policy, export setting) from <em>any</em> state {@link #apply}
 * may have left it in, partial ones included: it first looks at the device and does nothing when
 * the settings are already the old ones, so undoing a step that failed before it changed anything
 * changes nothing (and never resets a device whose data is still there). What undo cannot bring
 * back is data: a device that was reset or removed comes back empty.
 *
 * <h2>The export setting and the order of primitives</h2>
 * The target keeps the setting by device id, and an id withdrawn before its device is added keeps
 * the device from ever appearing as a LUN (see {@link ExportSwitch#setExported}). Every step
 * uses that, so that initiators never see a LUN that the file (or, in a rollback, the old state)
 * says they must not, and so that sessions let go of a device before it is reset:
 * <ul>
 *   <li>a device that ends <em>unexported</em> is withdrawn <b>first</b>: before its
 *       {@code add} (create, restore of a removed device), before its reset (reconfigure,
 *       restore), or on its own (live change). Withdrawing releases every session's holder, so
 *       the reset that follows finds no session holding it;</li>
 *   <li>a device that ends <em>exported</em> and was not is published <b>last</b>, by
 *       {@link #configure} after its disksize: initiators meet it set up, with its new
 *       settings. A device created exported appears as a LUN when it is added, as a hot-added
 *       device does, and is set up right after (initiators see CAPACITY DATA HAS CHANGED), as
 *       before the export setting existed. Withdrawing it before its add as well would hide
 *       that, but withdrawing needs a target, and plans also run on a registry without one,
 *       where every device reads as exported and a withdrawal fails;</li>
 *   <li>withdrawing a LUN that sessions have is BUSY unless forced: steps pass the plan's
 *       {@code --force} (the planner refused the plan without it when the device was held);
 *       withdrawals of a device that does not exist yet or whose sessions a rollback must
 *       override are forced.</li>
 * </ul>
 */
public sealed interface Step {
    /** What the step changes, for reports: {@code zram3}, {@code access}. */
    String name();

    /** Where the file asks for this change, or null (a removal: the device is not in the file). */
    Position source();

    /** {@code resize zram0: size 1G -> 2G (reset: its data is lost)}. */
    String describe(int defaultStreams);

    /** Whether applying the step throws the device's data away. */
    boolean losesData();

    void apply(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException;

    void undo(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException;

    /** A step that changes one device. */
    sealed interface DeviceStep extends Step {
        /** The device the step changes. */
        int id();

        @Override
        default String name() {
            return "zram" + id();
        }
    }

    /**
     * Device {@code id} comes into being, set up as the file says. An unexported one is withdrawn
     * before it exists, so it never appears as a LUN; an exported one appears when it is added.
     */
    record Create(int id, DeviceSettings want, Position source) implements DeviceStep {
        @Override
        public String describe(int defaultStreams) {
            return "create " + name() + ": " + want.describe(defaultStreams);
        }

        @Override
        public boolean losesData() {
            return false;
        }

        @Override
        public void apply(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException {
            if (!want.exported()) {
                ops.setExported(id, false, true); // no device yet, so no session: force changes nothing
            }
            ops.add(id);
            configure(ops, id, want, false); // new: its reset has nothing to free
        }

        /**
         * Removes it again, forced: it is new, whatever it holds was written during the apply.
         * Then forgets the id's export setting: removal forgets it already, but an apply that
         * failed between the withdrawal and the add left it for an id with no device, and a
         * device created later with that id (by zramctl, say) must start exported.
         */
        @Override
        public void undo(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException {
            if (ops.find(id).isPresent()) {
                ops.remove(id, true);
            }
            ops.setExported(id, true, true);
        }
    }

    /** Device {@code id} goes away ({@code --prune}: it is not in the file). */
    record Remove(int id, DeviceSettings had, int holders, boolean force) implements DeviceStep {
        @Override
        public Position source() {
            return null;
        }

        @Override
        public String describe(int defaultStreams) {
            return "remove " + name() + ": " + had.describe(defaultStreams) + "; not in the file"
                    + (had.isSetUp() ? " (its data is lost)" : "") + (had.isSetUp() ? held(holders) : "");
        }

        @Override
        public boolean losesData() {
            return had.isSetUp();
        }

        /** A device that is not set up has no data: it is removed even while held, as zramctl -s resets one. */
        @Override
        public void apply(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException {
            ops.remove(id, force || !had.isSetUp());
        }

        @Override
        public void undo(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException {
            restore(ops, id, had);
        }
    }

    /**
     * Device {@code id} is rebuilt with new settings: reset (its data is lost, if it was set up),
     * then configured and set up again. Resize, a new algorithm (primary or recompression),
     * algorithm_params, backing device or number of streams, setting up a device that was not, or
     * leaving it not set up.
     */
    record Reconfigure(int id, DeviceSettings had, DeviceSettings want, int holders, boolean force, Position source) implements DeviceStep {
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
            changes.addAll(DeviceSettings.tierChanges(had.tiers(), want.tiers()));
            if (had.streams() != want.streams()) {
                changes.add("streams " + had.streams() + " -> " + want.streams());
            }
            if (had.memLimit() != want.memLimit()) {
                changes.add("mem_limit " + limit(had.memLimit()) + " -> " + limit(want.memLimit()));
            }
            changes.addAll(DeviceSettings.liveTierChanges(had.tiers(), want.tiers()));
            if (had.exported() != want.exported()) {
                changes.add(exported(had, want));
            }
            return verb + " " + name() + ": " + String.join(", ", changes)
                    + (had.isSetUp() ? " (reset: its data is lost)" : "")
                    + (had.isSetUp() || unexports(had, want) ? held(holders) : "");
        }

        @Override
        public boolean losesData() {
            return had.isSetUp();
        }

        /**
         * An unexport first (sessions let go of the device), then the set-up (its reset throws the
         * data away; busy while held unless forced) with the new settings; an export last.
         */
        @Override
        public void apply(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException {
            if (unexports(had, want)) {
                ops.setExported(id, false, force);
            }
            configure(ops, id, want, force);
        }

        @Override
        public void undo(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException {
            restore(ops, id, had);
        }
    }

    /**
     * mem_limit, writeback_limit, the tiering policy and/or the export setting change on a live
     * device: no reset, data kept. The device's settings first (they never fail on a valid value),
     * then the LUN is withdrawn (BUSY while sessions have it, unless forced) or published.
     */
    record ChangeLive(int id, DeviceSettings had, DeviceSettings want, int holders, boolean force, Position source) implements DeviceStep {
        @Override
        public String describe(int defaultStreams) {
            List<String> changes = new ArrayList<>();
            if (had.memLimit() != want.memLimit()) {
                changes.add("mem_limit " + limit(had.memLimit()) + " -> " + limit(want.memLimit()));
            }
            changes.addAll(DeviceSettings.liveTierChanges(had.tiers(), want.tiers()));
            if (had.exported() != want.exported()) {
                changes.add(exported(had, want));
            }
            return "change " + name() + ": " + String.join(", ", changes) + " (live)" + (unexports(had, want) ? held(holders) : "");
        }

        @Override
        public boolean losesData() {
            return false;
        }

        /** Whether the step makes the device a LUN that initiators see. */
        public boolean publishes() {
            return !had.exported() && want.exported();
        }

        @Override
        public void apply(DeviceOps ops) throws ZramException {
            setLive(ops, id, had, want);
            if (had.exported() != want.exported()) {
                ops.setExported(id, want.exported(), force);
            }
        }

        @Override
        public void undo(DeviceOps ops) throws ZramException, DeviceSetupException, InterruptedException {
            restore(ops, id, had);
        }
    }

    /**
     * Who may log in changes: {@code [[initiator]]} entries added, changed or removed, discovery
     * CHAP set, changed or cleared. One step for the whole access list: the target swaps it
     * atomically, so no login ever sees half of a change, and undo swaps the old one back. An
     * initiator removed, or a device taken from its list, loses its access at once (its sessions
     * are dropped or the LUN goes away), as the target does for a live change.
     */
    record ChangeAccess(AccessConfig had, AccessConfig want, Position source) implements Step {
        public ChangeAccess {
            had = had.withoutPositions();
        }

        @Override
        public String name() {
            return "access";
        }

        @Override
        public String describe(int defaultStreams) {
            List<String> changes = new ArrayList<>();
            for (InitiatorConfig w : want.initiators()) {
                var h = had.initiator(w.name());
                if (h.isEmpty()) {
                    changes.add("add initiator " + w.name() + " (" + w.describe() + ")");
                } else if (!h.get().equals(w.withoutPosition())) {
                    changes.add("change initiator " + w.name() + " (" + w.describe() + ")");
                }
            }
            for (InitiatorConfig h : had.initiators()) {
                if (want.initiator(h.name()).isEmpty()) {
                    changes.add("remove initiator " + h.name() + " (its sessions end)");
                }
            }
            if (!Objects.equals(had.discovery(), want.discovery())) {
                changes.add(want.discovery() == null ? "discovery open to any initiator"
                        : "discovery with " + want.discovery().describe());
            }
            return "access: " + String.join("; ", changes);
        }

        @Override
        public boolean losesData() {
            return false;
        }

        @Override
        public void apply(DeviceOps ops) throws ZramException {
            ops.setAccess(want.withoutPositions());
        }

        @Override
        public void undo(DeviceOps ops) throws ZramException {
            ops.setAccess(had);
        }
    }

    /**
     * Sets a device up with {@code s} through the registry's one set-up sequence (reset, streams,
     * algorithm, mem_limit, then disksize when the size is not 0), then publishes its LUN if it is
     * to be exported. A device that is to be unexported was withdrawn before its add or set-up
     * (see the class documentation), so the last call only publishes or changes nothing, and
     * {@code true} for its force cannot matter.
     *
     * @param forceReset reset the device even while held (a set-up device's data is lost)
     */
    static void configure(DeviceOps ops, int id, DeviceSettings s, boolean forceReset)
            throws ZramException, DeviceSetupException, InterruptedException {
        ops.setUp(id, s.setup(), forceReset);
        ops.setExported(id, s.exported(), true);
    }

    /**
     * Brings device {@code id} back to {@code old}: nothing if it already is; mem_limit,
     * writeback_limit, the tiering policy and the export setting alone if only they differ (data kept); else re-created or reset (forced: this
     * is a rollback) and configured as before, empty. The export setting follows the class's
     * order: a device that was unexported is withdrawn before the add or the reset; one that was
     * exported and is not is published again after the set-up (a re-created one appears when it
     * is added); withdrawals are forced, a rollback puts back what was, whoever logged in
     * meanwhile.
     */
    static void restore(DeviceOps ops, int id, DeviceSettings old) throws ZramException, DeviceSetupException, InterruptedException {
        var now = ops.find(id);
        if (now.isEmpty()) {
            if (!old.exported()) {
                ops.setExported(id, false, true);
            }
            ops.add(id);
            configure(ops, id, old, true);
            return;
        }
        DeviceSettings cur = now.get().settings();
        if (cur.equals(old)) {
            return;
        }
        if (!cur.needsReset(old)) {
            setLive(ops, id, cur, old);
            if (cur.exported() != old.exported()) {
                ops.setExported(id, old.exported(), true);
            }
            return;
        }
        if (!old.exported()) {
            ops.setExported(id, false, true);
        }
        configure(ops, id, old, true);
    }

    /**
     * The device settings that change live, those that differ: mem_limit, writeback_limit, the
     * tiering policy (none of them fails on a valid value).
     */
    private static void setLive(DeviceOps ops, int id, DeviceSettings had, DeviceSettings want) throws ZramException {
        if (had.memLimit() != want.memLimit()) {
            ops.setMemLimit(id, want.memLimit());
        }
        if (had.writebackLimit() != want.writebackLimit()) {
            ops.setWritebackLimit(id, want.writebackLimit());
        }
        if (!had.policy().equals(want.policy())) {
            ops.setTieringPolicy(id, want.policy());
        }
    }

    /** Whether going from {@code had} to {@code want} withdraws the device's LUN. */
    static boolean unexports(DeviceSettings had, DeviceSettings want) {
        return had.exported() && !want.exported();
    }

    private static String exported(DeviceSettings had, DeviceSettings want) {
        return "exported " + (had.exported() ? "yes" : "no") + " -> " + (want.exported() ? "yes" : "no");
    }

    private static String size(long bytes) {
        return bytes == 0 ? "0 (not set up)" : Sizes.format(bytes);
    }

    private static String limit(long bytes) {
        return bytes == 0 ? "none" : Sizes.format(bytes);
    }

    private static String held(int holders) {
        return holders > 0 ? "; in use by " + holders + " holder" + (holders == 1 ? "" : "s") : "";
    }
}
