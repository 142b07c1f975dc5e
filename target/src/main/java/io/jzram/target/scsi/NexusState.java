package io.jzram.target.scsi;

import io.jzram.core.ZramDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attached I_T nexus: its logical units (copy-on-write array indexed by LUN, so that the
 * command path looks a LUN up without locks or allocation) and its nexus-wide REPORTED LUNS DATA
 * HAS CHANGED condition. Its LUNs change only under the {@link LunMap}'s topology lock (the
 * methods that say so); the command path reads them lock-free.
 */
final class NexusState implements ScsiCommandSet.NexusHandle {
    private final ItNexus nexus;
    private final LunMap owner;
    final String holderName;
    /** This nexus's initiator port: its identity for reservations. */
    final InitiatorPort port;
    /** Nexus-wide: only {@link UnitAttention#REPORTED_LUNS_DATA_CHANGED} is established here. */
    final UnitAttentions nexusAttentions = new UnitAttentions();
    private volatile LunState[] luns = new LunState[0];
    private final AtomicBoolean closed = new AtomicBoolean();

    NexusState(LunMap owner, ItNexus nexus) {
        this.owner = owner;
        this.nexus = nexus;
        this.holderName = "iscsi:" + nexus.initiatorName();
        this.port = InitiatorPort.of(nexus);
    }

    @Override
    public ItNexus nexus() {
        return nexus;
    }

    /** The logical unit at this LUN, or null. */
    LunState lun(long lun) {
        LunState[] a = luns;
        return lun >= 0 && lun < a.length ? a[(int) lun] : null;
    }

    /** LUNs with a logical unit, ascending. */
    int[] lunNumbers() {
        LunState[] a = luns;
        int n = 0;
        for (LunState s : a) {
            if (s != null) {
                n++;
            }
        }
        int[] ids = new int[n];
        int j = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != null) {
                ids[j++] = i;
            }
        }
        return ids;
    }

    List<LunState> all() {
        List<LunState> list = new ArrayList<>();
        for (LunState s : luns) {
            if (s != null) {
                list.add(s);
            }
        }
        return list;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Under the topology lock. Returns the state it replaced (a stale one for the same id), or null. */
    LunState put(LunState state) {
        int id = state.lun();
        LunState[] a = luns;
        LunState[] b = Arrays.copyOf(a, Math.max(a.length, id + 1));
        LunState old = b[id];
        b[id] = state;
        luns = b;
        return old;
    }

    /** Under the topology lock. Removes the state of exactly this device object, if present. */
    LunState remove(ZramDevice device) {
        LunState[] a = luns;
        int id = device.id();
        if (id >= a.length || a[id] == null || a[id].device != device) {
            return null;
        }
        LunState old = a[id];
        LunState[] b = a.clone();
        b[id] = null;
        luns = b;
        return old;
    }

    /** Under the topology lock: forgets every LUN and returns them. */
    List<LunState> clear() {
        List<LunState> list = all();
        luns = new LunState[0];
        return list;
    }

    /** Logout or connection loss: releases every holder. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            owner.detach(this);
        }
    }

    @Override
    public String toString() {
        return "nexus " + nexus.id() + " (" + nexus.initiatorName() + ", isid " + nexus.isid() + ")";
    }
}
