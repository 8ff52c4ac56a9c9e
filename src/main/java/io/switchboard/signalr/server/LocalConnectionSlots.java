package io.switchboard.signalr.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * {@link ConnectionSlots} of a replica on its own: per user, a map of connection id to the lease's
 * end, changed under the map entry's lock so that checking and taking are one step. Leases lapse as in
 * Redis, so a slot whose connection never opened (an upgrade that failed half-way) is not held for ever.
 */
public final class LocalConnectionSlots implements ConnectionSlots {

    private final ConcurrentMap<String, Map<String, Long>> leasesByUser = new ConcurrentHashMap<>();
    private final long leaseNanos;
    private final LongSupplier clock;

    public LocalConnectionSlots(Duration lease) {
        this(lease, System::nanoTime);
    }

    LocalConnectionSlots(Duration lease, LongSupplier clock) {
        this.leaseNanos = lease.toNanos();
        this.clock = clock;
    }

    @Override
    public CompletionStage<Boolean> take(String userKey, String connectionId, int cap) {
        return CompletableFuture.completedFuture(takeNow(userKey, connectionId, cap));
    }

    /** {@link #take} without the future, for callers that count on their own. */
    public boolean takeNow(String userKey, String connectionId, int cap) {
        long now = clock.getAsLong();
        boolean[] taken = new boolean[1];
        leasesByUser.compute(userKey, (user, leases) -> {
            Map<String, Long> held = leases == null ? new HashMap<>() : leases;
            held.values().removeIf(end -> end - now <= 0);
            if (held.containsKey(connectionId) || held.size() < cap) {
                held.put(connectionId, now + leaseNanos);
                taken[0] = true;
            }
            return held.isEmpty() ? null : held;
        });
        return taken[0];
    }

    @Override
    public void release(String userKey, String connectionId) {
        leasesByUser.computeIfPresent(userKey, (user, held) -> {
            held.remove(connectionId);
            return held.isEmpty() ? null : held;
        });
    }

    @Override
    public void renew(Map<String, List<String>> connectionIdsByUser) {
        long end = clock.getAsLong() + leaseNanos;
        connectionIdsByUser.forEach((userKey, ids) -> leasesByUser.computeIfPresent(userKey, (user, held) -> {
            for (String id : ids) {
                held.computeIfPresent(id, (ignored, previousEnd) -> end);
            }
            return held;
        }));
    }
}
