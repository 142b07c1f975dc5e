package io.jzram.target.scsi;

import static io.jzram.target.scsi.ScsiHarness.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** execute from many threads at once, and topology changes racing with attach and close. */
class ConcurrencyTest {
    private ScsiHarness h;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        h = new ScsiHarness();
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        h.close();
    }

    @Test
    void concurrentWritersAndReadersOfDisjointRangesSeeTheirOwnData() throws Exception {
        h.addDevice(4L * MIB);
        ScsiCommandSet.NexusHandle a = h.loginClean();
        ScsiCommandSet.NexusHandle b = h.login("iqn.1993-08.org.debian:01:other", "400001370000");
        h.clearUnitAttentions(b, 0);

        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            ScsiCommandSet.NexusHandle n = t % 2 == 0 ? a : b;
            futures.add(pool.submit((Callable<Void>) () -> {
                long base = thread * 2048L; // 1 MiB each
                for (int i = 0; i < 100; i++) {
                    int blocks = 1 + (i * 7 + thread) % 24;
                    long lba = base + (i * 37L) % (2048 - blocks);
                    byte[] data = ScsiHarness.pattern(blocks, thread * 1000 + i);
                    ScsiResponse w = h.target.execute(n, 0, Cdbs.write16(lba, blocks), ByteBuffer.wrap(data), null);
                    assertThat(w.status()).isEqualTo(ScsiResponse.GOOD);
                    ByteBuffer in = ByteBuffer.allocate(blocks * 512);
                    ScsiResponse r = h.target.execute(n, 0, Cdbs.read10(lba, blocks), null, in);
                    assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
                    assertThat(Arrays.equals(in.array(), data)).as("thread %d op %d", thread, i).isTrue();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void holdersStayExactWhileDevicesComeAndGoAndNexusesAttachAndDetach() throws Exception {
        for (int i = 0; i < 4; i++) {
            h.addDevice(MIB);
        }
        ScsiCommandSet.NexusHandle steady = h.login();

        Future<?> churnDevices = pool.submit((Callable<Void>) () -> {
            for (int i = 0; i < 200; i++) {
                int id = 1 + i % 3;
                try {
                    h.registry.hotRemove(id, true, Duration.ofSeconds(5));
                } catch (ZramException e) {
                    // already removed: fine
                }
                ZramDevice d = h.registry.hotAdd();
                d.init(MIB);
            }
            return null;
        });
        Future<?> churnNexuses = pool.submit((Callable<Void>) () -> {
            for (int i = 0; i < 200; i++) {
                ScsiCommandSet.NexusHandle n = h.target.attach(new ItNexus(1000 + i, "iqn.2000-01.test:churn", "400000000001", null));
                h.target.execute(n, i % 4, Cdbs.testUnitReady(), null, null);
                n.close();
            }
            return null;
        });
        Future<?> io = pool.submit((Callable<Void>) () -> {
            for (int i = 0; i < 400; i++) {
                ScsiResponse r = h.target.execute(steady, i % 4, Cdbs.read10(0, 8), null, ByteBuffer.allocate(4096));
                assertThat(r.status()).isIn(ScsiResponse.GOOD, ScsiResponse.CHECK_CONDITION);
            }
            return null;
        });
        churnDevices.get(30, TimeUnit.SECONDS);
        churnNexuses.get(30, TimeUnit.SECONDS);
        io.get(30, TimeUnit.SECONDS);

        for (ZramDevice d : h.registry.devices()) {
            assertThat(d.openCount()).as("%s is held by the steady nexus only", d.name()).isEqualTo(1);
        }
        steady.close();
        for (ZramDevice d : h.registry.devices()) {
            assertThat(d.openCount()).as(d.name()).isZero();
        }
    }
}
