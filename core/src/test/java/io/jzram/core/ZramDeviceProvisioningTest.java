package io.jzram.core;

import static io.jzram.core.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramDevice.Provisioning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ZramDevice#provisioning}: which pages hold data that costs memory (mapped) and which read
 * as zeros for free (unmapped), run by run, as GET LBA STATUS reports them.
 */
class ZramDeviceProvisioningTest {
    private static final int PAGES = 16;

    private final ZramDevice device = new ZramDevice(0);

    @TempDir
    Path dir;

    @AfterEach
    void reset() throws Exception {
        device.reset(true, Duration.ofSeconds(5));
    }

    private void write(int page, byte[] data) throws ZramException {
        device.write(TestPages.direct(data), (long) page * PAGE);
    }

    @Test
    void a_new_device_is_one_unmapped_run_to_its_end() throws Exception {
        device.init((long) PAGES * PAGE);
        assertThat(device.provisioning(0, Long.MAX_VALUE)).isEqualTo(new Provisioning(false, (long) PAGES * PAGE));
    }

    @Test
    void a_written_page_is_a_mapped_run_of_exactly_that_page() throws Exception {
        device.init((long) PAGES * PAGE);
        write(3, TestPages.compressible(PAGE, 3));
        assertThat(device.provisioning(0, Long.MAX_VALUE)).isEqualTo(new Provisioning(false, 3L * PAGE));
        assertThat(device.provisioning(3L * PAGE, Long.MAX_VALUE)).isEqualTo(new Provisioning(true, PAGE));
        assertThat(device.provisioning(4L * PAGE, Long.MAX_VALUE)).isEqualTo(new Provisioning(false, 12L * PAGE));
    }

    @Test
    void a_run_starts_at_the_sector_asked_about_even_inside_a_page() throws Exception {
        device.init((long) PAGES * PAGE);
        write(2, TestPages.random(PAGE, 2));
        write(3, TestPages.random(PAGE, 3));
        assertThat(device.provisioning(2L * PAGE + 512, Long.MAX_VALUE))
                .isEqualTo(new Provisioning(true, 2L * PAGE - 512));
    }

    @Test
    void zero_filled_pages_are_unmapped_and_other_same_filled_pages_mapped() throws Exception {
        device.init((long) PAGES * PAGE);
        write(0, TestPages.zeros(PAGE));
        write(1, TestPages.sameFilled(PAGE, 0xAAAA_AAAA_AAAA_AAAAL));
        assertThat(device.provisioning(0, Long.MAX_VALUE)).isEqualTo(new Provisioning(false, PAGE));
        assertThat(device.provisioning(PAGE, Long.MAX_VALUE)).isEqualTo(new Provisioning(true, PAGE));
        assertThat(device.mmStat().memUsedTotal()).as("neither costs allocator memory").isZero();
    }

    @Test
    void a_discarded_page_is_unmapped_again() throws Exception {
        device.init((long) PAGES * PAGE);
        write(5, TestPages.compressible(PAGE, 5));
        device.discard(5L * PAGE, PAGE);
        assertThat(device.provisioning(5L * PAGE, PAGE)).isEqualTo(new Provisioning(false, PAGE));
    }

    @Test
    void a_written_back_page_is_mapped() throws Exception {
        device.setBackingDev(Files.createFile(dir.resolve("wb")));
        device.init((long) PAGES * PAGE);
        write(4, TestPages.compressible(PAGE, 4));
        assertThat(device.writeback(WritebackRequest.parse("huge_idle"))).isZero(); // not idle, not huge: stays
        device.markIdle(java.util.OptionalLong.empty());
        assertThat(device.writeback(WritebackRequest.IDLE)).isEqualTo(1);
        assertThat(device.provisioning(4L * PAGE, PAGE)).isEqualTo(new Provisioning(true, PAGE));
    }

    @Test
    void the_run_is_cut_at_max_length_and_at_the_end_of_the_disk() throws Exception {
        device.init((long) PAGES * PAGE);
        assertThat(device.provisioning(0, 1024)).isEqualTo(new Provisioning(false, 1024));
        assertThat(device.provisioning((long) PAGES * PAGE - 512, Long.MAX_VALUE)).isEqualTo(new Provisioning(false, 512));
    }

    @Test
    void an_offset_at_the_end_or_unaligned_is_out_of_range_and_counted() throws Exception {
        device.init((long) PAGES * PAGE);
        assertThatThrownBy(() -> device.provisioning((long) PAGES * PAGE, 512))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(ZramException.Reason.OUT_OF_RANGE));
        assertThatThrownBy(() -> device.provisioning(100, 512))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(ZramException.Reason.OUT_OF_RANGE));
        assertThat(device.ioStat().invalidIo()).isEqualTo(2);
    }

    @Test
    void an_uninitialized_device_is_not_initialized() {
        assertThatThrownBy(() -> device.provisioning(0, 512))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(ZramException.Reason.NOT_INITIALIZED));
    }

    /** Against a model: walking the runs from page 0 reproduces, page by page, which pages were written non-zero. */
    @Property(tries = 200)
    void runs_walk_the_pages_as_a_model_says(@ForAll @Size(PAGES) java.util.List<@IntRange(min = 0, max = 2) Integer> kinds)
            throws Exception {
        ZramDevice d = new ZramDevice(1);
        try {
            d.init((long) PAGES * PAGE);
            boolean[] model = new boolean[PAGES];
            for (int p = 0; p < PAGES; p++) {
                switch (kinds.get(p)) {
                    case 0 -> { } // never written
                    case 1 -> d.write(TestPages.direct(TestPages.zeros(PAGE)), (long) p * PAGE);
                    default -> {
                        d.write(TestPages.direct(TestPages.compressible(PAGE, p)), (long) p * PAGE);
                        model[p] = true;
                    }
                }
            }
            long at = 0;
            while (at < (long) PAGES * PAGE) {
                Provisioning run = d.provisioning(at, Long.MAX_VALUE);
                assertThat(run.length()).isPositive();
                for (long b = at; b < at + run.length(); b += PAGE) {
                    assertThat(run.mapped()).as("page %d", b / PAGE).isEqualTo(model[(int) (b / PAGE)]);
                }
                long next = at + run.length();
                if (next < (long) PAGES * PAGE) {
                    assertThat(model[(int) (next / PAGE)]).as("a run ends where the state changes").isNotEqualTo(run.mapped());
                }
                at = next;
            }
        } finally {
            d.reset(true, Duration.ofSeconds(5));
        }
    }
}
