package io.switchboard.signalr.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.testing.RedisServerProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backplane's subscriptions against the machine's Redis (127.0.0.1:6379). */
class RedisBackplaneTest {

    private static final String REDIS = System.getProperty("switchboard.test.redis", "redis://127.0.0.1:6379");

    private Vertx vertx;
    private RedisBackplane backplane;
    private final String channel = "switchboard-test-" + UUID.randomUUID() + ":test:group:g";
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void connect() throws InterruptedException {
        vertx = Vertx.vertx();
        backplane = new RedisBackplane(vertx, Redis.createClient(vertx, REDIS), Duration.ofMillis(200), 100_000, 1024,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        backplane.start();
        for (int i = 0; i < 100 && !backplane.isUp(); i++) {
            Thread.sleep(20);
        }
        assertTrue(backplane.isUp());
    }

    @AfterEach
    void close() {
        backplane.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private void publish(String text) {
        backplane.publish(channel, text.getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
    }

    @Test
    void aChannelStaysSubscribedUntilItsLastSubscriberLeavesWhateverTheOrder() throws InterruptedException {
        // A member leaving and another joining race: the join's subscribe arrives before the leave's unsubscribe.
        backplane.subscribe(channel, bytes -> received.add(new String(bytes, StandardCharsets.UTF_8)))
                .toCompletableFuture().join();
        backplane.subscribe(channel, bytes -> received.add(new String(bytes, StandardCharsets.UTF_8)))
                .toCompletableFuture().join();
        backplane.unsubscribe(channel);

        publish("still subscribed");
        assertEquals("still subscribed", received.poll(2, TimeUnit.SECONDS));

        backplane.unsubscribe(channel);
        Thread.sleep(100);
        publish("nobody listens");
        assertEquals(null, received.poll(500, TimeUnit.MILLISECONDS));
    }

    /**
     * A replica that starts while Redis is away still serves its clients; what other replicas published
     * before its first connection never reached them, so it reconciles then too, as after an outage.
     */
    @Test
    void aBackplaneThatStartsWhileRedisIsAwayTellsItsListenersWhenItFirstConnects() throws Exception {
        try (RedisServerProcess redis = new RedisServerProcess()) {
            RedisBackplane late = new RedisBackplane(vertx, Redis.createClient(vertx, redis.url()), Duration.ofMillis(100),
                    100_000, 1024, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            java.util.concurrent.CountDownLatch reconciled = new java.util.concurrent.CountDownLatch(1);
            late.onReconnected(reconciled::countDown);
            try {
                late.start();
                late.subscribe(channel, bytes -> received.add(new String(bytes, StandardCharsets.UTF_8)));
                Thread.sleep(300);
                assertFalse(late.isUp());
                redis.start();
                assertTrue(reconciled.await(10, TimeUnit.SECONDS), "the listeners ran after the first connection");
            } finally {
                late.close();
            }
        }
    }

    @Test
    void aBurstOfPublishesIsNeitherRefusedNorLostNorReordered() throws Exception {
        backplane.subscribe(channel, bytes -> received.add(new String(bytes, StandardCharsets.UTF_8)))
                .toCompletableFuture().join();
        int burst = 20_000;
        java.util.List<java.util.concurrent.CompletableFuture<Void>> sent = new java.util.ArrayList<>(burst);
        for (int i = 0; i < burst; i++) {
            sent.add(backplane.publish(channel, String.valueOf(i).getBytes(StandardCharsets.UTF_8)).toCompletableFuture());
        }
        java.util.concurrent.CompletableFuture.allOf(sent.toArray(java.util.concurrent.CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        for (int i = 0; i < burst; i++) {
            assertEquals(String.valueOf(i), received.poll(5, TimeUnit.SECONDS), "envelope " + i + " in order");
        }
    }
}
