package io.switchboard.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers at most {@code capacity} entries; when full it forgets them all and starts over. Enough for
 * what can always be built again (a verified token, the user or identity read from a credential): no
 * eviction order to keep and no lock, and a flood of one-off credentials costs a rebuild, not memory.
 */
final class CappedCache<K, V> {

    private final int capacity;
    private final Map<K, V> entries = new ConcurrentHashMap<>();

    CappedCache(int capacity) {
        this.capacity = capacity;
    }

    /** The value remembered for {@code key}, or null. */
    V get(K key) {
        return entries.get(key);
    }

    void put(K key, V value) {
        makeRoom();
        entries.put(key, value);
    }

    /** The value remembered for {@code key}, or {@code build}'s, remembered; racing builders agree on one. */
    V remembered(K key, Function<K, V> build) {
        V known = entries.get(key);
        if (known != null) {
            return known;
        }
        V built = build.apply(key);
        makeRoom();
        V raced = entries.putIfAbsent(key, built);
        return raced != null ? raced : built;
    }

    private void makeRoom() {
        if (entries.size() >= capacity) {
            entries.clear();
        }
    }
}
