package io.jzram.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * From the devices there are and the devices a file wants, the {@link Plan}: which steps, in
 * which order, and whether they may run at all. Pure: it reads snapshots and changes nothing.
 *
 * <h2>States</h2>
 * A device is <em>absent</em>, <em>present but not set up</em> (disksize 0: it has settings but
 * no data) or <em>set up</em> (it has a disksize and, maybe, data); independently, a present
 * device is <em>exported</em> (the iSCSI LUN with its id, held by every logged-in session) or
 * <em>unexported</em> (no initiator sees it, no session holds it). A file says, for each id it
 * lists, absent never: present not set up ({@code size = 0}) or set up, with its settings
 * (disksize, algorithms, algorithm_params, backing_dev, streams, mem_limit, writeback_limit, the
 * tiering policy, exported). Ids the file does not list it says nothing about, unless
 * {@code --prune} makes the file the whole truth: then they should be absent.
 *
 * <h2>From a live device to a wanted one</h2>
 * <ul>
 *   <li>absent → wanted: {@link Step.Create};</li>
 *   <li>settings equal: nothing (unchanged);</li>
 *   <li>only mem_limit, writeback_limit, the tiering policy (recompress_idle_after,
 *       writeback_idle_after, tiering_cpu_budget) and/or exported differ: {@link Step.ChangeLive},
 *       live, the data kept (the kernel's mem_limit and writeback_limit can be written at any time
 *       too; a LUN is withdrawn or published without touching the device);</li>
 *   <li>disksize, the algorithms (the primary or a recompression one), algorithm_params,
 *       backing_dev or streams differ: {@link Step.Reconfigure}, a reset and a new set-up,
 *       because the engine, like the kernel, refuses to change them on a set-up device. The
 *       device's data is lost, which the plan says; the live settings and exported come along;</li>
 *   <li>present, not in the file, {@code --prune}: {@link Step.Remove}; without {@code --prune}
 *       it is kept and listed as such.</li>
 * </ul>
 *
 * <h2>Invariants the plan guarantees before anything runs</h2>
 * <ul>
 *   <li>A step that throws data away (a reset or removal of a set-up device) is refused while
 *       the device is held (an iSCSI session is logged in: every session holds every exported
 *       device) unless {@code --force}: every such refusal is found here, before any step runs,
 *       so a refused plan changes nothing. A device that is not set up has no data and is never
 *       refused for being held (zramctl's {@code -s} rule).</li>
 *   <li>Unexporting a held device (live, or with a reconfiguration) is refused the same way
 *       unless {@code --force}, at the {@code exported} key: withdrawing a disk from logged-in
 *       initiators is as disruptive as hot-removing it, set up or not (the target refuses it
 *       too, so {@code jzram unexport} and a file agree). Exporting is never refused.</li>
 *   <li>Removal needs {@code --prune}: a file that lists some devices must not destroy the
 *       others by accident, e.g. the smaller file of a colleague.</li>
 *   <li>Each id gets at most one step.</li>
 * </ul>
 *
 * <h2>Order</h2>
 * <ol>
 *   <li><b>removals</b>, then <b>reconfigurations</b> (ids ascending): the destructive steps
 *       first, while nothing has been created yet. They free memory (slot tables, data) before
 *       anything new is allocated, and each one's precondition (not busy, or forced) was checked
 *       above for all of them together, so that the likeliest failure, a busy device, stops the
 *       plan before it starts rather than in its middle;</li>
 *   <li><b>live changes</b> that publish no LUN (mem_limit, withdrawals): exactly reversible,
 *       never fail on a valid value (a withdrawal only if a session logged in since the plan
 *       was made, without {@code --force});</li>
 *   <li><b>creations</b> (ids ascending, each with exactly its id): a new device is a new LUN,
 *       announced to every logged-in initiator (REPORTED LUNS DATA CHANGED). Late, initiators see
 *       new LUNs only once everything else is in place, and a rollback rarely has to take a LUN
 *       away that an initiator may have begun to use; the likeliest failure of a creation,
 *       memory, comes after the removals freed theirs;</li>
 *   <li><b>live changes that publish a LUN</b> (exported false → true) last, for the reason
 *       creations come late: a publication is a new LUN for initiators, and one undone by the
 *       rollback of a later failing step would be withdrawn, forced, from initiators that may
 *       have begun to use it. Last, no step can fail after it (a publication itself does not
 *       fail).</li>
 * </ol>
 * Within each step the export setting follows {@link Step}'s order: a device that ends unexported
 * is withdrawn before it is added or reset (it never flashes up as a LUN, and the sessions let go
 * of it before the reset); one the step publishes is published after its set-up.
 *
 * <p>The price of that order: if a creation fails, the devices reconfigured or removed before it
 * are restored (same id, same settings, export setting included) but empty. Data is never
 * brought back by a rollback; the plan lists every step that loses data, and {@code --dry-run}
 * shows it without applying.
 */
public final class Planner {
    private Planner() {}

    /**
     * @param force resets, removals and unexports go ahead while devices are held
     * @param prune devices not in the file are removed
     */
    public record Options(boolean force, boolean prune) {
        public static final Options DEFAULT = new Options(false, false);
    }

    /**
     * @param file what is wanted
     * @param live what there is (any order)
     * @param running the running server's settings, to note those the file would change (null: none to compare)
     * @param defaultStreams what a device's streams are when the file leaves them out
     */
    public static Plan plan(ConfigFile file, List<LiveDevice> live, ServerConfig running, Options options, int defaultStreams) {
        return plan(file, live, running, AccessConfig.OPEN, options, defaultStreams);
    }

    /**
     * @param access who may log in now (the target's list; {@link AccessConfig#OPEN} without a target)
     */
    public static Plan plan(ConfigFile file, List<LiveDevice> live, ServerConfig running, AccessConfig access, Options options,
            int defaultStreams) {
        Map<Integer, LiveDevice> now = new TreeMap<>();
        live.forEach(d -> now.put(d.id(), d));
        List<Step> removals = new ArrayList<>();
        List<Step> reconfigurations = new ArrayList<>();
        List<Step> liveChanges = new ArrayList<>();
        List<Step> creations = new ArrayList<>();
        List<Step> publications = new ArrayList<>();
        List<Integer> unchanged = new ArrayList<>();
        List<LiveDevice> kept = new ArrayList<>();
        List<ConfigError> refusals = new ArrayList<>();

        for (DeviceConfig d : file.devices()) {
            DeviceSettings want = new DeviceSettings(d.size(), d.algorithm(), d.memLimit(),
                    d.streams() == 0 ? defaultStreams : d.streams(), d.exported(), d.tiers());
            LiveDevice is = now.get(d.id());
            if (is == null) {
                creations.add(new Step.Create(d.id(), want, d.at()));
                continue;
            }
            DeviceSettings had = is.settings();
            if (had.equals(want)) {
                unchanged.add(d.id());
            } else if (!had.needsReset(want)) {
                Step.ChangeLive step = new Step.ChangeLive(d.id(), had, want, is.holders(), options.force(),
                        d.position(firstLiveChange(had, want)));
                (step.publishes() ? publications : liveChanges).add(step);
            } else {
                Position where = firstChange(d, had, want);
                Step step = new Step.Reconfigure(d.id(), had, want, is.holders(), options.force(), where);
                reconfigurations.add(step);
                // Rule: a reset that loses data is refused while the device is held, unless --force.
                if (had.isSetUp() && is.holders() > 0 && !options.force()) {
                    refusals.add(new ConfigError(file.name(), where, d.name() + ": " + inUse(is) + "; "
                            + (had.size() != want.size() ? "resizing" : "changing") + " it resets it and loses its data"
                            + " (--force to do it anyway)"));
                }
            }
            // Rule: withdrawing the LUN of a held device is refused, unless --force (set up or not: the
            // initiators lose a disk either way).
            if (had.exported() && !want.exported() && is.holders() > 0 && !options.force()) {
                refusals.add(new ConfigError(file.name(), d.position("exported"), d.name() + ": " + inUse(is)
                        + "; unexporting it withdraws its LUN from logged-in initiators (--force to do it anyway)"));
            }
        }
        for (LiveDevice is : now.values()) {
            if (file.device(is.id()).isPresent()) {
                continue;
            }
            if (!options.prune()) {
                kept.add(is);
                continue;
            }
            removals.add(new Step.Remove(is.id(), is.settings(), is.holders(), options.force()));
            // Rule: a removal that loses data is refused while the device is held, unless --force.
            if (is.settings().isSetUp() && is.holders() > 0 && !options.force()) {
                refusals.add(new ConfigError(file.name(), null, is.name() + ": " + inUse(is)
                        + "; removing it (--prune: it is not in the file) loses its data (--force to remove it anyway)"));
            }
        }
        List<Step> steps = new ArrayList<>();
        Step.ChangeAccess accessChange = accessChange(file, access, running, options, refusals);
        if (accessChange != null) {
            steps.add(accessChange); // first: a restriction takes effect before any device changes
        }
        steps.addAll(removals);
        steps.addAll(reconfigurations);
        steps.addAll(liveChanges);
        steps.addAll(creations);
        steps.addAll(publications);
        refusals.sort(ConfigError.ORDER);
        return new Plan(file, steps, unchanged, kept, serverNotes(file, running), refusals, defaultStreams);
    }

    /**
     * The access step, or null when the file says nothing of access (no [[initiator]], no
     * [discovery]: the running list stays, unless {@code --prune}, which opens it) or says what
     * is in force already. Rule: a file that
     * leaves no [[initiator]] entry where the running server has some is refused while the server
     * listens beyond loopback without {@code allow_any_initiator}: it would open the target to
     * whoever reaches the port, the state the server refuses to start in.
     */
    private static Step.ChangeAccess accessChange(ConfigFile file, AccessConfig had, ServerConfig running, Options options,
            List<ConfigError> refusals) {
        // --prune makes the file the whole truth: one without access tables then means "open".
        AccessConfig want = file.access() != null ? file.access() : options.prune() ? AccessConfig.OPEN : null;
        if (want == null || want.withoutPositions().equals(had.withoutPositions())) {
            return null;
        }
        Position where = want.initiators().isEmpty() ? null : want.initiators().getFirst().position();
        if (!had.isOpen() && running != null && want.exposes(running.listen(), Boolean.TRUE.equals(running.allowAnyInitiator()))) {
            refusals.add(new ConfigError(file.name(), where, "access: no [[initiator]] entry would be left, and the server listens on "
                    + Portals.format(running.listen()) + ": any initiator could log in (keep an entry, or start the server with"
                    + " allow_any_initiator = true)"));
        }
        return new Step.ChangeAccess(had, want, where);
    }

    /**
     * The place of the first setting that forces the reset: size, then algorithm (the primary or
     * a recompression one: one list), algorithm_params, backing_dev, then streams.
     */
    private static Position firstChange(DeviceConfig d, DeviceSettings had, DeviceSettings want) {
        String key = had.size() != want.size() ? "size"
                : !had.algorithm().equals(want.algorithm()) || !had.tiers().recompAlgorithms().equals(want.tiers().recompAlgorithms())
                        ? "algorithm"
                : !had.tiers().algorithmParams().equals(want.tiers().algorithmParams()) ? "algorithm_params"
                : !Objects.equals(had.tiers().backingDev(), want.tiers().backingDev()) ? "backing_dev"
                : "streams";
        return d.position(key);
    }

    /**
     * The key of the first setting a live change changes, in file order: mem_limit,
     * writeback_limit, recompress_idle_after, writeback_idle_after, tiering_cpu_budget, exported.
     */
    private static String firstLiveChange(DeviceSettings had, DeviceSettings want) {
        if (had.memLimit() != want.memLimit()) {
            return "mem_limit";
        }
        if (had.writebackLimit() != want.writebackLimit()) {
            return "writeback_limit";
        }
        if (!Objects.equals(had.policy().recompressIdleAfter(), want.policy().recompressIdleAfter())) {
            return "recompress_idle_after";
        }
        if (!Objects.equals(had.policy().writebackIdleAfter(), want.policy().writebackIdleAfter())) {
            return "writeback_idle_after";
        }
        if (Double.compare(had.policy().cpuBudget(), want.policy().cpuBudget()) != 0) {
            return "tiering_cpu_budget";
        }
        return "exported";
    }

    private static String inUse(LiveDevice d) {
        return "in use by " + d.holders() + " holder" + (d.holders() == 1 ? "" : "s");
    }

    /**
     * [server] settings apply when the server starts; a running server keeps its own. Each one
     * the file gives and the running server does not have is said, not silently skipped.
     */
    static List<String> serverNotes(ConfigFile file, ServerConfig running) {
        List<String> notes = new ArrayList<>();
        if (running == null) {
            return notes;
        }
        ServerConfig s = file.server();
        note(notes, file, s, "listen", s.listen() == null ? null : Portals.format(s.listen()),
                running.listen() == null ? null : Portals.format(running.listen()));
        note(notes, file, s, "advertise", s.advertise() == null ? null : s.advertise().stream().map(Portals::format).toList().toString(),
                running.advertise() == null ? "[]" : running.advertise().stream().map(Portals::format).toList().toString());
        note(notes, file, s, "iqn", s.iqn(), running.iqn());
        note(notes, file, s, "control_socket", s.controlSocket() == null ? null : s.controlSocket().toString(),
                running.controlSocket() == null ? null : running.controlSocket().toString());
        note(notes, file, s, "log_level", s.logLevel() == null ? null : s.logLevel().text(),
                running.logLevel() == null ? null : running.logLevel().text());
        note(notes, file, s, "allow_any_initiator", str(s.allowAnyInitiator()), str(running.allowAnyInitiator()));
        note(notes, file, s, "max_connections", str(s.maxConnections()), str(running.maxConnections()));
        note(notes, file, s, "max_connections_per_address", str(s.maxConnectionsPerAddress()), str(running.maxConnectionsPerAddress()));
        return notes;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static void note(List<String> notes, ConfigFile file, ServerConfig s, String key, String wanted, String running) {
        if (wanted == null || Objects.equals(wanted, running)) {
            return;
        }
        Position p = s.position(key);
        notes.add(new ConfigError(file.name(), p, key + " " + wanted + " differs from the running server's "
                + (running == null ? "(none)" : running) + ": [server] settings take effect when the server starts").toString());
    }
}
