package io.jzram.core;

import io.jzram.core.compress.CompressionAlgorithm;
import io.jzram.core.compress.CompressionAlgorithms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One compression algorithm of a device with its parameters: what the kernel's
 * {@code comp_algorithm} / {@code recomp_algorithm} name and {@code algorithm_params} tune
 * ({@code level=}, {@code dict=}). Immutable. A dictionary file is read when the choice is made,
 * as the kernel reads it when {@code algorithm_params} is written, so a missing or unreadable file
 * is reported then and not at {@code disksize}; the device keeps the bytes it read.
 */
public final class AlgorithmChoice {
    private final String name;
    private final int level;
    private final Path dictionaryPath;
    private final byte[] dictionary;

    private AlgorithmChoice(String name, int level, Path dictionaryPath, byte[] dictionary) {
        this.name = name;
        this.level = level;
        this.dictionaryPath = dictionaryPath;
        this.dictionary = dictionary;
    }

    /** {@code name} at its default level, without a dictionary. */
    public static AlgorithmChoice of(String name) throws ZramException {
        return of(name, 0, null);
    }

    /**
     * {@code name} at {@code level} (0: the algorithm's default) with the dictionary in
     * {@code dictionary} (null: none).
     *
     * @throws ZramException INVALID_ARGUMENT for an unknown algorithm or parameters it does not
     *     take (the message says which); NO_SUCH_FILE or IO_ERROR for a dictionary file that
     *     cannot be read
     */
    public static AlgorithmChoice of(String name, int level, Path dictionary) throws ZramException {
        Objects.requireNonNull(name, "name");
        byte[] bytes = null;
        if (dictionary != null) {
            try {
                bytes = Files.readAllBytes(dictionary);
            } catch (NoSuchFileException e) {
                throw new ZramException(ZramException.Reason.NO_SUCH_FILE, "dictionary " + dictionary + ": no such file", e);
            } catch (IOException e) {
                throw new ZramException(ZramException.Reason.IO_ERROR, "dictionary " + dictionary + ": cannot read: " + e.getMessage(), e);
            }
        }
        AlgorithmChoice choice = new AlgorithmChoice(name, level, dictionary, bytes);
        choice.algorithm(); // validates the name and the parameters now
        return choice;
    }

    /** The algorithm's name, as comp_algorithm shows it. */
    public String name() {
        return name;
    }

    /** The level asked for; 0 = the algorithm's default. */
    public int level() {
        return level;
    }

    /** The dictionary file, or null. */
    public Path dictionary() {
        return dictionaryPath;
    }

    /** The same algorithm with other parameters. */
    public AlgorithmChoice withParams(int newLevel, Path newDictionary) throws ZramException {
        return of(name, newLevel, newDictionary);
    }

    /**
     * The algorithm itself, with its parameters.
     *
     * @throws ZramException INVALID_ARGUMENT as for {@link #of(String, int, Path)}
     */
    CompressionAlgorithm algorithm() throws ZramException {
        try {
            return CompressionAlgorithms.of(name, level, dictionary);
        } catch (IllegalArgumentException e) {
            throw new ZramException(ZramException.Reason.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    /** The parameters as {@code algorithm_params} takes them, after {@code algo=NAME}: e.g. {@code level=8 dict=/etc/d}; empty for defaults. */
    public String params() {
        StringBuilder b = new StringBuilder();
        if (level != 0) {
            b.append("level=").append(level);
        }
        if (dictionaryPath != null) {
            b.append(b.isEmpty() ? "" : " ").append("dict=").append(dictionaryPath);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlgorithmChoice c && c.name.equals(name) && c.level == level
                && Objects.equals(c.dictionaryPath, dictionaryPath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, level, dictionaryPath);
    }

    @Override
    public String toString() {
        String p = params();
        return p.isEmpty() ? name : name + " " + p;
    }
}
