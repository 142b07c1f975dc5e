package io.jzram.core.compress;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The algorithms a device can use, by the names written to zram's {@code comp_algorithm}
 * attribute, in the order the kernel lists them ({@code backends[]} in
 * {@code drivers/block/zram/zcomp.c}: lz4, lz4hc, zstd, deflate; jzram has no lzo, lzo-rle or
 * 842). Each algorithm is a shared, stateless instance at its kernel-default level.
 *
 * <p>An algorithm whose native library does not load here (zstd, on a platform zstd-jni has no
 * library for) is left out of {@link #available()} and {@link #describe}, and {@link #of} rejects
 * its name, as the kernel rejects an algorithm it was built without.
 */
public final class CompressionAlgorithms {

    /** zram's default: {@code CONFIG_ZRAM_DEF_COMP}, usually lz4 nowadays. */
    public static final String DEFAULT_NAME = Lz4Algorithm.NAME;

    private static final List<CompressionAlgorithm> KNOWN = List.of(
            new Lz4Algorithm(), new Lz4HcAlgorithm(), new ZstdAlgorithm(), new DeflateAlgorithm());

    private CompressionAlgorithms() {
    }

    /**
     * The available algorithm called {@code name} (exactly: no trimming, case-sensitive).
     *
     * @throws IllegalArgumentException for an unknown or unavailable name; the message lists the
     *     valid ones
     */
    public static CompressionAlgorithm of(String name) {
        return of(KNOWN, name);
    }

    /**
     * The available algorithm called {@code name} with the kernel's {@code algorithm_params}:
     * {@code level} (0 for the algorithm's default) and a zstd {@code dictionary} (null for none).
     *
     * @throws IllegalArgumentException for an unknown or unavailable name, a level out of the
     *     algorithm's range, a level for lz4 (lz4-java's fast compressor has no acceleration
     *     setting, which is what the kernel's lz4 takes as its level), or a dictionary for anything
     *     but zstd (lz4-java has no dictionary interface); the message says which
     */
    public static CompressionAlgorithm of(String name, int level, byte[] dictionary) {
        CompressionAlgorithm base = of(name);
        if (level == 0 && dictionary == null) {
            return base;
        }
        if (dictionary != null && !ZstdAlgorithm.NAME.equals(name)) {
            throw new IllegalArgumentException(name + " takes no dictionary here: only zstd does");
        }
        return switch (name) {
            case ZstdAlgorithm.NAME -> new ZstdAlgorithm(level == 0 ? ZstdAlgorithm.DEFAULT_LEVEL : level, dictionary);
            case Lz4HcAlgorithm.NAME -> new Lz4HcAlgorithm(level);
            case DeflateAlgorithm.NAME -> new DeflateAlgorithm(level);
            default -> throw new IllegalArgumentException(name + " takes no level here");
        };
    }

    /** The algorithm called {@link #DEFAULT_NAME}. */
    public static CompressionAlgorithm defaultAlgorithm() {
        return of(DEFAULT_NAME);
    }

    /** The algorithms usable on this machine, in the kernel's order. */
    public static List<CompressionAlgorithm> available() {
        return available(KNOWN);
    }

    /** The names of {@link #available()}, in the kernel's order. */
    public static List<String> availableNames() {
        return names(available());
    }

    /**
     * The value zram shows for {@code comp_algorithm}: the available names separated by spaces, the
     * selected one in brackets, e.g. {@code "[lz4] lz4hc zstd deflate"} (without the kernel's
     * trailing space and newline).
     *
     * @throws IllegalArgumentException if {@code selected} is not an available algorithm
     */
    public static String describe(String selected) {
        return describe(KNOWN, selected);
    }

    static CompressionAlgorithm of(List<CompressionAlgorithm> known, String name) {
        Objects.requireNonNull(name, "name");
        for (CompressionAlgorithm algorithm : known) {
            if (algorithm.name().equals(name)) {
                if (algorithm.isAvailable()) {
                    return algorithm;
                }
                throw new IllegalArgumentException("compression algorithm \"" + name
                        + "\" is not available on this machine (its native library could not be loaded); valid names: "
                        + String.join(", ", names(available(known))));
            }
        }
        throw new IllegalArgumentException("unknown compression algorithm \"" + name + "\"; valid names: "
                + String.join(", ", names(available(known))));
    }

    static List<CompressionAlgorithm> available(List<CompressionAlgorithm> known) {
        return known.stream().filter(CompressionAlgorithm::isAvailable).toList();
    }

    static String describe(List<CompressionAlgorithm> known, String selected) {
        of(known, selected);
        return available(known).stream()
                .map(CompressionAlgorithm::name)
                .map(name -> name.equals(selected) ? "[" + name + "]" : name)
                .collect(Collectors.joining(" "));
    }

    private static List<String> names(List<CompressionAlgorithm> algorithms) {
        return algorithms.stream().map(CompressionAlgorithm::name).toList();
    }
}
