package io.jzram.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** API SKETCH — /sys/class/zram-control: hot_add / hot_remove. Thread-safe. */
public final class ZramRegistry {
    /** A registry with no devices. */
    public ZramRegistry() {}
    /** Creates the next free id (lowest unused), uninitialized. */
    public ZramDevice hotAdd() { throw new UnsupportedOperationException(); }
    /** Resets and removes; BUSY while open unless force; NO_SUCH_DEVICE for unknown ids. */
    public void hotRemove(int id, boolean force, Duration timeout) throws ZramException, InterruptedException { throw new UnsupportedOperationException(); }
    public Optional<ZramDevice> find(int id) { throw new UnsupportedOperationException(); }
    /** Accepts "zram3", "/dev/zram3" or "3"; NO_SUCH_DEVICE otherwise. */
    public ZramDevice lookup(String nameOrId) throws ZramException { throw new UnsupportedOperationException(); }
    /** Sorted by id. */
    public List<ZramDevice> devices() { throw new UnsupportedOperationException(); }
    public void addListener(Listener l) { throw new UnsupportedOperationException(); }
    public void removeListener(Listener l) { throw new UnsupportedOperationException(); }
    /** Called after a device was added or removed (not under registry locks). */
    public interface Listener { void deviceAdded(ZramDevice d); void deviceRemoved(ZramDevice d); }
}
