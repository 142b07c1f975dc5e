package io.jzram.core.compress;

import java.util.List;

/** Every algorithm under test, including lz4-java's pure-Java fallback of lz4 and lz4hc. */
final class AlgorithmsUnderTest {

    static List<CompressionAlgorithm> all() {
        return List.of(
                new Lz4Algorithm(),
                new Lz4Algorithm(Lz4Implementation.java()),
                new Lz4HcAlgorithm(),
                new Lz4HcAlgorithm(Lz4Implementation.java(), Lz4HcAlgorithm.DEFAULT_LEVEL),
                new DeflateAlgorithm(),
                new ZstdAlgorithm());
    }

    private AlgorithmsUnderTest() {
    }
}
