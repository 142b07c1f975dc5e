package io.jzram.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlotTableTest {

    private final SlotTable table = new SlotTable(16);

    @AfterEach
    void close() {
        table.close();
    }

    @Test
    void everySlotStartsEmptyAndUnlocked() {
        for (int i = 0; i < 16; i++) {
            assertThat(table.tryLock(i)).isTrue();
            assertThat(table.isEmpty(i)).isTrue();
            assertThat(table.hasObject(i)).isFalse();
            assertThat(table.isSame(i)).isFalse();
            table.unlock(i);
        }
    }

    @Test
    void aSlotHoldsAnObjectOrASameFilledWord() {
        table.lock(3);
        table.setObject(3, 0x1234_5678_9abcL, 1000, false);
        assertThat(table.hasObject(3)).isTrue();
        assertThat(table.word(3)).isEqualTo(0x1234_5678_9abcL);
        assertThat(table.size(3)).isEqualTo(1000);
        assertThat(table.isHuge(3)).isFalse();

        table.setSame(3, 0L);
        assertThat(table.isSame(3)).isTrue();
        assertThat(table.isEmpty(3)).as("a stored zero page is not an empty slot").isFalse();
        assertThat(table.hasObject(3)).isFalse();

        table.setObject(3, 77, 4096, true);
        assertThat(table.isHuge(3)).isTrue();
        assertThat(table.size(3)).isEqualTo(4096);

        table.clear(3);
        assertThat(table.isEmpty(3)).isTrue();
        table.unlock(3);
    }

    @Test
    void settingMetadataKeepsTheLockHeld() {
        table.lock(5);
        table.setObject(5, 9, 100, false);
        assertThat(table.tryLock(5)).as("still locked").isFalse();
        table.unlock(5);
        assertThat(table.tryLock(5)).isTrue();
        assertThat(table.word(5)).isEqualTo(9);
        table.unlock(5);
    }

    @Test
    void locksArePerSlot() throws Exception {
        table.lock(1);
        AtomicBoolean otherSlot = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            table.lock(2);
            otherSlot.set(true);
            table.unlock(2);
        });
        t.join(5_000);
        assertThat(otherSlot).isTrue();
        table.unlock(1);
    }

    @Test
    void lockExcludesOtherThreadsUntilUnlocked() throws Exception {
        int threads = 4;
        int rounds = 20_000;
        long[] counter = new long[1]; // guarded by slot 0's lock
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ts[i] = Thread.ofPlatform().start(() -> {
                for (int r = 0; r < rounds; r++) {
                    table.lock(0);
                    counter[0]++;
                    table.unlock(0);
                }
            });
        }
        for (Thread t : ts) {
            t.join(30_000);
        }
        assertThat(counter[0]).isEqualTo((long) threads * rounds);
    }

    @Test
    void rejectsImpossibleSizes() {
        assertThatThrownBy(() -> new SlotTable(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlotTable(1L << 31)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedTableCannotBeTouched() {
        SlotTable t = new SlotTable(1);
        t.close();
        assertThatThrownBy(() -> t.lock(0)).isInstanceOf(IllegalStateException.class);
    }
}
