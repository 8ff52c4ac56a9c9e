package io.switchboard.signalr.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.signalr.protocol.InvocationMessage;
import io.switchboard.signalr.server.HubConnectionContext;
import io.switchboard.signalr.server.HubLifetimeManager;
import io.switchboard.signalr.server.HubLifetimeManagerContract;
import io.switchboard.signalr.server.MessageCounter;
import io.switchboard.signalr.server.RecordingTransport;
import io.switchboard.signalr.server.TestConnections;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis lifetime manager: the shared contract with two managers on one Redis standing for two
 * servers, plus what only a backplane has (skipping Redis for local targets, surviving an outage).
 * Uses the machine's Redis on 127.0.0.1:6379 under a prefix of its own; the outage test starts its
 * own redis-server.
 */
class RedisHubLifetimeManagerTest extends HubLifetimeManagerContract {

    private static final String REDIS = System.getProperty("switchboard.test.redis", "redis://127.0.0.1:6379");

    private static Vertx vertx;
    private final String prefix = "switchboard-test-" + UUID.randomUUID() + ":";
    private RedisBackplane backplane1;
    private RedisBackplane backplane2;
    private HubLifetimeManager server1;
    private HubLifetimeManager server2;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void twoServers() {
        backplane1 = backplane(REDIS);
        backplane2 = backplane(REDIS);
        server1 = manager("server-1", backplane1);
        server2 = manager("server-2", backplane2);
        awaitUp(backplane1);
        awaitUp(backplane2);
    }

    @AfterEach
    void closeServers() {
        backplane1.close();
        backplane2.close();
    }

    private static RedisBackplane backplane(String url) {
        RedisBackplane backplane = new RedisBackplane(vertx, Redis.createClient(vertx, url), Duration.ofMillis(200), 100_000, 1024,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        backplane.start();
        return backplane;
    }

    private HubLifetimeManager manager(String serverId, RedisBackplane backplane) {
        return new RedisHubLifetimeManager(serverId, "test", prefix, backplane,
                new RedisEnvelope.Codec(JsonMapper.builder().findAndAddModules().build()), TestConnections.PROTOCOLS,
                MessageCounter.NONE);
    }

    private static void awaitUp(RedisBackplane backplane) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!backplane.isUp() && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertTrue(backplane.isUp(), "backplane connected");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected HubLifetimeManager firstServer() {
        return server1;
    }

    @Override
    protected HubLifetimeManager secondServer() {
        return server2;
    }

    @Override
    protected void settle() {
        // SUBSCRIBE of connection and user channels is asynchronous; a round trip to Redis settles it.
        sleep(150);
    }

    @Test
    void aSendToALocalConnectionDoesNotTouchRedis() throws Exception {
        BlockingQueue<String> published = new LinkedBlockingQueue<>();
        RedisConnection monitor = Redis.createClient(vertx, REDIS).connect().toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        monitor.handler(push -> {
            if (push.size() >= 4 && "pmessage".equals(push.get(0).toString())) {
                published.add(push.get(2).toString());
            }
        });
        monitor.send(Request.cmd(Command.PSUBSCRIBE).arg(prefix + "*")).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        try {
            RecordingTransport transport = new RecordingTransport();
            HubConnectionContext local = TestConnections.connected(UUID.randomUUID().toString(), "u", transport);
            server1.onConnected(local);
            server1.sendConnection(local.connectionId(), InvocationMessage.push("Hello", "local"))
                    .toCompletableFuture().join();
            assertNotNull(transport.poll(WAIT));
            assertNull(published.poll(500, TimeUnit.MILLISECONDS), "nothing published for a local target");

            server1.sendGroup("anyone", InvocationMessage.push("Hello", "group")).toCompletableFuture().join();
            assertEquals(prefix + "test:group:anyone", published.poll(2, TimeUnit.SECONDS), "the control case publishes");
        } finally {
            monitor.close();
        }
    }

    @Test
    void afterAnOutageTheBackplaneResubscribesByItselfAndLocalDeliveryNeverStops() throws Exception {
        try (var redis = new io.switchboard.testing.RedisServerProcess().start()) {
            RedisBackplane a = backplane(redis.url());
            RedisBackplane b = backplane(redis.url());
            CountDownLatch reconnected = new CountDownLatch(2);
            a.onReconnected(reconnected::countDown);
            b.onReconnected(reconnected::countDown);
            try {
                HubLifetimeManager first = manager("a", a);
                HubLifetimeManager second = manager("b", b);
                awaitUp(a);
                awaitUp(b);
                RecordingTransport onFirst = new RecordingTransport();
                RecordingTransport onSecond = new RecordingTransport();
                HubConnectionContext c1 = TestConnections.connected(UUID.randomUUID().toString(), "u1", onFirst);
                HubConnectionContext c2 = TestConnections.connected(UUID.randomUUID().toString(), "u2", onSecond);
                first.onConnected(c1);
                second.onConnected(c2);
                first.addToGroup(c1.connectionId(), "g").toCompletableFuture().join();
                second.addToGroup(c2.connectionId(), "g").toCompletableFuture().join();

                redis.stop();
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while ((a.isUp() || b.isUp()) && System.nanoTime() < deadline) {
                    sleep(20);
                }
                assertTrue(!a.isUp() && !b.isUp(), "both see the outage");
                // Not awaited: the envelope waits in the publish buffer until Redis is back.
                first.sendGroup("g", InvocationMessage.push("Hello", "during"));
                assertEquals("{\"type\":1,\"target\":\"Hello\",\"arguments\":[\"during\"]}\u001e", onFirst.poll(WAIT),
                        "local delivery continues during the outage");

                redis.start();
                assertTrue(reconnected.await(10, TimeUnit.SECONDS), "both reconnect by themselves");
                first.sendGroup("g", InvocationMessage.push("Hello", "after")).toCompletableFuture().join();
                // What was published during the outage goes out once Redis is back, but pub/sub keeps nothing:
                // it reaches the other server only if that one resubscribed first (decisions are repaired
                // from the database by DecisionReconciler). What is published afterwards always arrives.
                String received = onSecond.poll(WAIT);
                if (received != null && received.contains("during")) {
                    received = onSecond.poll(WAIT);
                }
                assertEquals("{\"type\":1,\"target\":\"Hello\",\"arguments\":[\"after\"]}\u001e", received,
                        "the other server's group subscription was restored");
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
