package io.jzram.core;

import io.jzram.core.mem.Page;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.compress.CompressionAlgorithms;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamPoolTest {

    @Test
    void streamsAreLentToOneUserAtATimeAndReused() {
        try (StreamPool pool = new StreamPool(CompressionAlgorithms.of("lz4"), 2)) {
            StreamPool.Stream a = pool.acquire();
            StreamPool.Stream b = pool.acquire();
            assertThat(a).isNotSameAs(b);
            pool.release(a);
            pool.release(b);
            List<StreamPool.Stream> again = List.of(pool.acquire(), pool.acquire());
            assertThat(again).containsExactlyInAnyOrder(a, b);
            again.forEach(pool::release);
        }
    }

    @Test
    void anExhaustedPoolLendsTemporaryStreamsInsteadOfWaiting() {
        try (StreamPool pool = new StreamPool(CompressionAlgorithms.of("lz4"), 1)) {
            List<StreamPool.Stream> lent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                lent.add(pool.acquire());
            }
            assertThat(lent).doesNotHaveDuplicates();
            lent.forEach(pool::release); // one goes back into the pool, four are closed
            StreamPool.Stream s = pool.acquire();
            assertThat(lent).contains(s);
            pool.release(s);
        }
    }

    @Test
    void eachStreamHasRoomForAnyCompressedPageAndAWholePage() {
        try (StreamPool pool = new StreamPool(CompressionAlgorithms.of("zstd"), 1)) {
            StreamPool.Stream s = pool.acquire();
            assertThat(s.compressed.capacity())
                    .isGreaterThanOrEqualTo(CompressionAlgorithms.of("zstd").maxCompressedLength(Page.SIZE));
            assertThat(s.page.capacity()).isEqualTo(Page.SIZE);
            assertThat(s.compressed.isDirect()).isTrue();
            pool.release(s);
        }
    }
}
