package io.jzram.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jzram.core.ZramException.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZramRegistryTest {

    private final ZramRegistry registry = new ZramRegistry();

    @Test
    void hotAddHandsOutTheLowestFreeId() throws Exception {
        assertThat(registry.hotAdd().name()).isEqualTo("zram0");
        assertThat(registry.hotAdd().name()).isEqualTo("zram1");
        assertThat(registry.hotAdd().name()).isEqualTo("zram2");
        registry.hotRemove(1, false, null);
        assertThat(registry.hotAdd().id()).isEqualTo(1);
        assertThat(registry.hotAdd().id()).isEqualTo(3);
        assertThat(registry.devices()).extracting(ZramDevice::id).containsExactly(0, 1, 2, 3);
    }

    @Test
    void hotAddWithAnIdCreatesExactlyThatDevice() throws Exception {
        registry.hotAdd();
        ZramDevice five = registry.hotAdd(5);
        assertThat(five.name()).isEqualTo("zram5");
        assertThat(registry.devices()).extracting(ZramDevice::id).containsExactly(0, 5);
        assertThat(registry.hotAdd().id()).as("the lowest free id is still handed out").isEqualTo(1);
        assertThatThrownBy(() -> registry.hotAdd(5)).isInstanceOfSatisfying(ZramException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BUSY));
        assertThatThrownBy(() -> registry.hotAdd(-1)).isInstanceOfSatisfying(ZramException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    }

    @Test
    void hotRemoveOfAnOpenDeviceIsBusyUnlessForced() throws Exception {
        ZramDevice d = registry.hotAdd();
        d.init(1 << 20);
        ZramDevice.Holder h = d.open("iscsi");
        assertThatThrownBy(() -> registry.hotRemove(0, false, null))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BUSY));
        assertThat(registry.find(0)).contains(d);
        assertThat(d.isInitialized()).isTrue();

        registry.hotRemove(0, true, null);
        assertThat(registry.find(0)).isEmpty();
        assertThat(d.isInitialized()).isFalse();
        h.close();
    }

    @Test
    void aForcedRemovalThatIsDrainingDoesNotHoldUpTheRestOfTheRegistry() throws Exception {
        ZramDevice d = registry.hotAdd();
        d.init(1 << 20);
        Runnable inFlight = d.enterLikeAnIo();
        var removal = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                registry.hotRemove(0, true, java.time.Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        while (d.isInitialized()) { // the removal has claimed the device and is draining
            Thread.onSpinWait();
        }
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            assertThat(registry.hotAdd().id()).as("another device comes at once; id 0 is still taken").isEqualTo(1);
            registry.hotRemove(1, false, null);
        });
        assertThatThrownBy(() -> registry.hotAdd(0)).isInstanceOfSatisfying(ZramException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BUSY));
        assertThat(removal).isNotDone();
        assertThat(registry.find(0)).contains(d);

        inFlight.run(); // the last I/O leaves: the drain ends, the memory is freed, the device goes
        removal.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(registry.find(0)).isEmpty();
        assertThat(d.isRemoved()).isTrue();
    }

    @Test
    void aRemovedDeviceCannotBeSetUpOrOpenedThroughAStaleReference() throws Exception {
        ZramDevice d = registry.hotAdd();
        registry.hotRemove(0, false, null);
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> d.init(1 << 20), () -> d.open("late"), () -> d.reset(true, null), () -> registry.hotRemove(0, true, null))) {
            assertThatThrownBy(call).isInstanceOfSatisfying(ZramException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_DEVICE));
        }
        assertThat(d.isInitialized()).isFalse();
        assertThat(d.openCount()).isZero();
    }

    @Test
    void aRemovalThatTimesOutLeavesTheDeviceListedAndTheNextOneFinishesIt() throws Exception {
        ZramDevice d = registry.hotAdd();
        d.init(1 << 20);
        Runnable inFlight = d.enterLikeAnIo();
        assertThatThrownBy(() -> registry.hotRemove(0, true, java.time.Duration.ofMillis(50)))
                .isInstanceOfSatisfying(ZramException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMED_OUT));
        assertThat(registry.find(0)).contains(d);
        assertThat(d.isRemoved()).isFalse();
        assertThat(d.isInitialized()).isFalse();
        inFlight.run();
        registry.hotRemove(0, false, null);
        assertThat(registry.find(0)).isEmpty();
    }

    @Test
    void hotRemoveOfAnUnknownDeviceSaysSo() {
        assertThatThrownBy(() -> registry.hotRemove(5, false, null))
                .isInstanceOfSatisfying(ZramException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_DEVICE));
    }

    @Test
    void lookupAcceptsNamesPathsAndIds() throws Exception {
        registry.hotAdd();
        ZramDevice d = registry.hotAdd();
        assertThat(registry.lookup("zram1")).isSameAs(d);
        assertThat(registry.lookup("/dev/zram1")).isSameAs(d);
        assertThat(registry.lookup("1")).isSameAs(d);
        for (String bad : new String[] {"zram9", "sda", "", "zram-1", "/dev/zram", null}) {
            assertThatThrownBy(() -> registry.lookup(bad)).isInstanceOfSatisfying(ZramException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_DEVICE));
        }
    }

    @Test
    void listenersHearAboutAddsAndRemovals() throws Exception {
        List<String> events = new ArrayList<>();
        registry.addListener(new ZramRegistry.Listener() {
            @Override
            public void deviceAdded(ZramDevice device) {
                events.add("+" + device.name());
            }

            @Override
            public void deviceRemoved(ZramDevice device) {
                events.add("-" + device.name());
            }
        });
        registry.hotAdd();
        registry.hotAdd();
        registry.hotRemove(0, false, null);
        assertThat(events).containsExactly("+zram0", "+zram1", "-zram0");
    }
}
