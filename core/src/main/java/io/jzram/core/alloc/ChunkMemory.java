package io.jzram.core.alloc;

import java.lang.foreign.MemorySegment;

/**
 * Where a {@link SizeClassPool} gets the memory of its chunks from. Production pools use
 * {@link #NATIVE} ({@link NativeMemory}); tests substitute counting or failing implementations.
 * Implementations are thread-safe.
 */
interface ChunkMemory {

    /** Memory of exactly {@code bytes} bytes, contents unspecified; throws {@link NativeMemoryException} if none. */
    MemorySegment allocate(long bytes);

    /** Returns memory obtained from {@link #allocate}. */
    void free(MemorySegment memory);

    /** Hands freed memory back to the operating system where the allocator supports it. */
    void trim();

    ChunkMemory NATIVE = new ChunkMemory() {
        @Override
        public MemorySegment allocate(long bytes) {
            return NativeMemory.malloc(bytes);
        }

        @Override
        public void free(MemorySegment memory) {
            NativeMemory.free(memory);
        }

        @Override
        public void trim() {
            NativeMemory.trim();
        }

        @Override
        public String toString() {
            return "NativeMemory";
        }
    };
}
