package io.jzram.cli.server;

import io.jzram.config.ExportSwitch;
import io.jzram.core.ZramException;
import io.jzram.target.scsi.LunMap;
import java.util.Objects;

/**
 * The iSCSI target's export setting (its {@link LunMap}) as configuration plans use it: the adapter that lets config
 * depend on core only. Made where the server is assembled, the one place that has both.
 */
final class TargetExportSwitch implements ExportSwitch {
    private final LunMap target;

    TargetExportSwitch(LunMap target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /** The switch over {@code target}, or null when there is no target (plans then read every device as exported). */
    static ExportSwitch of(LunMap target) {
        return target == null ? null : new TargetExportSwitch(target);
    }

    @Override
    public boolean isExported(int id) {
        return target.isExported(id);
    }

    @Override
    public void setExported(int id, boolean exported, boolean force) throws ZramException {
        target.setExported(id, exported, force);
    }
}
