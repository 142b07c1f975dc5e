package io.jzram.target.scsi;

/**
 * The unit attention conditions this target establishes, in the order they are reported when
 * several are pending (SPC-4 5.14, SAM-5 5.14): resets first, then capacity, then LUN inventory.
 */
enum UnitAttention {
    /** 29/01 POWER ON OCCURRED: first nexus of an initiator port since the target started, or a LU created while attached. */
    POWER_ON_OCCURRED(0x29, 0x01),
    /** 29/00 POWER ON, RESET, OR BUS DEVICE RESET OCCURRED: target reset, or two different resets merged. */
    RESET_OCCURRED(0x29, 0x00),
    /** 29/03 BUS DEVICE RESET FUNCTION OCCURRED: a LOGICAL UNIT RESET. */
    LOGICAL_UNIT_RESET(0x29, 0x03),
    /** 29/07 I_T NEXUS LOSS OCCURRED: a new nexus of an initiator port that had one before. */
    I_T_NEXUS_LOSS(0x29, 0x07),
    /** 2A/09 CAPACITY DATA HAS CHANGED: the device was (re)initialised since this nexus last looked. */
    CAPACITY_DATA_CHANGED(0x2A, 0x09),
    /** 3F/0E REPORTED LUNS DATA HAS CHANGED: a device was added or removed. */
    REPORTED_LUNS_DATA_CHANGED(0x3F, 0x0E);

    final int asc;
    final int ascq;

    UnitAttention(int asc, int ascq) {
        this.asc = asc;
        this.ascq = ascq;
    }

    boolean isReset() {
        return asc == 0x29;
    }

    int bit() {
        return 1 << ordinal();
    }

    byte[] sense() {
        return SenseData.of(SenseData.UNIT_ATTENTION, asc, ascq);
    }
}
