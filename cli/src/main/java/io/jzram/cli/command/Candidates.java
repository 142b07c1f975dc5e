package io.jzram.cli.command;

import io.jzram.cli.format.ZramctlColumn;
import io.jzram.core.compress.CompressionAlgorithms;
import java.util.Iterator;

/** Completion candidates for option values (shell completion and the bash/zsh script). */
final class Candidates {
    private Candidates() {}

    /** The compression algorithms available here. */
    static final class Algorithms implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return CompressionAlgorithms.availableNames().iterator();
        }
    }

    /** zramctl's column names. */
    static final class Columns implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ZramctlColumn.headers().iterator();
        }
    }
}
