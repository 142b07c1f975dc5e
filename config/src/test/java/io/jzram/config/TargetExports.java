package io.jzram.config;

import io.jzram.core.ZramException;
import io.jzram.target.scsi.ZramCommandSet;

/** The export switch of a real iSCSI target, for tests (the server has its own adapter). */
final class TargetExports {
    private TargetExports() {}

    static ExportSwitch of(ZramCommandSet target) {
        return new ExportSwitch() {
            @Override
            public boolean isExported(int id) {
                return target.luns().isExported(id);
            }

            @Override
            public void setExported(int id, boolean exported, boolean force) throws ZramException {
                target.luns().setExported(id, exported, force);
            }
        };
    }
}
