package io.jzram.target.scsi;

import static io.jzram.target.scsi.BlockLimits.LOGICAL_BLOCK_SIZE;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.nio.ByteBuffer;

/**
 * GET LBA STATUS (SERVICE ACTION IN(16) 9Eh / 12h, SBC-3 5.6): the provisioning status of the
 * logical blocks from a starting LBA on, as LBA status descriptors of runs that share a status.
 *
 * <p>What "mapped" means on a zram device: a block is <b>mapped</b> (status 0h) when its 4 KiB page
 * holds data that costs memory: a compressed or raw object, a same-filled word other than zero, or
 * a block of the backing device. It is <b>deallocated</b> (status 1h) when its page was never
 * written, was discarded (UNMAP, WRITE SAME with a zero block) or is same-filled with zeros: such a
 * page reads as zeros and costs nothing but its slot, which is exactly SBC's deallocated state
 * with LBPRZ=1. So writing a block of zeros deallocates it, as a thin-provisioning check expects of
 * a device that detects zero pages. Status is per page, so the 8 blocks of a page always share it.
 *
 * <p>The parameter data: an 8-byte header (PARAMETER DATA LENGTH, then reserved) and as many
 * 16-byte descriptors (LBA, NUMBER OF LOGICAL BLOCKS, PROVISIONING STATUS) as the allocation length
 * holds, at least one. The first descriptor starts at the STARTING LOGICAL BLOCK ADDRESS (not at
 * its page's first block), each next one where the previous ended, and the last one ends at the end
 * of the medium at the latest. A command looks at no more than {@link #MAX_SCAN_BLOCKS} blocks, so
 * that the status of a huge, empty device is as quick to get as that of a small one: the last
 * descriptor may then cover only part of a longer run, which is still true of every block it
 * covers; the initiator asks again from where it ends (SBC-3 allows fewer descriptors than runs).
 *
 * <p>Failures: a starting LBA at or past the end of the medium (in unsigned arithmetic) is
 * 05/21/00; a device not ready 02/04/03; an allocation length of 0 is GOOD with no data (SPC-4
 * 4.2.5.6). A concurrent write may change a page's status right after it was looked at: the answer
 * is a snapshot, as on any device.
 */
final class LbaStatus {
    private LbaStatus() {}

    /** PROVISIONING STATUS values (SBC-3 table 43). */
    static final int MAPPED = 0x0;
    static final int DEALLOCATED = 0x1;

    static final int HEADER_LENGTH = 8;
    static final int DESCRIPTOR_LENGTH = 16;

    /** The most blocks one command examines: 1 GiB, 262 144 pages (a few milliseconds). */
    static final long MAX_SCAN_BLOCKS = (1L << 30) / LOGICAL_BLOCK_SIZE;
    /** The most descriptors one command returns. */
    static final int MAX_DESCRIPTORS = 1024;

    static ScsiResponse getLbaStatus(ZramDevice device, byte[] cdb, ByteBuffer dataIn) throws ZramException {
        long lba = Cdb.u64(cdb, 2);
        long allocation = Cdb.u32(cdb, 10);
        long capacity = BlockCommands.capacity(device);
        if (lba < 0 || lba >= capacity) {
            throw ScsiError.lbaOutOfRange();
        }
        if (allocation == 0) {
            return Responses.GOOD;
        }
        long room = (allocation - HEADER_LENGTH) / DESCRIPTOR_LENGTH;
        int wanted = (int) Math.max(1, Math.min(MAX_DESCRIPTORS, room));
        long end = Math.min(capacity, lba + MAX_SCAN_BLOCKS);
        byte[] d = new byte[HEADER_LENGTH + DESCRIPTOR_LENGTH * wanted];
        int n = 0;
        long at = lba;
        while (n < wanted && at < end) {
            ZramDevice.Provisioning run = device.provisioning(at * LOGICAL_BLOCK_SIZE, (end - at) * LOGICAL_BLOCK_SIZE);
            long blocks = Math.min(run.length() / LOGICAL_BLOCK_SIZE, 0xFFFF_FFFFL);
            int p = HEADER_LENGTH + DESCRIPTOR_LENGTH * n;
            Cdb.put64(d, p, at);
            Cdb.put32(d, p + 8, blocks);
            d[p + 12] = (byte) (run.mapped() ? MAPPED : DEALLOCATED);
            n++;
            at += blocks;
        }
        int length = HEADER_LENGTH + DESCRIPTOR_LENGTH * n;
        Cdb.put32(d, 0, length - 4); // PARAMETER DATA LENGTH: the bytes after this field
        return Responses.data(dataIn, java.util.Arrays.copyOf(d, length), allocation);
    }
}
