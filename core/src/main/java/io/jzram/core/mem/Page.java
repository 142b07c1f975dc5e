package io.jzram.core.mem;

/**
 * The page: the unit a zram device stores (one slot per page, compressed or not) and the unit the
 * allocator's chunks are made of. Like the kernel's {@code PAGE_SIZE}, both are the same 4 KiB, so
 * it is defined once, here, in a package that depends on nothing: the device, the page store, the
 * compression streams and the allocator all read it from this class.
 */
public final class Page {
    /** log2 of {@link #SIZE}: a byte offset shifted right by this is its page index. */
    public static final int SHIFT = 12;
    /** 4096 bytes. */
    public static final int SIZE = 1 << SHIFT;

    private Page() {}

    /** The index of the page that holds byte {@code offset}. */
    public static long index(long offset) {
        return offset >>> SHIFT;
    }

    /** Where byte {@code offset} lies inside its page. */
    public static int offsetIn(long offset) {
        return (int) (offset & (SIZE - 1));
    }

    /** How many pages {@code bytes} need: {@code bytes / SIZE} rounded up (bytes ≤ Long.MAX_VALUE - SIZE + 1). */
    public static long count(long bytes) {
        return (bytes + SIZE - 1) >>> SHIFT;
    }
}
