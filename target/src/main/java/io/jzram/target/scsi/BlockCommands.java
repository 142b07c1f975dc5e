package io.jzram.target.scsi;

import static io.jzram.target.scsi.BlockLimits.LOGICAL_BLOCK_SIZE;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.nio.ByteBuffer;

/**
 * The medium-access commands of SBC-3 against one device: READ/WRITE(6/10/12/16), WRITE AND
 * VERIFY(10/12/16), VERIFY(10/12/16), SYNCHRONIZE CACHE(10/16), PRE-FETCH(10/16), WRITE
 * SAME(10/16), UNMAP, READ CAPACITY(10/16).
 *
 * <p>Order of checks, as SBC-3 and SPC-4 describe them: CDB fields (05/24/00), readiness
 * (02/04/03), LBA range (05/21/00), the data-out buffer, then the device call. Device failures
 * come back as {@link ZramException} and are mapped by the caller.
 *
 * <p>Data moves without intermediate copies: READ decompresses straight into the transport's
 * data-in buffer and WRITE compresses straight from its data-out buffer, through the device's
 * absolute reads and writes (an index and a length; no view object per command). Neither
 * buffer's position or limit is changed.
 */
final class BlockCommands {
    private BlockCommands() {}

    /** WRITE SAME with a non-zero block writes the pattern in chunks of at most this many bytes. */
    static final int PATTERN_CHUNK = 64 * 1024;
    /** VERIFY with BYTCHK reads and compares in chunks of at most this many bytes. */
    static final int VERIFY_CHUNK = 64 * 1024;

    /** The capacity in logical blocks of a ready device. @throws ScsiError 02/04/03 if not initialised */
    static long capacity(ZramDevice device) {
        long size = device.diskSize();
        if (size <= 0) {
            throw ScsiError.notReady();
        }
        return size / LOGICAL_BLOCK_SIZE;
    }

    /**
     * LBA range check in unsigned arithmetic: lba (an unsigned 64-bit CDB field) plus blocks must
     * not exceed the capacity. A 64-bit LBA at or above 2^63 is negative as a long and out of range.
     */
    static void checkRange(long lba, long blocks, long capacity) {
        if (lba < 0 || lba > capacity || blocks > capacity - lba) {
            throw ScsiError.lbaOutOfRange();
        }
    }

    // ---------------------------------------------------------------- READ / WRITE

    static ScsiResponse read(ZramDevice device, byte[] cdb, ByteBuffer dataIn) throws ZramException {
        int op = cdb[0] & 0xFF;
        Cdb.Extent extent = Cdb.extent(cdb);
        long lba = extent.lba();
        long blocks = extent.blocks();
        int lengthField = extent.lengthField();
        if (op != Cdb.READ_6 && (cdb[1] & 0xE0) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 7); // RDPROTECT: no protection information
        }
        if (blocks > BlockLimits.MAX_TRANSFER_BLOCKS) {
            throw ScsiError.invalidFieldInCdb(lengthField, -1);
        }
        long capacity = capacity(device);
        checkRange(lba, blocks, capacity);
        long bytes = blocks * LOGICAL_BLOCK_SIZE;
        if (bytes == 0) {
            return Responses.GOOD;
        }
        int room = dataIn == null ? 0 : dataIn.remaining();
        int fit = (int) Math.min(room, bytes);
        if (fit == 0) {
            return new ScsiResponse(ScsiResponse.GOOD, null, 0, bytes, 0);
        }
        long offset = lba * LOGICAL_BLOCK_SIZE;
        int whole = fit & -LOGICAL_BLOCK_SIZE;
        int pos = dataIn.position();
        if (whole > 0) {
            device.read(dataIn, pos, whole, offset);
        }
        int tail = fit - whole;
        if (tail > 0) {
            // The buffer ends inside a block: read that one block aside and copy what fits.
            ByteBuffer block = ByteBuffer.allocate(LOGICAL_BLOCK_SIZE);
            device.read(block, offset + whole);
            dataIn.put(pos + whole, block.array(), 0, tail);
        }
        return new ScsiResponse(ScsiResponse.GOOD, null, fit, bytes, 0);
    }

    /**
     * WRITE(6/10/12/16) and WRITE AND VERIFY(10/12/16) (the verification of data just stored in
     * memory cannot fail, so BYTCHK 00b and 01b both just write). A data-out buffer shorter than
     * the transfer length (an initiator whose expected data transfer length is too small) has its
     * whole blocks written and nothing more; the response's dataOutLength tells the transport the
     * full length so that it reports the residual overflow (RFC 7143 11.4.5.1).
     */
    static ScsiResponse write(ZramDevice device, byte[] cdb, ByteBuffer dataOut) throws ZramException {
        int op = cdb[0] & 0xFF;
        Cdb.Extent extent = Cdb.extent(cdb);
        long lba = extent.lba();
        long blocks = extent.blocks();
        int lengthField = extent.lengthField();
        if (op != Cdb.WRITE_6 && (cdb[1] & 0xE0) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 7); // WRPROTECT
        }
        boolean writeAndVerify = op == Cdb.WRITE_AND_VERIFY_10 || op == Cdb.WRITE_AND_VERIFY_12
                || op == Cdb.WRITE_AND_VERIFY_16;
        if (writeAndVerify && (cdb[1] & 0x04) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 2); // BYTCHK 1xb: reserved
        }
        if (blocks > BlockLimits.MAX_TRANSFER_BLOCKS) {
            throw ScsiError.invalidFieldInCdb(lengthField, -1);
        }
        long capacity = capacity(device);
        checkRange(lba, blocks, capacity);
        int bytes = (int) (blocks * LOGICAL_BLOCK_SIZE);
        int received = dataOut == null ? 0 : Math.min(dataOut.remaining(), bytes) & -LOGICAL_BLOCK_SIZE;
        if (received > 0) {
            device.write(dataOut, dataOut.position(), received, lba * LOGICAL_BLOCK_SIZE);
        }
        return Responses.goodAfterDataOut(bytes);
    }

    /** The initiator must have sent at least the bytes the CDB announces; more is ignored. */
    private static void requireDataOut(ByteBuffer dataOut, int bytes, int lengthField) {
        if (dataOut == null || dataOut.remaining() < bytes) {
            throw ScsiError.invalidFieldInCdb(lengthField, -1);
        }
    }

    // ---------------------------------------------------------------- VERIFY

    static ScsiResponse verify(ZramDevice device, byte[] cdb, ByteBuffer dataOut) throws ZramException {
        Cdb.Extent extent = Cdb.extent(cdb);
        long lba = extent.lba();
        long blocks = extent.blocks();
        int lengthField = extent.lengthField();
        if ((cdb[1] & 0xE0) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 7); // VRPROTECT
        }
        int bytchk = (cdb[1] >>> 1) & 0x03;
        if (bytchk == 0b10) {
            throw ScsiError.invalidFieldInCdb(1, 2);
        }
        if (bytchk != 0 && blocks > BlockLimits.MAX_TRANSFER_BLOCKS) {
            throw ScsiError.invalidFieldInCdb(lengthField, -1);
        }
        long capacity = capacity(device);
        checkRange(lba, blocks, capacity);
        if (bytchk == 0 || blocks == 0) {
            return Responses.GOOD; // the medium is memory: nothing to verify without data to compare
        }
        long total = blocks * LOGICAL_BLOCK_SIZE;
        int expected = bytchk == 0b01 ? (int) total : LOGICAL_BLOCK_SIZE;
        requireDataOut(dataOut, expected, lengthField);
        int base = dataOut.position();
        ByteBuffer scratch = ByteBuffer.allocate((int) Math.min(total, VERIFY_CHUNK));
        long offset = lba * LOGICAL_BLOCK_SIZE;
        for (long done = 0; done < total; ) {
            int n = (int) Math.min(scratch.capacity(), total - done);
            scratch.clear().limit(n);
            device.read(scratch, offset + done);
            scratch.flip();
            int at;
            if (bytchk == 0b01) {
                at = scratch.mismatch(dataOut.slice(base + (int) done, n));
            } else {
                at = -1;
                ByteBuffer pattern = dataOut.slice(base, LOGICAL_BLOCK_SIZE);
                for (int b = 0; b < n && at < 0; b += LOGICAL_BLOCK_SIZE) {
                    int m = scratch.slice(b, LOGICAL_BLOCK_SIZE).mismatch(pattern);
                    if (m >= 0) {
                        at = b + m;
                    }
                }
            }
            if (at >= 0) {
                long inDataOut = bytchk == 0b01 ? done + at : (done + at) % LOGICAL_BLOCK_SIZE;
                // 0E/1D/00 MISCOMPARE DURING VERIFY OPERATION; INFORMATION: offset in the data-out buffer
                throw new ScsiError(SenseData.build(SenseData.MISCOMPARE, 0x1D, 0x00, inDataOut, -1));
            }
            done += n;
        }
        return Responses.goodAfterDataOut(expected);
    }

    // ---------------------------------------------------------------- SYNCHRONIZE CACHE

    static ScsiResponse synchronizeCache(ZramDevice device, byte[] cdb) {
        Cdb.Extent extent = Cdb.extent(cdb);
        long lba = extent.lba();
        long blocks = extent.blocks();
        long capacity = capacity(device);
        checkRange(lba, blocks, capacity); // 0 blocks: "to the end of the medium", lba must still be on it
        return Responses.GOOD; // no volatile cache: written data is already in the device
    }

    // ---------------------------------------------------------------- PRE-FETCH

    /**
     * PRE-FETCH(10/16) (SBC-3 5.9, 5.10): checks its range and does nothing else. There is no cache
     * to fill: the blocks already are in the device's memory. SBC's CONDITION MET ("the blocks are
     * now in the cache") is for a device with a cache; for one whose cache cannot take the blocks
     * it is GOOD, which is the honest answer for a device with no cache at all, and what initiators
     * expect (libiscsi's Prefetch tests want GOOD). IMMED and the group number change nothing: the
     * command is done when it is checked. 0 blocks: nothing to fetch, the LBA must still be on
     * the medium (or just past its end, as for the other commands with a 0 length).
     */
    static ScsiResponse preFetch(ZramDevice device, byte[] cdb) {
        Cdb.Extent extent = Cdb.extent(cdb);
        checkRange(extent.lba(), extent.blocks(), capacity(device));
        return Responses.GOOD;
    }

    // ---------------------------------------------------------------- WRITE SAME

    static ScsiResponse writeSame(ZramDevice device, byte[] cdb, ByteBuffer dataOut) throws ZramException {
        boolean sixteen = (cdb[0] & 0xFF) == Cdb.WRITE_SAME_16;
        Cdb.Extent extent = Cdb.extent(cdb);
        long lba = extent.lba();
        long blocks = extent.blocks();
        int lengthField = extent.lengthField();
        int flags = cdb[1] & 0xFF;
        if ((flags & 0xE0) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 7); // WRPROTECT
        }
        if ((flags & 0x10) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 4); // ANCHOR: ANC_SUP=0
        }
        if ((flags & 0x04) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 2); // PBDATA (obsolete)
        }
        if ((flags & 0x02) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 1); // LBDATA (obsolete)
        }
        boolean ndob = sixteen && (flags & 0x01) != 0;
        if (blocks > BlockLimits.MAX_WRITE_SAME_BLOCKS) {
            throw ScsiError.invalidFieldInCdb(lengthField, -1);
        }
        long capacity = capacity(device);
        checkRange(lba, blocks, capacity);
        if (blocks == 0) {
            // WSNZ=0 (SBC-3 5.41): 0 blocks means from the LBA to the end of the medium, within
            // MAXIMUM WRITE SAME LENGTH like any other count. It costs no more than the same count
            // given explicitly, so there is no reason to refuse it. (An LBA at the end of the
            // medium writes nothing and still takes its block of data-out.)
            blocks = capacity - lba;
            if (blocks > BlockLimits.MAX_WRITE_SAME_BLOCKS) {
                throw ScsiError.invalidFieldInCdb(lengthField, -1);
            }
        }
        long offset = lba * LOGICAL_BLOCK_SIZE;
        long length = blocks * LOGICAL_BLOCK_SIZE;
        if (ndob) {
            device.writeZeroes(offset, length);
            return Responses.GOOD; // NDOB: no data-out
        }
        if (dataOut == null || dataOut.remaining() != LOGICAL_BLOCK_SIZE) {
            throw ScsiError.invalidFieldInCdb(lengthField, -1); // the data-out is exactly one block
        }
        int base = dataOut.position();
        boolean unmap = (flags & 0x08) != 0;
        if (unmap || isZero(dataOut, base)) {
            // UNMAP=1 with ANCHOR=0 deallocates the range whatever the block holds (SBC-4 table
            // "ANCHOR bit, UNMAP bit and ANC_SUP bit relationships": a thin-provisioned LU should
            // deallocate each LBA), as LIO does and libiscsi's WriteSame*.UnmapUntilEnd expects. A
            // zero block without UNMAP is the same operation: whole pages are freed and partial edge
            // pages zeroed in place, so the range reads back as zeros (LBPRZ=1) and costs no memory.
            device.writeZeroes(offset, length);
            return Responses.goodAfterDataOut(LOGICAL_BLOCK_SIZE);
        }
        int chunk = (int) Math.min(length, PATTERN_CHUNK);
        ByteBuffer pattern = ByteBuffer.allocate(chunk);
        for (int p = 0; p < chunk; p += LOGICAL_BLOCK_SIZE) {
            pattern.put(p, dataOut, base, LOGICAL_BLOCK_SIZE);
        }
        long done = 0;
        while (done < length) {
            // End every chunk on a PATTERN_CHUNK-aligned device offset: all but the edges are whole pages.
            long at = offset + done;
            int n = (int) Math.min(length - done, PATTERN_CHUNK - (at % PATTERN_CHUNK));
            device.write(pattern, 0, n, at);
            done += n;
        }
        return Responses.goodAfterDataOut(LOGICAL_BLOCK_SIZE);
    }

    private static boolean isZero(ByteBuffer b, int base) {
        for (int i = 0; i < LOGICAL_BLOCK_SIZE; i += 8) {
            if (b.getLong(base + i) != 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- UNMAP

    /**
     * UNMAP (SBC-3 5.28). Parameter list: 8-byte header (UNMAP DATA LENGTH, UNMAP BLOCK DESCRIPTOR
     * DATA LENGTH) and 16-byte descriptors (LBA, NUMBER OF LOGICAL BLOCKS). Everything is checked
     * before anything is unmapped. Each range goes to {@link ZramDevice#writeZeroes}, which frees
     * the whole 4 KiB pages inside it and zeroes the partially covered edge pages in place, so that
     * every LBA of the range reads zeros afterwards (LBPRZ=1), also below the unmap granularity:
     * SBC would let those LBAs keep their data, but initiators (libiscsi's Unmap.Simple, for one)
     * take LBPRZ to mean that every unmapped LBA reads zeros. Aligned UNMAPs, which is what Linux
     * sends, cost the same as a plain discard.
     */
    static ScsiResponse unmap(ZramDevice device, byte[] cdb, ByteBuffer dataOut) throws ZramException {
        if ((cdb[1] & 0x01) != 0) {
            throw ScsiError.invalidFieldInCdb(1, 0); // ANCHOR: ANC_SUP=0
        }
        int listLength = Cdb.u16(cdb, 7);
        long capacity = capacity(device);
        if (listLength == 0) {
            return Responses.GOOD;
        }
        int available = dataOut == null ? 0 : Math.min(listLength, dataOut.remaining());
        if (listLength < 8 || available < listLength) {
            throw ScsiError.parameterListLength();
        }
        int base = dataOut.position();
        int dataLength = Cdb.u16(dataOut, base);
        int descriptorBytes = Cdb.u16(dataOut, base + 2);
        if (descriptorBytes + 8 > available) {
            throw ScsiError.invalidFieldInParameterList(2, -1);
        }
        if (dataLength < descriptorBytes + 6 || dataLength + 2 > available) {
            throw ScsiError.invalidFieldInParameterList(0, -1);
        }
        int count = descriptorBytes / 16; // an incomplete last descriptor is ignored (SBC-3)
        if (count > BlockLimits.MAX_UNMAP_DESCRIPTORS) {
            throw ScsiError.invalidFieldInParameterList(2, -1);
        }
        long sum = 0;
        for (int i = 0; i < count; i++) {
            int d = base + 8 + 16 * i;
            long lba = dataOut.getLong(d);
            long blocks = Cdb.u32(dataOut, d + 8);
            checkRange(lba, blocks, capacity);
            sum += blocks;
            if (sum > BlockLimits.MAX_UNMAP_BLOCKS) {
                throw ScsiError.invalidFieldInParameterList(8 + 16 * i + 8, -1);
            }
        }
        for (int i = 0; i < count; i++) {
            int d = base + 8 + 16 * i;
            long blocks = Cdb.u32(dataOut, d + 8);
            if (blocks > 0) {
                device.writeZeroes(dataOut.getLong(d) * LOGICAL_BLOCK_SIZE, blocks * LOGICAL_BLOCK_SIZE);
            }
        }
        return Responses.goodAfterDataOut(listLength);
    }

    // ---------------------------------------------------------------- READ CAPACITY

    static ScsiResponse readCapacity10(ZramDevice device, byte[] cdb, ByteBuffer dataIn) {
        boolean pmi = (cdb[8] & 0x01) != 0;
        if (!pmi && Cdb.u32(cdb, 2) != 0) {
            throw ScsiError.invalidFieldInCdb(2, -1);
        }
        return Responses.data(dataIn, readCapacity10Data(capacity(device)), 8);
    }

    static ScsiResponse readCapacity16(ZramDevice device, byte[] cdb, ByteBuffer dataIn) {
        boolean pmi = (cdb[14] & 0x01) != 0;
        if (!pmi && Cdb.u64(cdb, 2) != 0) {
            throw ScsiError.invalidFieldInCdb(2, -1);
        }
        long allocation = Cdb.u32(cdb, 10);
        return Responses.data(dataIn, readCapacity16Data(capacity(device)), allocation);
    }

    /** RETURNED LOGICAL BLOCK ADDRESS: the last LBA (capacity − 1), FFFFFFFFh when it does not fit. */
    static byte[] readCapacity10Data(long capacityBlocks) {
        byte[] d = new byte[8];
        long last = capacityBlocks - 1;
        Cdb.put32(d, 0, last >= 0xFFFF_FFFFL ? 0xFFFF_FFFFL : last);
        Cdb.put32(d, 4, LOGICAL_BLOCK_SIZE);
        return d;
    }

    /** Last LBA, block length 512, LBPME=1, LBPRZ=1, 8 logical blocks per physical block, lowest aligned LBA 0. */
    static byte[] readCapacity16Data(long capacityBlocks) {
        byte[] d = new byte[32];
        Cdb.put64(d, 0, capacityBlocks - 1);
        Cdb.put32(d, 8, LOGICAL_BLOCK_SIZE);
        d[12] = 0; // P_TYPE 0, PROT_EN 0
        d[13] = BlockLimits.PHYSICAL_BLOCK_EXPONENT; // P_I_EXPONENT 0, LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT
        d[14] = (byte) 0xC0; // LBPME=1, LBPRZ=1, LOWEST ALIGNED LBA 0
        d[15] = 0;
        return d;
    }
}
