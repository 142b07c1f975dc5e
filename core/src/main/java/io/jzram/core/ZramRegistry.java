package io.jzram.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The set of devices, like {@code /sys/class/zram-control}: {@link #hotAdd()} creates the
 * device with the lowest free id (zram0, zram1, …), {@link #hotRemove} resets and removes one,
 * failing as busy while it is in use.
 *
 * <p>Thread-safe. Changes to the set of devices serialise on the registry's monitor; lookups
 * are lock-free. A removal drains the device's in-flight I/O (up to its timeout) <em>outside</em>
 * the monitor, under the device's own administrative lock: while it drains, the device is still
 * listed (its id is not handed out again, {@code hotAdd(id)} fails as busy, a second removal
 * waits for the first and then finds it gone), and other devices can be added and removed.
 * Listeners are called after the change, outside the monitor, on the thread that made it.
 *
 * <h2>Set-ups</h2>
 * Setting a device up ({@link #setUp}, {@link #setUpFree}) runs {@link DeviceSetup}'s steps under
 * the registry's set-up lock, which every set-up takes itself. The lock is what makes zramctl's
 * "find a free device, then set it up" one step (two clients never pick the same device), and it
 * is what a caller holds ({@link #exclusive()}) when it needs the devices' settings to stay as it
 * read them over several changes: planning and applying a configuration file, saving one, an
 * export switch. It is never taken on the I/O path.
 */
public final class ZramRegistry {

    private static final Pattern NAME = Pattern.compile("(?:/dev/)?(?:zram)?(\\d{1,9})");

    /** Live devices by id; structural changes under {@code this}, reads lock-free. */
    private final ConcurrentSkipListMap<Integer, ZramDevice> devices = new ConcurrentSkipListMap<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    /**
     * Held by every set-up, and by {@link #exclusive()} callers across several changes; reentrant,
     * so a holder of {@link #exclusive()} can set devices up. Taken before the monitor, never after.
     */
    private final ReentrantLock setupLock = new ReentrantLock();
    /** How long a set-up's reset waits for in-flight I/O of a device it may reset. */
    private final Duration drainTimeout;

    /** The wait of a forced reset or removal for in-flight I/O unless the caller says otherwise. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** A registry with no devices; set-ups wait {@link #DEFAULT_DRAIN_TIMEOUT} for in-flight I/O. */
    public ZramRegistry() {
        this(DEFAULT_DRAIN_TIMEOUT);
    }

    /** @param drainTimeout how long a set-up's (forced) reset waits for in-flight I/O; null = as long as it takes */
    public ZramRegistry(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    /** How long a set-up's reset waits for in-flight I/O. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    // ------------------------------------------------------------------ set-ups

    /**
     * Sets a device up: {@link DeviceSetup}'s steps (reset, streams, algorithm, mem_limit,
     * disksize) under the set-up lock.
     *
     * @param forceReset reset the device even while it is held (its data is lost); a device that
     *     is not set up is reset even while held, since it has no data
     * @throws DeviceSetupException the step that failed (the device is left as that step found
     *     it: reset, partly configured, not set up)
     * @throws InterruptedException while the reset drained in-flight I/O
     */
    public void setUp(ZramDevice device, DeviceSetup setup, boolean forceReset) throws DeviceSetupException, InterruptedException {
        setupLock.lock();
        try {
            setup.applyTo(device, forceReset, drainTimeout);
        } finally {
            setupLock.unlock();
        }
    }

    /**
     * zramctl {@code --find --size}: finds a free device ({@link #findFree()}) and sets it up, in
     * one hold of the set-up lock, so two callers never pick the same device.
     *
     * @return the device set up
     * @throws DeviceSetupException the step that failed; the device stays (as the kernel's does),
     *     not set up
     */
    public ZramDevice setUpFree(DeviceSetup setup) throws DeviceSetupException, InterruptedException {
        setupLock.lock();
        try {
            ZramDevice device = findFree();
            setup.applyTo(device, false, drainTimeout);
            return device;
        } finally {
            setupLock.unlock();
        }
    }

    /**
     * zramctl's {@code find_free_zram}: the first existing device that is not set up, else a new
     * one at the first free id. Under the set-up lock (a device found here may still be taken by a
     * set-up that starts right after the lock is released: use {@link #setUpFree} to take it).
     */
    public ZramDevice findFree() {
        setupLock.lock();
        try {
            for (int id = 0; ; id++) {
                ZramDevice d = devices.get(id);
                if (d == null) {
                    return hotAdd();
                }
                if (!d.isInitialized()) {
                    return d;
                }
            }
        } finally {
            setupLock.unlock();
        }
    }

    /**
     * Holds the set-up lock until the returned hold is closed: no set-up runs meanwhile, except the
     * holder's own. For reading the devices' settings and changing them as one step
     * (try-with-resources).
     */
    public Exclusive exclusive() {
        setupLock.lock();
        return setupLock::unlock;
    }

    /** A hold of the set-up lock; closing it releases the lock. */
    @FunctionalInterface
    public interface Exclusive extends AutoCloseable {
        @Override
        void close();
    }

    // ------------------------------------------------------------------ the set of devices

    /** Creates an uninitialized device with the lowest unused id. */
    public ZramDevice hotAdd() {
        ZramDevice device;
        synchronized (this) {
            int id = 0;
            for (int used : devices.keySet()) {
                if (used != id) {
                    break;
                }
                id++;
            }
            device = new ZramDevice(id);
            devices.put(id, device);
        }
        for (Listener l : listeners) {
            l.deviceAdded(device);
        }
        return device;
    }

    /**
     * Creates an uninitialized device with a chosen id, for provisioning files that name their
     * devices (the kernel's hot_add has no such form; it always takes the lowest free id).
     *
     * @throws ZramException BUSY if a device with that id exists; INVALID_ARGUMENT for a negative id
     */
    public ZramDevice hotAdd(int id) throws ZramException {
        if (id < 0) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, "device id must be >= 0: " + id);
        }
        ZramDevice device;
        synchronized (this) {
            if (devices.containsKey(id)) {
                throw new ZramException(ZramException.Reason.BUSY, "zram" + id + ": exists already");
            }
            device = new ZramDevice(id);
            devices.put(id, device);
        }
        for (Listener l : listeners) {
            l.deviceAdded(device);
        }
        return device;
    }

    /**
     * Resets and removes a device.
     *
     * @param force remove even while it is open (holders see NOT_INITIALIZED from then on)
     * @param timeout how long to wait for in-flight I/O; null = as long as it takes
     * @throws ZramException NO_SUCH_DEVICE; BUSY while open and not forced; TIMED_OUT (the
     *     device stays registered, uninitialized, and a new removal resumes the drain)
     */
    public void hotRemove(int id, boolean force, Duration timeout) throws ZramException, InterruptedException {
        ZramDevice device = devices.get(id);
        if (device == null) {
            throw new ZramException(ZramException.Reason.NO_SUCH_DEVICE, "zram" + id + ": no such device");
        }
        try {
            device.remove(force, timeout); // claim, drain, free: not under the monitor
        } catch (ZramException e) {
            if (e.reason() == ZramException.Reason.NO_SUCH_DEVICE) { // a concurrent removal won
                throw new ZramException(ZramException.Reason.NO_SUCH_DEVICE, "zram" + id + ": no such device");
            }
            throw e;
        }
        synchronized (this) {
            devices.remove(id, device);
        }
        for (Listener l : listeners) {
            l.deviceRemoved(device);
        }
    }

    public Optional<ZramDevice> find(int id) {
        return Optional.ofNullable(devices.get(id));
    }

    /**
     * Finds a device by {@code zram3}, {@code /dev/zram3} or {@code 3}.
     *
     * @throws ZramException NO_SUCH_DEVICE for an unknown or malformed name
     */
    public ZramDevice lookup(String nameOrId) throws ZramException {
        Matcher m = NAME.matcher(nameOrId == null ? "" : nameOrId.trim());
        if (m.matches()) {
            ZramDevice d = devices.get(Integer.parseInt(m.group(1)));
            if (d != null) {
                return d;
            }
        }
        throw new ZramException(ZramException.Reason.NO_SUCH_DEVICE, nameOrId + ": no such device");
    }

    /** The devices, sorted by id. */
    public List<ZramDevice> devices() {
        return List.copyOf(devices.values());
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Told about devices added and removed, after the fact, outside registry locks. */
    public interface Listener {
        void deviceAdded(ZramDevice device);

        void deviceRemoved(ZramDevice device);
    }
}
