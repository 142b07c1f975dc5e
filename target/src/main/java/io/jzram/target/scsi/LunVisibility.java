package io.jzram.target.scsi;

/**
 * LUN masking: which exported devices an initiator sees. The access list gives each initiator
 * its own rule; {@link LunMap#setVisibility} puts a new one in force for live sessions too.
 * Implementations are immutable values (the map reads them under its topology lock, and they
 * must not call back into it).
 */
@FunctionalInterface
public interface LunVisibility {
    /** Every initiator sees every exported device: no masking. */
    LunVisibility ALL = (initiator, deviceId) -> true;

    /**
     * @param initiatorName the initiator's iSCSI name as it logged in
     * @param deviceId the device (its LUN is its id)
     */
    boolean visible(String initiatorName, int deviceId);
}
