package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class LocalConnectionSlotsTest {

    private final AtomicLong now = new AtomicLong();
    private final LocalConnectionSlots slots = new LocalConnectionSlots(Duration.ofSeconds(60), now::get);

    @Test
    void threadsRacingForSlotsGetExactlyTheCap() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> takes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "connection-" + i;
            takes.add(threads.submit(() -> {
                start.await();
                return slots.takeNow("alice", id, 5);
            }));
        }
        start.countDown();
        int granted = 0;
        for (Future<Boolean> take : takes) {
            granted += take.get() ? 1 : 0;
        }
        threads.shutdown();
        assertEquals(5, granted);
    }

    @Test
    void aReleasedSlotIsFreeAgainAndUsersDoNotShare() {
        assertTrue(slots.takeNow("bob", "a", 1));
        assertFalse(slots.takeNow("bob", "b", 1));
        assertTrue(slots.takeNow("carol", "a", 1));
        slots.release("bob", "a");
        assertTrue(slots.takeNow("bob", "b", 1));
    }

    @Test
    void unrenewedLeasesLapseAndRenewedOnesHold() {
        assertTrue(slots.takeNow("dave", "renewed", 2));
        assertTrue(slots.takeNow("dave", "abandoned", 2));
        now.addAndGet(Duration.ofSeconds(40).toNanos());
        slots.renew(Map.of("dave", List.of("renewed")));
        now.addAndGet(Duration.ofSeconds(40).toNanos());
        assertTrue(slots.takeNow("dave", "new", 2), "the abandoned lease lapsed");
        assertFalse(slots.takeNow("dave", "one-too-many", 2), "the renewed one still counts");
    }

    @Test
    void holdersAreGroupedByOwnerForARenewal() {
        assertEquals(Map.of("alice", List.of("a1", "a2"), "bob", List.of("b1")), ConnectionSlots.byOwner(
                List.of("alice:a1", "bob:b1", "alice:a2"), holder -> holder.split(":")[0], holder -> holder.split(":")[1]));
    }
}
