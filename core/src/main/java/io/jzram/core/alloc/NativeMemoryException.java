package io.jzram.core.alloc;

/** The C library could not provide native memory (its {@code malloc} returned {@code NULL}). */
public final class NativeMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeMemoryException(String message) {
        super(message);
    }

    public NativeMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
