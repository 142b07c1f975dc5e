package io.jzram.core;

import java.util.Locale;

/**
 * What to recompress: the kernel's {@code recompress} attribute,
 * {@code [type=idle|huge|huge_idle] [threshold=BYTES] [max_pages=N] [algo=NAME|priority=N]}.
 *
 * @param type which pages: {@link Type#ALL} (no {@code type=}) or those marked idle, stored raw, or both
 * @param threshold only objects of at least this many bytes, and only into fewer than this many; 0 = any
 * @param maxPages at most this many pages tried; 0 = no limit
 * @param algorithm recompress only with the algorithm of this name; null = each secondary algorithm in turn
 * @param priority recompress only with the algorithm of this priority (1–3); 0 = not given
 */
public record RecompressRequest(Type type, int threshold, long maxPages, String algorithm, int priority) {

    /** The pages a recompression looks at. */
    public enum Type {
        ALL(0),
        IDLE(SlotTable.IDLE),
        HUGE(SlotTable.HUGE),
        HUGE_IDLE(SlotTable.IDLE | SlotTable.HUGE);

        /** The slot flags a page must have. */
        final int flags;

        Type(int flags) {
            this.flags = flags;
        }
    }

    public RecompressRequest {
        if (type == null || threshold < 0 || maxPages < 0 || priority < 0 || priority >= ZramDevice.MAX_ALGORITHMS) {
            throw new IllegalArgumentException("bad recompress request");
        }
        if (algorithm != null && priority != 0) {
            throw new IllegalArgumentException("algo= and priority= exclude each other");
        }
    }

    /** Every page, each secondary algorithm in turn. */
    public static final RecompressRequest ALL = new RecompressRequest(Type.ALL, 0, 0, null, 0);

    /**
     * Parses what one would write to the attribute.
     *
     * @throws ZramException INVALID_ARGUMENT for an unknown key or a bad value, as the kernel's EINVAL
     */
    public static RecompressRequest parse(String value) throws ZramException {
        Type type = Type.ALL;
        long threshold = 0;
        long maxPages = 0;
        String algorithm = null;
        long priority = 0;
        for (String token : Attributes.tokens(value)) {
            String key = Attributes.key(token);
            String v = Attributes.value(token);
            switch (key) {
                case "type" -> {
                    try {
                        type = Type.valueOf(v.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw Attributes.invalid("recompress", token, "type is idle, huge or huge_idle");
                    }
                    if (type == Type.ALL) {
                        throw Attributes.invalid("recompress", token, "type is idle, huge or huge_idle");
                    }
                }
                case "threshold" -> threshold = Attributes.number("recompress", token, v, 1, 4096);
                case "max_pages" -> maxPages = Attributes.number("recompress", token, v, 1, Long.MAX_VALUE);
                case "algo" -> algorithm = v;
                case "priority" -> priority = Attributes.number("recompress", token, v, 1, ZramDevice.MAX_ALGORITHMS - 1);
                default -> throw Attributes.invalid("recompress", token, "keys: type, threshold, max_pages, algo, priority");
            }
        }
        if (algorithm != null && priority != 0) {
            throw Attributes.invalid("recompress", value.strip(), "give algo= or priority=, not both");
        }
        return new RecompressRequest(type, (int) threshold, maxPages, algorithm, (int) priority);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (type != Type.ALL) {
            b.append("type=").append(type.name().toLowerCase(Locale.ROOT));
        }
        if (threshold != 0) {
            b.append(b.isEmpty() ? "" : " ").append("threshold=").append(threshold);
        }
        if (maxPages != 0) {
            b.append(b.isEmpty() ? "" : " ").append("max_pages=").append(maxPages);
        }
        if (algorithm != null) {
            b.append(b.isEmpty() ? "" : " ").append("algo=").append(algorithm);
        }
        if (priority != 0) {
            b.append(b.isEmpty() ? "" : " ").append("priority=").append(priority);
        }
        return b.toString();
    }
}
