package io.switchboard.signalr.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connection slots shared through the machine's Redis (127.0.0.1:6379), under a key prefix of their
 * own: two replicas (two instances, two clients) count against one cap, atomically.
 */
class RedisConnectionSlotsTest {

    private static final String REDIS = System.getProperty("switchboard.test.redis", "redis://127.0.0.1:6379");

    private static Vertx vertx;
    private final String prefix = "switchboard-test-" + UUID.randomUUID() + ":";

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private RedisConnectionSlots replica(Duration lease) {
        return new RedisConnectionSlots(Redis.createClient(vertx, new RedisOptions().setConnectionString(REDIS)
                .setMaxPoolSize(32).setMaxPoolWaiting(1000)), prefix, lease);
    }

    private static boolean taken(RedisConnectionSlots slots, String user, String id, int cap) {
        return slots.take(user, id, cap).toCompletableFuture().join();
    }

    @Test
    void takesRacingOnTwoReplicasGetExactlyTheCap() {
        RedisConnectionSlots first = replica(Duration.ofMinutes(1));
        RedisConnectionSlots second = replica(Duration.ofMinutes(1));
        List<CompletableFuture<Boolean>> takes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            RedisConnectionSlots replica = i % 2 == 0 ? first : second;
            takes.add(replica.take("alice", "connection-" + i, 5).toCompletableFuture());
        }
        long granted = takes.stream().filter(CompletableFuture::join).count();
        assertEquals(5, granted);
    }

    @Test
    void aReleasedSlotCanBeTakenByAnotherReplica() {
        RedisConnectionSlots first = replica(Duration.ofMinutes(1));
        RedisConnectionSlots second = replica(Duration.ofMinutes(1));
        assertTrue(taken(first, "bob", "a", 1));
        assertFalse(taken(second, "bob", "b", 1));
        first.release("bob", "a");
        awaitTrue(() -> taken(second, "bob", "b", 1));
    }

    @Test
    void takingAgainUnderTheSameIdHoldsOneSlot() {
        RedisConnectionSlots slots = replica(Duration.ofMinutes(1));
        assertTrue(taken(slots, "carol", "a", 1));
        assertTrue(taken(slots, "carol", "a", 1));
        assertFalse(taken(slots, "carol", "b", 1));
    }

    @Test
    void aLeaseThatIsNotRenewedLapsesAndOneThatIsRenewedHolds() throws InterruptedException {
        RedisConnectionSlots slots = replica(Duration.ofMillis(600));
        assertTrue(taken(slots, "dave", "renewed", 2));
        assertTrue(taken(slots, "dave", "abandoned", 2));
        for (int i = 0; i < 4; i++) {
            Thread.sleep(250);
            slots.renew(Map.of("dave", List.of("renewed")));
        }
        assertTrue(taken(slots, "dave", "new", 2), "the abandoned lease lapsed");
        assertFalse(taken(slots, "dave", "one-too-many", 2), "the renewed one still counts");
    }

    @Test
    void aRenewalCountsOpenConnectionsAgainAfterRedisLostThem() {
        RedisConnectionSlots slots = replica(Duration.ofMinutes(1));
        assertTrue(taken(slots, "erin", "open", 1));
        Redis.createClient(vertx, REDIS).send(Request.cmd(Command.DEL).arg(prefix + "slots:erin"))
                .toCompletionStage().toCompletableFuture().join(); // as after a restart without persistence
        slots.renew(Map.of("erin", List.of("open")));
        awaitTrue(() -> !taken(slots, "erin", "another", 1));
    }

    /** The scripts go by their SHA-1; after Redis forgot them (a restart, SCRIPT FLUSH) they are sent again. */
    @Test
    void scriptsRedisForgotAreSentAgain() {
        RedisConnectionSlots slots = replica(Duration.ofMinutes(1));
        assertTrue(taken(slots, "grace", "a", 2));
        Redis.createClient(vertx, REDIS).send(Request.cmd(Command.SCRIPT).arg("FLUSH"))
                .toCompletionStage().toCompletableFuture().join();
        assertTrue(taken(slots, "grace", "b", 2));
        assertFalse(taken(slots, "grace", "c", 2), "counted as before, by Redis");
    }

    @Test
    void withoutRedisTheReplicaCountsOnItsOwnAndRefusesNobodyForTheOutage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RedisConnectionSlots slots = new RedisConnectionSlots(Redis.createClient(vertx,
                "redis://127.0.0.1:" + closedPort), prefix, Duration.ofMinutes(1));
        assertTrue(slots.take("frank", "a", 2).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(slots.take("frank", "b", 2).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertFalse(slots.take("frank", "c", 2).toCompletableFuture().get(10, TimeUnit.SECONDS));
        slots.release("frank", "a");
        assertTrue(slots.take("frank", "c", 2).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s");
            }
        }
    }
}
