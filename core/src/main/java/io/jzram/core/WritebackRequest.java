package io.jzram.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What to write back: the kernel's {@code writeback} attribute, one of {@code idle}, {@code huge},
 * {@code huge_idle}, {@code incompressible}, or one or more {@code page_index=N} and
 * {@code page_indexes=LO-HI} (inclusive).
 *
 * @param type which pages
 * @param ranges for {@link Type#PAGE_INDEXES}: pairs of first and last page index (inclusive); else empty
 */
public record WritebackRequest(Type type, List<long[]> ranges) {

    /** The pages a writeback looks at. */
    public enum Type {
        /** Pages marked idle. */
        IDLE(SlotTable.IDLE),
        /** Pages stored raw. */
        HUGE(SlotTable.HUGE),
        /** Pages stored raw and marked idle. */
        HUGE_IDLE(SlotTable.HUGE | SlotTable.IDLE),
        /** Pages that no recompression algorithm could shrink. */
        INCOMPRESSIBLE(SlotTable.INCOMPRESSIBLE),
        /** The pages named, whatever their flags. */
        PAGE_INDEXES(0);

        final int flags;

        Type(int flags) {
            this.flags = flags;
        }
    }

    public WritebackRequest {
        ranges = List.copyOf(ranges);
    }

    /** The pages marked idle. */
    public static final WritebackRequest IDLE = new WritebackRequest(Type.IDLE, List.of());

    /**
     * Parses what one would write to the attribute.
     *
     * @throws ZramException INVALID_ARGUMENT for anything else, as the kernel's EINVAL
     */
    public static WritebackRequest parse(String value) throws ZramException {
        String v = value.strip();
        switch (v) {
            case "idle" -> {
                return IDLE;
            }
            case "huge" -> {
                return new WritebackRequest(Type.HUGE, List.of());
            }
            case "huge_idle" -> {
                return new WritebackRequest(Type.HUGE_IDLE, List.of());
            }
            case "incompressible" -> {
                return new WritebackRequest(Type.INCOMPRESSIBLE, List.of());
            }
            default -> {
                // page_index=N and page_indexes=LO-HI, as many as given
            }
        }
        List<long[]> ranges = new ArrayList<>();
        for (String token : Attributes.tokens(v)) {
            String key = Attributes.key(token);
            String val = Attributes.value(token);
            switch (key) {
                case "page_index" -> {
                    long n = Attributes.number("writeback", token, val, 0, Integer.MAX_VALUE);
                    ranges.add(new long[] {n, n});
                }
                case "page_indexes" -> {
                    int dash = val.indexOf('-');
                    if (dash < 0) {
                        throw Attributes.invalid("writeback", token, "page_indexes=LO-HI");
                    }
                    long lo = Attributes.number("writeback", token, val.substring(0, dash), 0, Integer.MAX_VALUE);
                    long hi = Attributes.number("writeback", token, val.substring(dash + 1), 0, Integer.MAX_VALUE);
                    if (hi < lo) {
                        throw Attributes.invalid("writeback", token, "LO must not be above HI");
                    }
                    ranges.add(new long[] {lo, hi});
                }
                default -> throw Attributes.invalid("writeback", token,
                        "idle, huge, huge_idle, incompressible, page_index=N or page_indexes=LO-HI");
            }
        }
        if (ranges.isEmpty()) {
            throw Attributes.invalid("writeback", v, "idle, huge, huge_idle, incompressible, page_index=N or page_indexes=LO-HI");
        }
        return new WritebackRequest(Type.PAGE_INDEXES, ranges);
    }
}
