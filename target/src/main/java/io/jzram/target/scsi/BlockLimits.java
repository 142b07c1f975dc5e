package io.jzram.target.scsi;

/**
 * Geometry and the limits advertised in the Block Limits VPD page (B0h) and enforced by the
 * commands. All lengths are in logical blocks of {@link #LOGICAL_BLOCK_SIZE} bytes.
 */
final class BlockLimits {
    private BlockLimits() {}

    static final int LOGICAL_BLOCK_SIZE = 512;
    /** 2^3 logical blocks per physical block: zram's 4 KiB page. */
    static final int PHYSICAL_BLOCK_EXPONENT = 3;
    static final int BLOCKS_PER_PAGE = 1 << PHYSICAL_BLOCK_EXPONENT;

    /**
     * MAXIMUM TRANSFER LENGTH: 32 MiB (open-iscsi's default max_sectors is 0xFFFF; libiscsi's
     * conformance tests write 65536 blocks at once); READ/WRITE/VERIFY(BYTCHK) beyond it get 05/24/00.
     */
    static final int MAX_TRANSFER_BLOCKS = 65536;
    /**
     * OPTIMAL TRANSFER LENGTH: 1 MiB. Linux caps a disk's max_sectors at this value, so it is the
     * request size the initiator will send.
     */
    static final int OPTIMAL_TRANSFER_BLOCKS = 2048;
    /** OPTIMAL TRANSFER LENGTH GRANULARITY: one 4 KiB page (Linux: io_min). */
    static final int OPTIMAL_TRANSFER_GRANULARITY = BLOCKS_PER_PAGE;
    /**
     * MAXIMUM UNMAP LBA COUNT (total over all descriptors of one UNMAP): 512 MiB (libiscsi calls
     * more than 2^20 "insanely big").
     */
    static final long MAX_UNMAP_BLOCKS = 1024 * 1024;
    /** MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT. */
    static final int MAX_UNMAP_DESCRIPTORS = 128;
    /** OPTIMAL UNMAP GRANULARITY: one page; alignment 0 (UGAVALID=1). */
    static final int UNMAP_GRANULARITY = BLOCKS_PER_PAGE;
    /** MAXIMUM WRITE SAME LENGTH: 512 MiB. */
    static final long MAX_WRITE_SAME_BLOCKS = 1024 * 1024;
}
