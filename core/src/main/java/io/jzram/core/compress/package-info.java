/**
 * Page compression, zram's {@code zcomp}: the {@link io.jzram.core.compress.CompressionAlgorithm}s
 * by name ({@link io.jzram.core.compress.CompressionAlgorithms}) and their per-thread
 * {@link io.jzram.core.compress.CompressionStream}s.
 *
 * <ul>
 *   <li>{@code lz4} (default) and {@code lz4hc}: lz4-java, JNI binding if it loads, else pure Java;
 *       always the safe decompressor.</li>
 *   <li>{@code zstd}: zstd-jni, level 3; unavailable, not fatal, where its native library does not
 *       load.</li>
 *   <li>{@code deflate}: the JDK's zlib, raw deflate, level 6.</li>
 * </ul>
 *
 * <p>Common to all streams: heap, direct and read-only source buffers in any combination (the
 * destination must be writable); absolute offsets, with positions and limits neither used nor
 * changed; source and destination ranges must not overlap. Output that does not fit
 * {@code maxDstLen} gives {@code -1} without an exception being thrown internally, and
 * steady-state calls allocate nothing (per-stream scratch buffers grow to the largest size seen).
 * Stored data that does not decode to exactly the expected length gives
 * {@link io.jzram.core.compress.CorruptDataException} and nothing else; a caller's mistakes (ranges
 * outside a buffer, a read-only destination, a closed stream) give the usual
 * {@code IndexOutOfBoundsException}, {@code ReadOnlyBufferException} and
 * {@code IllegalStateException}.
 */
package io.jzram.core.compress;
