package io.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The presence record in the machine's Redis (127.0.0.1:6379, a key prefix of its own), as three
 * replicas share it: each a {@link RedisPresence} with a server id of its own.
 */
class RedisPresenceTest {

    private static final String REDIS = System.getProperty("switchboard.test.redis", "redis://127.0.0.1:6379");
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final String GROUP = ChatHub.workflowGroup("tenant-a", "release");

    private Vertx vertx;
    private Redis client;
    private String prefix;

    @BeforeEach
    void connect() {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, REDIS);
        prefix = "presence-test-" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void close() {
        client.close();
        vertx.close();
    }

    private RedisPresence replica() {
        RedisPresence replica = new RedisPresence(client, prefix, UUID.randomUUID().toString(), TIMEOUT, Duration.ofSeconds(5));
        replica.heartbeat();
        return replica;
    }

    private static List<String> names(List<RedisPresence.Seen> seen) {
        return seen.stream().map(RedisPresence.Seen::displayName).sorted().toList();
    }

    @Test
    void aPersonIsAnnouncedByTheirFirstReplicaAndGoneWithTheirLast() {
        RedisPresence one = replica();
        RedisPresence two = replica();
        assertTrue(one.enter(GROUP, "alice", "Alice", 100), "Alice's first entry anywhere");
        assertFalse(two.enter(GROUP, "alice", "Alice", 100), "her tab on another replica");
        assertFalse(one.enter(GROUP, "alice", "Alice", 100), "entered again on the same replica: no change");
        assertTrue(two.enter(GROUP, "bob", "Bob", 100));
        assertEquals(List.of("Alice", "Bob"), names(one.members(GROUP, 100)), "each person once");
        assertEquals(List.of("Alice", "Bob"), names(two.members(GROUP, 100)));
        assertEquals(1, one.members(GROUP, 1).size(), "bounded by the caller");

        assertFalse(one.leave(GROUP, "alice", false), "still on replica two");
        assertEquals(List.of("Alice", "Bob"), names(one.members(GROUP, 100)));
        assertTrue(two.leave(GROUP, "alice", false), "her last replica");
        assertFalse(two.leave(GROUP, "alice", false), "leaving twice changes nothing");
        assertEquals(List.of("Bob"), names(one.members(GROUP, 100)));
        assertEquals(List.of(), one.members(ChatHub.workflowGroup("tenant-b", "release"), 100), "another tenant's room");
    }

    @Test
    void aWorkflowHoldsAtMostItsBound() {
        RedisPresence one = replica();
        assertTrue(one.enter(GROUP, "alice", "Alice", 2));
        assertTrue(one.enter(GROUP, "bob", "Bob", 2));
        assertFalse(one.enter(GROUP, "carol", "Carol", 2), "full");
        assertEquals(List.of("Alice", "Bob"), names(one.members(GROUP, 100)));
        assertFalse(one.leave(GROUP, "carol", false), "never recorded");
        assertTrue(one.leave(GROUP, "bob", false));
        assertTrue(one.enter(GROUP, "carol", "Carol", 2), "room again");
    }

    @Test
    void aReplicaThatStopsBeatingIsIgnoredThenSweptByExactlyOneOther() throws InterruptedException {
        RedisPresence doomed = replica();
        RedisPresence one = replica();
        RedisPresence two = replica();
        doomed.enter(GROUP, "alice", "Alice", 100);
        doomed.enter(GROUP, "carol", "Carol", 100);
        one.enter(GROUP, "carol", "Carol", 100);
        String other = ChatHub.workflowGroup("tenant-a", "other");
        doomed.enter(other, "alice", "Alice", 100);
        assertEquals(Optional.empty(), one.sweepOne(), "nobody is dead yet");

        Thread.sleep(TIMEOUT.toMillis() + 300);
        one.heartbeat();
        two.heartbeat();
        assertEquals(List.of("Carol"), names(one.members(GROUP, 100)), "the silent replica's people are skipped at once");

        RedisPresence.Swept swept = two.sweepOne().orElseThrow();
        assertEquals(java.util.Set.of(new RedisPresence.Seen(GROUP, "alice", "Alice"), new RedisPresence.Seen(other, "alice", "Alice")),
                java.util.Set.copyOf(swept.gone()), "Alice left both workflows with it; Carol is still on replica one");
        assertEquals(2, swept.gone().size());
        assertEquals(Optional.empty(), one.sweepOne(), "swept once");
        assertEquals(List.of("Carol"), names(two.members(GROUP, 100)));
        assertTrue(one.leave(GROUP, "carol", true), "Carol's count came back right: her last replica leaves her");

        assertTrue(doomed.heartbeat(), "the swept replica learns it was taken for dead, to record its people again");
        assertTrue(doomed.enter(GROUP, "alice", "Alice", 100));
        assertFalse(doomed.heartbeat());
    }
}
