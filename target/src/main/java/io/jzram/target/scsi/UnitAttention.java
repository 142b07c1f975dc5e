package io.jzram.target.scsi;

/**
 * The unit attention conditions this target establishes, in the order they are reported when
 * several are pending (SPC-4 5.14, SAM-5 5.14): resets first, then capacity, then reservations, then LUN
 * inventory.
 */
enum UnitAttention {
    /**
     * 29/00 POWER ON, RESET, OR BUS DEVICE RESET OCCURRED: every LUN of a new nexus, a LU created
     * while a nexus is attached, a target reset, or two different pending resets merged.
     */
    RESET_OCCURRED(0x29, 0x00),
    /** 29/03 BUS DEVICE RESET FUNCTION OCCURRED: a LOGICAL UNIT RESET. */
    LOGICAL_UNIT_RESET(0x29, 0x03),
    /** 2A/09 CAPACITY DATA HAS CHANGED: the device was (re)initialised since this nexus last looked. */
    CAPACITY_DATA_CHANGED(0x2A, 0x09),
    /** 2A/03 RESERVATIONS PREEMPTED: another I_T nexus cleared the registrations (PERSISTENT RESERVE OUT CLEAR). */
    RESERVATIONS_PREEMPTED(0x2A, 0x03),
    /** 2A/04 RESERVATIONS RELEASED: a Registrants Only or All Registrants reservation was released or changed type. */
    RESERVATIONS_RELEASED(0x2A, 0x04),
    /** 2A/05 REGISTRATIONS PREEMPTED: another I_T nexus preempted this one's registration (PREEMPT, PREEMPT AND ABORT). */
    REGISTRATIONS_PREEMPTED(0x2A, 0x05),
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
