/**
 * The SCSI command set of the jzram iSCSI target: every {@link io.jzram.core.ZramDevice} of a
 * {@link io.jzram.core.ZramRegistry} is a direct-access logical unit (SBC-3) whose LUN is the
 * device id. {@link io.jzram.target.scsi.ZramCommandSet} implements the transport contract
 * {@link io.jzram.target.scsi.ScsiCommandSet} (command dispatch, sense data); the
 * {@link io.jzram.target.scsi.LunMap} it owns decides which device is a LUN of which session: the
 * device exists, is exported, and the session's initiator may see it (LUN masking,
 * {@link io.jzram.target.scsi.LunVisibility}).
 *
 * <h2>Logical units and LUN 0</h2>
 * REPORT LUNS lists the live devices of the registry, single-level LUNs with peripheral device
 * addressing below 256 and flat space addressing (01b) from 256 to 16383. A LUN without a device
 * answers INQUIRY with PERIPHERAL QUALIFIER 011b and DEVICE TYPE 1Fh (only VPD page 00h),
 * REQUEST SENSE with LOGICAL UNIT NOT SUPPORTED as parameter data, REPORT LUNS normally, and
 * every other command with CHECK CONDITION 05/25/00.
 *
 * <p><b>LUN 0 without zram0.</b> Linux (scsi_scan.c) sends INQUIRY to LUN 0 first and, if the target
 * answers at all, REPORT LUNS to LUN 0, then probes each reported LUN. It records the SCSI level
 * from the LUN 0 INQUIRY VERSION even when no device is attached there, and uses REPORT LUNS only
 * for SPC-2 and newer. So LUN 0 without a device answers INQUIRY with PERIPHERAL QUALIFIER 001b
 * ("supported but not connected") and DEVICE TYPE 1Fh, with the full standard data (VERSION 06h)
 * and REPORT LUNS works there: Linux attaches nothing at LUN 0 (qualifier 1 with type 1Fh means
 * "no device" to it) and finds every device through REPORT LUNS. Qualifier 1 rather than 3 because
 * zram0 can appear there later (hot_add reuses the lowest free id), and because it is what LIO's
 * virtual LUN 0 answers, so initiators are used to it. No well-known or controller LU is
 * invented: it would show up as an extra SCSI device on every host. (libiscsi tools pointed at
 * LUN 0 itself then fail their post-login TEST UNIT READY with 05/25/00, as they should; iscsi-ls
 * lists the other LUNs.)
 *
 * <h2>Geometry</h2>
 * Logical block 512 bytes; 8 logical blocks per 4 KiB physical block (zram's page); capacity
 * diskSize/512. READ CAPACITY(10) returns the last LBA (FFFFFFFFh when it does not fit), READ
 * CAPACITY(16) also LBPME=1 and LBPRZ=1. The Block Limits VPD page advertises the limits of
 * {@code BlockLimits}: 32 MiB maximum and 1 MiB optimal transfer, unmap granularity 4 KiB with
 * alignment 0, 512 MiB per UNMAP (128 descriptors) and per WRITE SAME, WSNZ=0 (a WRITE SAME of 0
 * blocks runs to the end of the medium, within that maximum). UNMAP, WRITE SAME with UNMAP=1
 * (whatever its block holds: SBC-4 says a thin-provisioned LU deallocates) and WRITE SAME with a
 * zero block free the whole pages of their range and zero its partial edge pages, so the whole
 * range reads zeros (LBPRZ=1). GET LBA STATUS reports a page as deallocated when it costs no
 * memory and reads zeros (never written, discarded, or same-filled with zeros) and as mapped
 * otherwise ({@code LbaStatus}).
 *
 * <h2>No write cache</h2>
 * The caching mode page reports WCE=0: when a WRITE completes its data is in the device's memory,
 * where every later READ finds it; there is no volatile cache to flush, so SYNCHRONIZE CACHE only
 * checks its range and FUA/DPO are accepted and need no action (DPOFUA=1). (The data is, of
 * course, exactly as volatile as the target process: that is what zram is.) No mode parameter is
 * changeable or savable: MODE SELECT is accepted when it sets every field to its current value,
 * rejected with 05/26/00 when it tries to change one (e.g. to enable a write cache) or is
 * malformed; saved values give 05/39/00.
 *
 * <h2>Not ready</h2>
 * While a device is uninitialized (no disksize) or being reset, medium-access commands and TEST
 * UNIT READY get 02/04/03 LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED: only an
 * administrator setting a disksize makes the device ready again, and this ASCQ is the one Linux's
 * sd treats accordingly: it stops its spin-up polling at once (04/00, 04/01 and 04/02 would make it
 * send START STOP UNIT and poll for 100 s per device at scan) and fails I/O immediately instead of
 * retrying. A reset always ends in the uninitialized state, so "becoming ready" (04/01) would be
 * wrong for it too. INQUIRY, REPORT LUNS, REQUEST SENSE (which reports 02/04/03 as its data), MODE
 * SENSE/SELECT (capacity 0), START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL and REPORT SUPPORTED
 * OPERATION CODES work while not ready.
 *
 * <h2>Unit attentions</h2>
 * Kept per I_T_L nexus (per nexus for REPORTED LUNS DATA HAS CHANGED) and reported, one per
 * command, to any command except INQUIRY, REPORT LUNS and REQUEST SENSE (which reports and clears
 * one). Priority: reset-class (29h), then 2A/09, then 3F/0E.
 * <ul>
 *   <li><b>29/00 POWER ON, RESET, OR BUS DEVICE RESET OCCURRED</b> on every LUN of a new nexus
 *       (login, re-login after logout or connection loss, session reinstatement) and on a LUN
 *       created while a nexus is attached. SAM-5's model: a power-on condition is pending for
 *       every initiator port until reported, and a RAM disk needs it: after a target restart the
 *       devices are new and empty, and a reconnecting initiator learns it on its first command.
 *       Linux's sd logs it and retries the command (its scan meets it on the first TEST UNIT READY
 *       and retries). ASCQ 00h rather than 01h (POWER ON OCCURRED) or 07h (I_T NEXUS LOSS
 *       OCCURRED) because libiscsi's tools retry TEST UNIT READY after login only for 29/00
 *       (iscsi-ls gives up on a LUN that answers 29/01), as with tgt, which sends 29/00 too;
 *       QEMU and libiscsi's test suite clear any unit attention with TEST UNIT READY.
 *   <li><b>29/03 BUS DEVICE RESET FUNCTION OCCURRED</b> after a LOGICAL UNIT RESET and <b>29/00</b>
 *       after a target warm/cold reset, for every nexus (the requester's included) on the LUNs
 *       concerned; two different pending 29h conditions merge into 29/00.
 *   <li><b>2A/09 CAPACITY DATA HAS CHANGED</b> when a device's generation (which changes on every
 *       init) differs from the one the nexus last saw: after a reset and a new disksize, or the
 *       first init of a device that was uninitialized when the nexus attached.
 *   <li><b>3F/0E REPORTED LUNS DATA HAS CHANGED</b> for every attached nexus when a device is added
 *       or removed; reported once per nexus (on whichever LUN the next command goes to) and
 *       cleared by reporting it or by REPORT LUNS. Linux logs it and sends a uevent
 *       (SDEV_UA=REPORTED_LUNS_DATA_HAS_CHANGED) on which udev or an administrator rescans
 *       ({@code iscsiadm -m session -R}); the kernel does not rescan by itself.
 * </ul>
 *
 * <h2>Holders</h2>
 * Attaching a nexus opens a holder ({@code device.open("iscsi:" + initiator name)}) on every
 * device, and on devices added later; removed devices' holders are closed; closing the nexus
 * handle (logout, connection loss) closes them all. A device with logged-in sessions therefore
 * refuses a reset or removal as BUSY unless forced. If a holder cannot be opened because a reset
 * holds the device, opening is retried on the nexus's next command to that LUN. An unexported
 * device ({@code LunMap.setExported}) is no LUN of any nexus and so has no session's
 * holder; withdrawing a LUN that sessions have is BUSY unless forced, like the reset. A device
 * masked from an initiator ({@code LunMap.setVisibility}) is no LUN of that initiator's nexuses
 * and answers them exactly as a LUN without a device; masking a LUN a session has withdraws it
 * at once (REPORTED LUNS DATA HAS CHANGED), never refused as busy: it is the admin's decision.
 *
 * <h2>Sense data</h2>
 * Fixed format (70h), 18 bytes, with field pointers for invalid fields. Device failures: not
 * initialized 02/04/03, out of range 05/21/00, mem_limit reached 07/27/07 SPACE ALLOCATION FAILED
 * WRITE PROTECT (Linux: ENOSPC; the old data is intact), decompression failure 03/11/00, busy →
 * status BUSY. Any unexpected exception inside a command is CHECK CONDITION 04/44/00 INTERNAL
 * TARGET FAILURE, logged with its stack trace the first time per opcode and exception class.
 *
 * <h2>Buffers</h2>
 * {@code execute} never changes the position or limit of the transport's buffers. READ
 * decompresses straight into a slice of the data-in buffer and WRITE compresses straight from a
 * slice of the data-out buffer. If the data-in buffer is smaller than the command's data, as much
 * as fits is returned and {@code fullDataInLength} says how much there was; allocation lengths
 * truncate parameter data without error. A WRITE whose data-out buffer is shorter than its
 * transfer length writes the whole blocks it received and ends GOOD, with
 * {@code ScsiResponse.dataOutLength} (a contract addition) telling the transport the full length
 * for the residual overflow, as libiscsi's iSCSIResiduals tests expect; a longer buffer has only
 * the transfer length written (residual underflow). Parameter lists cannot be truncated: a short
 * UNMAP or MODE SELECT list is a parameter list length error (05/1A/00); a WRITE SAME data-out
 * that is not exactly one block, or a short VERIFY comparison buffer, an invalid field in the CDB.
 */
package io.jzram.target.scsi;
