package io.switchboard.signalr.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** How many connections each user (a person, or an API key) holds open on this replica, over all hubs. */
public final class ConnectionsPerUser {

    private final ConcurrentMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

    void opened(String userKey) {
        open.computeIfAbsent(userKey, key -> new AtomicInteger()).incrementAndGet();
    }

    void closed(String userKey) {
        // Removed at zero, atomically with the decrement, so idle users leave nothing behind.
        open.computeIfPresent(userKey, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    public int of(String userKey) {
        AtomicInteger count = open.get(userKey);
        return count == null ? 0 : count.get();
    }
}
