package io.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CappedCacheTest {

    @Test
    void aFullCacheForgetsEverythingAndStartsOver() {
        CappedCache<String, Integer> cache = new CappedCache<>(2);
        cache.put("a", 1);
        cache.put("b", 2);

        cache.put("c", 3);

        assertNull(cache.get("a"));
        assertNull(cache.get("b"));
        assertEquals(3, cache.get("c"));
    }

    @Test
    void aRememberedValueIsBuiltOnceAndSharedAfterwards() {
        CappedCache<String, Object> cache = new CappedCache<>(10);
        AtomicInteger builds = new AtomicInteger();

        Object first = cache.remembered("key", key -> new Object[] {builds.incrementAndGet()});
        Object second = cache.remembered("key", key -> new Object[] {builds.incrementAndGet()});

        assertSame(first, second);
        assertEquals(1, builds.get());
    }
}
