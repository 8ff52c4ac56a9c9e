package io.switchboard.mcpserver;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions in this replica's memory, for a replica that runs alone (no Redis). Idle sessions are
 * dropped when next asked for and by {@link #sweep}, which the caller runs now and then.
 */
final class LocalSessionStore implements SessionStore {

    private record Entry(McpSession session, long idleUntilNanos) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> subscribers = new ConcurrentHashMap<>();

    @Override
    public Future<Void> create(McpSession session, Duration idleTimeout) {
        sessions.put(session.id(), new Entry(session, System.nanoTime() + idleTimeout.toNanos()));
        return Future.succeededFuture();
    }

    @Override
    public Future<Optional<McpSession>> touch(String sessionId, Duration idleTimeout) {
        long now = System.nanoTime();
        Entry entry = sessions.computeIfPresent(sessionId, (id, found) -> found.idleUntilNanos() - now < 0 ? null
                : new Entry(found.session(), now + idleTimeout.toNanos()));
        return Future.succeededFuture(Optional.ofNullable(entry).map(Entry::session));
    }

    @Override
    public Future<Void> end(String sessionId) {
        sessions.remove(sessionId);
        subscribers.values().forEach(set -> set.remove(sessionId));
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> subscribe(String sessionId, String changeId) {
        subscribers.computeIfAbsent(changeId, id -> ConcurrentHashMap.newKeySet()).add(sessionId);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> unsubscribe(String sessionId, String changeId) {
        subscribers.computeIfPresent(changeId, (id, set) -> {
            set.remove(sessionId);
            return set.isEmpty() ? null : set;
        });
        return Future.succeededFuture();
    }

    @Override
    public Future<Set<String>> subscribersOfDecided(String changeId) {
        Set<String> found = subscribers.remove(changeId);
        return Future.succeededFuture(found == null ? Set.of() : Set.copyOf(found));
    }

    /** Drops the sessions idle for too long, and their subscriptions. */
    void sweep() {
        long now = System.nanoTime();
        sessions.values().removeIf(entry -> entry.idleUntilNanos() - now < 0);
        subscribers.values().forEach(set -> set.removeIf(id -> !sessions.containsKey(id)));
        subscribers.values().removeIf(Set::isEmpty);
    }
}
