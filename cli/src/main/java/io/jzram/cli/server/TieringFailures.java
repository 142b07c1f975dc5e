package io.jzram.cli.server;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's handler of the background tiering worker's failures ({@link io.jzram.core.TieringDaemon}):
 * the first failure of a device for a reason (a full or failing backing device, writeback_limit
 * reached) is a warning, later ones for the same device and reason are debug lines. The worker
 * tries the device again at every walk, about once a second while nothing moves, so a device whose
 * backing device stays full would otherwise write a warning a second for as long as it runs.
 *
 * <p>Devices are told apart by name: a device removed and added again under the same name is not
 * warned about again for a reason it was warned about before.
 */
final class TieringFailures implements BiConsumer<ZramDevice, ZramException> {
    private static final Logger LOG = LoggerFactory.getLogger(TieringFailures.class);

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Override
    public void accept(ZramDevice device, ZramException e) {
        if (isFirst(device.name(), e.reason())) {
            LOG.warn("{}: background tiering failed: {} (repeats are logged at debug level)", device.name(), e.getMessage());
        } else {
            LOG.debug("{}: background tiering failed: {}", device.name(), e.getMessage());
        }
    }

    /** Whether this is the first failure of {@code device} for {@code reason}, and so a warning. */
    boolean isFirst(String device, ZramException.Reason reason) {
        return warned.add(device + "\0" + reason.name());
    }
}
