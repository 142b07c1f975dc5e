package io.jzram.target.scsi;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import io.jzram.core.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which devices are LUNs, and of which sessions: the topology between a {@link ZramRegistry} and
 * the attached I_T nexuses (logged-in sessions).
 *
 * <h2>The rule</h2>
 * A device is the logical unit with its id as LUN for a nexus exactly when
 * <ol>
 *   <li>it is registered (hot-added and not removed),</li>
 *   <li>it is exported (not withdrawn with {@link #setExported}), and</li>
 *   <li>the {@link LunVisibility} rule shows it to the nexus's initiator (LUN masking: an access
 *       list that gives an initiator some devices only).</li>
 * </ol>
 * {@link #shows} is that rule in one call. Every nexus's LUN array ({@link NexusState}) is kept
 * equal to it: each change of one of the three inputs (a device added or removed, an export
 * switched, the visibility rule replaced) adds the LUNs that became visible, with the unit
 * attention a new LUN has (POWER ON, RESET, OR BUS DEVICE RESET OCCURRED), and removes the ones
 * that did not stay, releasing the nexus's holder on the device; either way the nexus gets
 * REPORTED LUNS DATA HAS CHANGED. A LUN that is not visible answers exactly as one that does not
 * exist, because for the command path it does not: it is not in the array.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every change of the topology (nexus list, export settings, the rule, each nexus's LUN
 *       array) happens under {@link #topology}; the command path reads a nexus's LUN array
 *       without locks or allocation (copy-on-write in {@link NexusState}).</li>
 *   <li>A nexus holds every device that is one of its LUNs (an open {@link ZramDevice.Holder}, so
 *       a reset of a device in use fails as busy) and no other: holders are opened when a LUN is
 *       added and closed when it is removed, <em>outside</em> the lock (closing a holder may wait
 *       on the device's lock).</li>
 *   <li>The export setting belongs to the device id while the device exists (an id withdrawn
 *       before its device is added keeps that device hidden; removing the device forgets the
 *       setting, so the next device with that id starts exported).</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops following the registry and detaches every nexus.
 */
public final class LunMap implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LunMap.class);

    private final ZramRegistry registry;

    private final Object topology = new Object();
    @GuardedBy("topology")
    private final List<NexusState> nexuses = new ArrayList<>();
    @GuardedBy("topology")
    private boolean closed;
    /** Ids of devices that are not published as LUNs (see {@link #setExported}). */
    @GuardedBy("topology")
    private final Set<Integer> unexported = new HashSet<>();
    /** Which initiator sees which device (LUN masking); {@link LunVisibility#ALL} by default. */
    @GuardedBy("topology")
    private LunVisibility visibility = LunVisibility.ALL;
    /**
     * The reservations of each device, shared by every nexus's LUN of it; created on first use,
     * forgotten when the device is removed. Its own lock is taken under {@link #topology} (resets)
     * and never the other way round: it calls nothing while held.
     */
    private final Map<ZramDevice, PersistentReservations> reservations = new ConcurrentHashMap<>();

    private final ZramRegistry.Listener listener = new ZramRegistry.Listener() {
        @Override
        public void deviceAdded(ZramDevice device) {
            onDeviceAdded(device);
        }

        @Override
        public void deviceRemoved(ZramDevice device) {
            onDeviceRemoved(device);
        }
    };

    public LunMap(ZramRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        registry.addListener(listener);
    }

    public ZramRegistry registry() {
        return registry;
    }

    /** The rule in one call: whether {@code device} is a LUN of {@code nexus}'s initiator. Under {@link #topology}. */
    @GuardedBy("topology")
    private boolean shows(NexusState nexus, ZramDevice device) {
        return !unexported.contains(device.id()) && visibility.visible(nexus.nexus().initiatorName(), device.id());
    }

    // ------------------------------------------------------------------ nexuses

    /**
     * Attaches a nexus: the devices it may see become its LUNs, each with a holder and the unit
     * attention POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29/00).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    NexusState attach(ItNexus nexus) {
        Objects.requireNonNull(nexus, "nexus");
        NexusState state = new NexusState(this, nexus);
        synchronized (topology) {
            if (closed) {
                throw new IllegalStateException("LUN map closed");
            }
            for (ZramDevice device : registry.devices()) {
                if (shows(state, device)) {
                    addLun(state, device);
                }
            }
            nexuses.add(state);
        }
        log.debug("attached {}", state);
        return state;
    }

    /** Called by {@link NexusState#close()}: forgets the nexus and releases its holders. */
    void detach(NexusState state) {
        List<LunState> luns;
        synchronized (topology) {
            nexuses.remove(state);
            luns = state.clear();
        }
        luns.forEach(LunState::close);
        // An I_T nexus loss ends its RESERVE(6)/(10) reservations; registrations stay (SPC-4).
        luns.forEach(l -> l.reservations.nexusLost(state.port));
        log.debug("detached {}", state);
    }

    /** The reservations of a device (created on first use). */
    PersistentReservations reservations(ZramDevice device) {
        return reservations.computeIfAbsent(device, PersistentReservations::new);
    }

    /** Under {@link #topology}. A stale state for the same id (an older device) is closed. */
    @GuardedBy("topology")
    private void addLun(NexusState state, ZramDevice device) {
        LunState lun = new LunState(device, UnitAttention.RESET_OCCURRED, reservations(device));
        lun.ensureHolder(state.holderName);
        LunState stale = state.put(lun);
        if (stale != null) {
            stale.close();
        }
    }

    /**
     * Under {@link #topology}: makes every nexus's LUN of {@code device} agree with the rule.
     * Returns the LUN states it removed, for the caller to close outside the lock.
     */
    @GuardedBy("topology")
    private List<LunState> reconcile(ZramDevice device) {
        List<LunState> removed = new ArrayList<>();
        for (NexusState state : nexuses) {
            reconcile(state, device, removed);
        }
        return removed;
    }

    @GuardedBy("topology")
    private void reconcile(NexusState state, ZramDevice device, List<LunState> removed) {
        LunState existing = state.lun(device.id());
        boolean has = existing != null && existing.device == device;
        boolean wants = shows(state, device);
        if (wants && !has) {
            addLun(state, device);
            state.nexusAttentions.establish(UnitAttention.REPORTED_LUNS_DATA_CHANGED);
        } else if (!wants && has) {
            removed.add(state.remove(device));
            state.nexusAttentions.establish(UnitAttention.REPORTED_LUNS_DATA_CHANGED);
        }
    }

    private void onDeviceAdded(ZramDevice device) {
        List<LunState> removed;
        synchronized (topology) {
            removed = reconcile(device); // attach may have seen it already: then nothing changes
        }
        removed.forEach(LunState::close);
    }

    private void onDeviceRemoved(ZramDevice device) {
        List<LunState> removed = new ArrayList<>();
        synchronized (topology) {
            unexported.remove(device.id()); // a later device with this id starts exported again
            reservations.remove(device);
            for (NexusState state : nexuses) {
                LunState lun = state.remove(device);
                if (lun != null) {
                    removed.add(lun);
                    state.nexusAttentions.establish(UnitAttention.REPORTED_LUNS_DATA_CHANGED);
                }
            }
        }
        removed.forEach(LunState::close);
    }

    // ------------------------------------------------------------------ the export switch

    /**
     * Publishes or withdraws a device's LUN. Withdrawing removes the LUN from every attached
     * nexus (REPORTED LUNS DATA HAS CHANGED, its holders released, so the device can be reset
     * without --force); publishing adds it back (with a reset unit attention, like a new LUN) to
     * the nexuses that may see it. The setting belongs to the device id while the device exists
     * (see the class documentation). Idempotent: withdrawing a withdrawn LUN or publishing a
     * published one changes nothing and never fails.
     *
     * <p>Withdrawing a LUN that a logged-in session has (see {@link #sessionsUsing}) is as
     * disruptive for that initiator as hot-removing the disk: it fails with
     * {@link ZramException.Reason#BUSY BUSY}, and changes nothing, unless {@code force}. The check
     * and the withdrawal happen under one hold of the topology lock, so no session can attach in
     * between.
     *
     * @param force withdraw the LUN even from logged-in sessions
     * @throws ZramException BUSY when withdrawing a LUN sessions have, without {@code force}
     */
    public void setExported(int deviceId, boolean exported, boolean force) throws ZramException {
        List<LunState> removed;
        synchronized (topology) {
            removed = setExportedLocked(deviceId, exported, force);
        }
        removed.forEach(LunState::close);
    }

    /**
     * The export switch of a device the caller has in hand (a command that looked it up): as
     * {@link #setExported(int, boolean, boolean)}, but if that device is no longer registered
     * (removed meanwhile) it fails with {@link ZramException.Reason#NO_SUCH_DEVICE} and changes
     * nothing. Without the check, a withdrawal racing with hot_remove could record the setting
     * after the removal forgot it, and the next device created with that id would start hidden.
     * (The registry removes a device before it tells this map, under whose lock the check runs:
     * either the check sees the device and the removal's forgetting comes after the change, or it
     * does not and nothing is recorded.)
     *
     * @throws ZramException NO_SUCH_DEVICE; BUSY as for the id form
     */
    public void setExported(ZramDevice device, boolean exported, boolean force) throws ZramException {
        List<LunState> removed;
        synchronized (topology) {
            if (registry.find(device.id()).orElse(null) != device) {
                // Ends here: the device is gone, nothing is recorded; the caller reports "No such device".
                throw new ZramException(ZramException.Reason.NO_SUCH_DEVICE, device.name() + ": no such device");
            }
            removed = setExportedLocked(device.id(), exported, force);
        }
        removed.forEach(LunState::close);
    }

    @GuardedBy("topology")
    private List<LunState> setExportedLocked(int deviceId, boolean exported, boolean force) throws ZramException {
        if (exported == !unexported.contains(deviceId)) {
            return List.of(); // already so
        }
        if (!exported && !force) {
            int sessions = sessionsUsingLocked(deviceId);
            if (sessions > 0) {
                // Ends here: nothing changed, the caller reports BUSY (the CLI with its --force hint).
                throw new ZramException(ZramException.Reason.BUSY, "zram" + deviceId + ": LUN " + deviceId + " in use by "
                        + sessions + " session" + (sessions == 1 ? "" : "s"));
            }
        }
        if (exported) {
            unexported.remove(deviceId);
        } else {
            unexported.add(deviceId);
        }
        ZramDevice device = registry.find(deviceId).orElse(null);
        return device == null ? List.of() : reconcile(device);
    }

    /** Whether the device with this id is published as a LUN (true for ids this map has not been told about). */
    public boolean isExported(int deviceId) {
        synchronized (topology) {
            return !unexported.contains(deviceId);
        }
    }

    // ------------------------------------------------------------------ LUN masking

    /**
     * Replaces the visibility rule and applies it to every attached nexus at once: LUNs the new
     * rule hides leave their nexuses (holders released, REPORTED LUNS DATA HAS CHANGED), LUNs it
     * shows arrive (with a reset unit attention). Masking is the admin's decision: it is never
     * refused as busy, and an initiator that loses a LUN meets it as a LUN that no longer exists,
     * on its next command. New sessions attach under the new rule.
     */
    public void setVisibility(LunVisibility rule) {
        Objects.requireNonNull(rule, "rule");
        List<LunState> removed = new ArrayList<>();
        synchronized (topology) {
            visibility = rule;
            for (ZramDevice device : registry.devices()) {
                for (NexusState state : nexuses) {
                    reconcile(state, device, removed);
                }
            }
        }
        removed.forEach(LunState::close);
    }

    /** The visibility rule in force. */
    public LunVisibility visibility() {
        synchronized (topology) {
            return visibility;
        }
    }

    // ------------------------------------------------------------------ questions and unit attentions

    /**
     * How many attached nexuses (logged-in sessions, discovery sessions are never attached) have
     * the device's LUN now: 0 for an unexported or absent device. A snapshot: a session may log
     * in or out right after.
     */
    public int sessionsUsing(int deviceId) {
        synchronized (topology) {
            return sessionsUsingLocked(deviceId);
        }
    }

    @GuardedBy("topology")
    private int sessionsUsingLocked(int deviceId) {
        int n = 0;
        for (NexusState state : nexuses) {
            if (state.lun(deviceId) != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * LOGICAL UNIT RESET: a reset unit attention on that LUN for every nexus that has it. A
     * requester that does not have the LUN itself (no device, unexported, or masked from its
     * initiator) resets nothing: a masked initiator must not be able to disturb a LUN it cannot see.
     */
    void logicalUnitReset(NexusState requester, long lun) {
        synchronized (topology) {
            if (requester == null || requester.lun(lun) == null) {
                return; // Ends here: the task management function still answers "function complete", as for any LUN without a device
            }
            for (NexusState state : nexuses) {
                LunState s = state.lun(lun);
                if (s != null) {
                    s.unitAttentions.establish(UnitAttention.LOGICAL_UNIT_RESET);
                }
            }
            requester.lun(lun).reservations.reset(); // the RESERVE(6)/(10) reservation ends; persistent ones stay
        }
    }

    /** TARGET WARM / COLD RESET: a reset unit attention on every LUN of every nexus. */
    void targetReset() {
        synchronized (topology) {
            for (NexusState state : nexuses) {
                for (LunState s : state.all()) {
                    s.unitAttentions.establish(UnitAttention.RESET_OCCURRED);
                }
            }
            reservations.values().forEach(PersistentReservations::reset);
        }
    }

    // ------------------------------------------------------------------ reservation effects

    /** How long PREEMPT AND ABORT waits for the preempted nexuses' commands before it answers anyway. */
    static final java.time.Duration DRAIN_LIMIT = java.time.Duration.ofSeconds(30);

    /**
     * Carries out what a reservation change asks (called without the reservations' lock): the unit
     * attentions, on the LUN of {@code device} of every attached nexus with that initiator port
     * (a port with no nexus now simply misses it, as an absent I_T nexus does); then, for PREEMPT
     * AND ABORT, waits until the preempted nexuses' commands on the LUN that passed their
     * reservation check before the change have ended, so that none of their writes lands after
     * the command completes. Those commands are not cut short: on a RAM disk they take
     * microseconds. The wait ends after {@link #DRAIN_LIMIT} with a warning (a command stuck that
     * long is a bug elsewhere; the preemption itself has already taken effect).
     */
    void apply(ZramDevice device, PersistentReservations.Effects effects) {
        List<LunState> drain = new ArrayList<>();
        synchronized (topology) {
            for (NexusState state : nexuses) {
                LunState s = state.lun(device.id());
                if (s == null || s.device != device) {
                    continue;
                }
                for (PersistentReservations.Notice n : effects.notices()) {
                    if (n.port().equals(state.port)) {
                        s.unitAttentions.establish(n.attention());
                    }
                }
                if (effects.drain().contains(state.port)) {
                    drain.add(s);
                }
            }
        }
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        for (LunState s : drain) {
            while (s.inFlight.get() > 0) {
                if (System.nanoTime() > deadline) {
                    log.warn("{}: commands of a preempted nexus still running after {} s; PREEMPT AND ABORT answers anyway",
                            device.name(), DRAIN_LIMIT.toSeconds());
                    return;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // Ends here: the server is stopping; the preemption has taken effect
                }
            }
        }
    }

    /** Stops following the registry and detaches every nexus (releasing all holders). Idempotent. */
    @Override
    public void close() {
        List<NexusState> all;
        synchronized (topology) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(nexuses);
        }
        registry.removeListener(listener);
        all.forEach(NexusState::close);
    }
}
