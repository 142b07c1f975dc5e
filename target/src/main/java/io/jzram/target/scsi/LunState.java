package io.jzram.target.scsi;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
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
    private final AtomicLong seenGeneration;

    /** Guarded by this. Null when not open (yet): opening is retried by {@link #ensureHolder}. */
    private ZramDevice.Holder holder;
    /** Guarded by this. */
    private boolean closed;

    LunState(ZramDevice device, UnitAttention initial) {
        this.device = device;
        this.seenGeneration = new AtomicLong(device.generation());
        if (initial != null) {
            unitAttentions.establish(initial);
        }
    }

    int lun() {
        return device.id();
    }

    /**
     * Opens the nexus's holder on the device if it is not open yet. The device refuses holders
     * while a reset or removal holds it (BUSY); then this is retried on the next command.
     */
    synchronized void ensureHolder(String who) {
        if (closed || holder != null) {
            return;
        }
        try {
            holder = device.open(who);
        } catch (ZramException e) {
            log.debug("cannot open {} for {} yet: {}", device.name(), who, e.getMessage());
        }
    }

    synchronized boolean hasHolder() {
        return holder != null;
    }

    /** Releases the holder; the state is dead afterwards. Idempotent. */
    synchronized void close() {
        closed = true;
        if (holder != null) {
            ZramDevice.Holder h = holder;
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
