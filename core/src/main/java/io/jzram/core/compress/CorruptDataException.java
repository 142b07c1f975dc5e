package io.jzram.core.compress;

/** Stored compressed data did not decompress to a whole page: the kernel's read I/O error. */
public final class CorruptDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptDataException(String message) {
        super(message);
    }
}
