package io.jzram.core.alloc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The C library's {@code malloc}, {@code free} and (glibc only) {@code malloc_trim}, called through
 * {@link Linker} downcalls.
 *
 * <p>Segments returned by {@link #malloc} are in the global scope: nothing tracks their lifetime,
 * so the owner must call {@link #free} exactly once and never touch the segment afterwards. This is
 * what makes freeing deterministic and cheap (no arena, no GC, no thread handshake), and it is why
 * the pool that uses it guards its own chunk lifetimes carefully.
 *
 * <p>{@link MemorySegment#reinterpret(long)} is a restricted method: run with
 * {@code --enable-native-access=ALL-UNNAMED} (or the module name) to avoid the JDK's warning.
 */
public final class NativeMemory {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    /*
     * malloc and free are short, never call back into Java and touch no Java heap: "critical"
     * downcalls skip the thread-state transition that an ordinary downcall pays on every call
     * (the allocator calls them whenever a chunk is created or emptied, often under overwrite load).
     */
    private static final MethodHandle MALLOC = LINKER.downcallHandle(
            LIBC.find("malloc").orElseThrow(() -> new ExceptionInInitializerError("no malloc in the C library")),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), Linker.Option.critical(false));

    private static final MethodHandle FREE = LINKER.downcallHandle(
            LIBC.find("free").orElseThrow(() -> new ExceptionInInitializerError("no free in the C library")),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), Linker.Option.critical(false));

    /** {@code int malloc_trim(size_t pad)}: glibc only; absent on musl and other C libraries. */
    private static final Optional<MethodHandle> MALLOC_TRIM = LIBC.find("malloc_trim")
            .map(symbol -> LINKER.downcallHandle(symbol,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)));

    private NativeMemory() {
    }

    /**
     * {@code malloc(bytes)}: uninitialised native memory, as a segment of exactly {@code bytes} bytes.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     * @throws NativeMemoryException if the C library returns {@code NULL}
     */
    public static MemorySegment malloc(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("malloc of " + bytes + " bytes");
        }
        MemorySegment address;
        try {
            address = (MemorySegment) MALLOC.invokeExact(bytes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (address.equals(MemorySegment.NULL)) {
            throw new NativeMemoryException("malloc(" + bytes + ") failed: out of native memory");
        }
        return address.reinterpret(bytes);
    }

    /** {@code free(segment)}: returns memory obtained from {@link #malloc}. Freeing {@code NULL} does nothing. */
    public static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code malloc_trim(0)}: asks the C library to return free heap memory to the operating system.
     *
     * @return {@code true} if some memory was released; {@code false} if none was or if the C
     *     library has no {@code malloc_trim}
     */
    public static boolean trim() {
        if (MALLOC_TRIM.isEmpty()) {
            return false;
        }
        try {
            return (int) MALLOC_TRIM.get().invokeExact(0L) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the C library has {@code malloc_trim} (glibc). */
    public static boolean canTrim() {
        return MALLOC_TRIM.isPresent();
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
