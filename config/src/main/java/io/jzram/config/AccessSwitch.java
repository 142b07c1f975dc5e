package io.jzram.config;

import io.jzram.core.ZramException;

/**
 * The iSCSI target's access list as plans see it: who may log in now, and the swap. Like
 * {@link ExportSwitch}, an interface so that config depends on core only; the server adapts the
 * target's rules to it.
 */
public interface AccessSwitch {
    /** The access list in force. */
    AccessConfig access();

    /**
     * Puts {@code access} in force at once (one atomic swap): logins from then on follow it;
     * sessions of initiators it no longer allows end; LUNs it takes from an initiator go away from
     * that initiator's sessions.
     *
     * @throws ZramException INVALID_ARGUMENT when the list cannot be put in force (the target
     *     refuses it; nothing changed)
     */
    void setAccess(AccessConfig access) throws ZramException;
}
