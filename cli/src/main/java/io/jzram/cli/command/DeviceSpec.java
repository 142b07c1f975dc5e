package io.jzram.cli.command;

import io.jzram.config.SizeParser;
import io.jzram.core.compress.CompressionAlgorithms;

/**
 * A device for {@code serve --device SIZE[:ALGORITHM]}: {@code 1G}, {@code 256M:lz4},
 * {@code 0x40000000:zstd}. SIZE is zramctl's size syntax; ALGORITHM defaults to lz4.
 */
public record DeviceSpec(long size, String algorithm) {

    /** Parses a spec; the message of the exception is for the user. */
    public static DeviceSpec parse(String text) {
        int colon = text.indexOf(':');
        String size = colon < 0 ? text : text.substring(0, colon);
        String algorithm = colon < 0 ? CompressionAlgorithms.DEFAULT_NAME : text.substring(colon + 1);
        long bytes;
        try {
            bytes = SizeParser.parse(size);
        } catch (SizeParser.SizeFormatException e) {
            throw new IllegalArgumentException("--device " + text + ": failed to parse size: " + e.getMessage());
        }
        if (!CompressionAlgorithms.availableNames().contains(algorithm)) {
            throw new IllegalArgumentException("--device " + text + ": unsupported algorithm '" + algorithm
                    + "' (available: " + String.join(", ", CompressionAlgorithms.availableNames()) + ")");
        }
        return new DeviceSpec(bytes, algorithm);
    }
}
