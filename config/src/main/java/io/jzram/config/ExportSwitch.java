package io.jzram.config;

import io.jzram.core.ZramException;

/**
 * The iSCSI target's export setting as plans see it: whether a device id is published as a LUN,
 * and the switch. An interface so that config depends on core only: the server, which assembles
 * the target, hands plans an adapter over its LUN map.
 */
public interface ExportSwitch {
    /** Whether device {@code id} is published as a LUN (true for ids the target has not been told about). */
    boolean isExported(int id);

    /**
     * Publishes or withdraws device {@code id}'s LUN. The setting belongs to the id, so it can be
     * made before the device exists; idempotent.
     *
     * @throws ZramException BUSY when withdrawing a LUN that logged-in sessions have, without {@code force}
     */
    void setExported(int id, boolean exported, boolean force) throws ZramException;
}
