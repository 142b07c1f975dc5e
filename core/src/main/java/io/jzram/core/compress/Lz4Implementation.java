package io.jzram.core.compress;

import net.jpountz.lz4.LZ4Factory;

/**
 * Which lz4-java implementation this JVM uses: the JNI binding of the reference C library if it
 * loads, else the fastest pure-Java one. Chosen once, silently; {@link Lz4Algorithm#implementation()}
 * tells which.
 */
record Lz4Implementation(LZ4Factory factory, boolean isNative) {

    static Lz4Implementation preferred() {
        return Holder.PREFERRED;
    }

    static Lz4Implementation java() {
        return new Lz4Implementation(LZ4Factory.fastestJavaInstance(), false);
    }

    private static final class Holder {
        static final Lz4Implementation PREFERRED = choose();

        private static Lz4Implementation choose() {
            try {
                return new Lz4Implementation(LZ4Factory.nativeInstance(), true);
            } catch (LinkageError | AssertionError | RuntimeException nativeUnavailable) {
                // No native library for this platform, or it failed lz4-java's self-test.
                return java();
            }
        }
    }
}
