package io.jzram.core;

/**
 * One initialized life of a device, from {@code init} to {@code reset}: its size, its pages and
 * the {@link IoGate} through which every I/O enters it. A device holds at most one live
 * generation; a new {@code init} makes a new one, so nothing an old generation held can be seen
 * through a new one.
 */
final class Generation {
    final long number;
    final long diskSize;
    final String algorithm;
    final IoGate gate = new IoGate();
    final PageStore store;

    Generation(long number, long diskSize, String algorithm, PageStore store) {
        this.number = number;
        this.diskSize = diskSize;
        this.algorithm = algorithm;
        this.store = store;
    }
}
