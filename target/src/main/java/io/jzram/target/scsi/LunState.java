package io.jzram.target.scsi;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical unit as one nexus sees it (an I_T_L nexus): the device, the nexus's holder on it,
 * its pending unit attentions and the device generation it last saw.
 */
final class LunState {
    private static final Logger log = LoggerFactory.getLogger(LunState.class);

    final ZramDevice device;
    final UnitAttentions unitAttentions = new UnitAttentions();
    /** The device's reservations, shared with every other nexus's state of this device. */
    final PersistentReservations reservations;
    /**
     * Commands of this nexus on this LUN between their reservation check and their end. Raised
     * before the check and lowered after the command, so that PREEMPT AND ABORT, which publishes
     * the new reservations first and then waits for this to reach 0, knows every command that saw
     * the old ones has finished (both sides are volatile accesses: one of them sees the other).
     */
    final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong seenGeneration;

    /** Written under this; read lock-free. Null when not open (yet): opening is retried by {@link #ensureHolder}. */
    private volatile ZramDevice.Holder holder;
    /** Written under this; read lock-free. */
    private volatile boolean closed;

    LunState(ZramDevice device, UnitAttention initial, PersistentReservations reservations) {
        this.device = device;
        this.reservations = reservations;
        this.seenGeneration = new AtomicLong(device.generation());
        if (initial != null) {
            unitAttentions.establish(initial);
        }
    }

    int lun() {
        return device.id();
    }

    /**
     * Opens the nexus's holder on the device if it is not open yet: lock-free when it is (every
     * command calls this). The device refuses holders while a reset or removal holds it (BUSY);
     * then this is retried on the next command.
     */
    void ensureHolder(String who) {
        if (holder != null || closed) {
            return;
        }
        synchronized (this) {
            if (holder != null || closed) {
                return;
            }
            try {
                holder = device.open(who);
            } catch (ZramException e) {
                log.debug("cannot open {} for {} yet: {}", device.name(), who, e.getMessage());
            }
        }
    }

    /** Releases the holder; the state is dead afterwards. Idempotent. */
    synchronized void close() {
        closed = true;
        ZramDevice.Holder h = holder;
        if (h != null) {
            holder = null;
            h.close();
        }
    }

    /**
     * Compares the device's generation with the one this nexus last saw and establishes CAPACITY
     * DATA HAS CHANGED when the device was (re)initialised in between.
     */
    void noteGeneration() {
        long now = device.generation();
        long seen = seenGeneration.get();
        if (now != seen && seenGeneration.compareAndSet(seen, now)) {
            unitAttentions.establish(UnitAttention.CAPACITY_DATA_CHANGED);
        }
    }
}
