package io.jzram.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class CompressionAlgorithmsTest {

    @Test
    void listsTheAvailableAlgorithmsInTheKernelsOrder() {
        assertThat(CompressionAlgorithms.availableNames()).containsExactly("lz4", "lz4hc", "zstd", "deflate");
        assertThat(CompressionAlgorithms.available())
                .extracting(CompressionAlgorithm::name)
                .containsExactly("lz4", "lz4hc", "zstd", "deflate");
        assertThat(CompressionAlgorithms.available()).allMatch(CompressionAlgorithm::isAvailable);
    }

    @Test
    void findsEachAlgorithmByItsName() {
        assertThat(CompressionAlgorithms.of("lz4")).isInstanceOf(Lz4Algorithm.class);
        assertThat(CompressionAlgorithms.of("lz4hc")).isInstanceOf(Lz4HcAlgorithm.class);
        assertThat(CompressionAlgorithms.of("zstd")).isInstanceOf(ZstdAlgorithm.class);
        assertThat(CompressionAlgorithms.of("deflate")).isInstanceOf(DeflateAlgorithm.class);
        for (String name : CompressionAlgorithms.availableNames()) {
            assertThat(CompressionAlgorithms.of(name).name()).isEqualTo(name);
            assertThat(CompressionAlgorithms.of(name)).isSameAs(CompressionAlgorithms.of(name));
        }
    }

    @Test
    void defaultsToLz4() {
        assertThat(CompressionAlgorithms.DEFAULT_NAME).isEqualTo("lz4");
        assertThat(CompressionAlgorithms.defaultAlgorithm()).isSameAs(CompressionAlgorithms.of("lz4"));
    }

    @Test
    void rejectsAnUnknownNameListingTheValidOnes() {
        assertThatThrownBy(() -> CompressionAlgorithms.of("lzo-rle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown compression algorithm \"lzo-rle\"; valid names: lz4, lz4hc, zstd, deflate");
        assertThatThrownBy(() -> CompressionAlgorithms.of("LZ4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompressionAlgorithms.of("lz4\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompressionAlgorithms.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompressionAlgorithms.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void describesTheChoiceLikeCompAlgorithm() {
        assertThat(CompressionAlgorithms.describe("lz4")).isEqualTo("[lz4] lz4hc zstd deflate");
        assertThat(CompressionAlgorithms.describe("lz4hc")).isEqualTo("lz4 [lz4hc] zstd deflate");
        assertThat(CompressionAlgorithms.describe("zstd")).isEqualTo("lz4 lz4hc [zstd] deflate");
        assertThat(CompressionAlgorithms.describe("deflate")).isEqualTo("lz4 lz4hc zstd [deflate]");
        assertThatThrownBy(() -> CompressionAlgorithms.describe("lzo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid names: lz4, lz4hc, zstd, deflate");
    }

    @Test
    void leavesOutAnAlgorithmWhoseNativeLibraryDoesNotLoad() {
        List<CompressionAlgorithm> known = List.of(new Lz4Algorithm(), new Lz4HcAlgorithm(),
                new ZstdAlgorithm(ZstdAlgorithm.DEFAULT_LEVEL, new UnsatisfiedLinkError("no library")),
                new DeflateAlgorithm());

        assertThat(CompressionAlgorithms.available(known))
                .extracting(CompressionAlgorithm::name)
                .containsExactly("lz4", "lz4hc", "deflate");
        assertThat(CompressionAlgorithms.describe(known, "deflate")).isEqualTo("lz4 lz4hc [deflate]");
        assertThatThrownBy(() -> CompressionAlgorithms.of(known, "zstd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compression algorithm \"zstd\" is not available on this machine"
                        + " (its native library could not be loaded); valid names: lz4, lz4hc, deflate");
        assertThatThrownBy(() -> CompressionAlgorithms.describe(known, "zstd"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
