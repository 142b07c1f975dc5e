package io.jzram.target.iscsi;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which accepted TCP connections the server keeps: at most {@code max} at once, and at most
 * {@code perAddress} from one source address, logged in or not. The accept loop asks before it
 * builds anything for a connection (no buffers, no threads), so a client that opens thousands of
 * idle connections costs the server a file descriptor for the moment it takes to close each one
 * beyond the caps, not a connection's memory.
 *
 * <p>Counting: {@link #admit} takes a place in both counts or in neither (a refused connection
 * leaves them as they were); {@link Ticket#release()} gives both back, once, however often it is
 * called. A source address's count is removed when it reaches 0, so the map holds only addresses
 * with live connections. Lock-free: a count is taken with increment-then-check and given back on
 * refusal, so two racing admits can both be refused at the boundary but never both admitted past
 * it.
 */
final class ConnectionAdmission {
    private final int max;
    private final int perAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> bySource = new ConcurrentHashMap<>();

    ConnectionAdmission(int max, int perAddress) {
        if (max < 1 || perAddress < 1) {
            throw new IllegalArgumentException("connection limits must be >= 1: " + max + ", " + perAddress);
        }
        this.max = max;
        this.perAddress = perAddress;
    }

    /** Why a connection was refused. */
    enum Refusal {
        TOTAL, PER_ADDRESS
    }

    /** A place taken; {@link #release()} gives it back. */
    interface Ticket {
        void release();
    }

    /** What {@link #admit} decided: a ticket, or the reason it was refused. */
    record Decision(Ticket ticket, Refusal refusal) {
        boolean admitted() {
            return ticket != null;
        }
    }

    Decision admit(InetAddress source) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            return new Decision(null, Refusal.TOTAL);
        }
        AtomicInteger mine = bySource.compute(source, (a, c) -> {
            AtomicInteger n = c == null ? new AtomicInteger() : c;
            n.incrementAndGet();
            return n;
        });
        if (mine.get() > perAddress) {
            giveBack(source);
            total.decrementAndGet();
            return new Decision(null, Refusal.PER_ADDRESS);
        }
        AtomicBoolean released = new AtomicBoolean();
        return new Decision(() -> {
            if (released.compareAndSet(false, true)) {
                giveBack(source);
                total.decrementAndGet();
            }
        }, null);
    }

    /** Decrements the source's count, removing it at 0 (atomically with respect to {@link #admit}'s compute). */
    private void giveBack(InetAddress source) {
        bySource.computeIfPresent(source, (a, c) -> c.decrementAndGet() == 0 ? null : c);
    }

    int connections() {
        return total.get();
    }

    int connectionsFrom(InetAddress source) {
        AtomicInteger n = bySource.get(source);
        return n == null ? 0 : n.get();
    }

    int max() {
        return max;
    }

    int perAddress() {
        return perAddress;
    }
}
