package io.switchboard.signalr.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The publisher's own connection to Redis. */
class RedisPublisherTest {

    /**
     * A retry scheduled while Redis was away ran after the publisher was closed and asked the client for a
     * connection: at shutdown Quarkus has destroyed the client by then, and the attempt was logged at
     * ERROR ("Error Occurred After Shutdown"), e.g. when Redis stopped before the replicas.
     */
    @Test
    void aClosedPublisherStopsTryingToReachRedis() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Vertx vertx = Vertx.vertx();
        try {
            Redis unreachable = Redis.createClient(vertx, "redis://127.0.0.1:" + closedPort);
            AtomicInteger connects = new AtomicInteger();
            Redis counting = (Redis) Proxy.newProxyInstance(Redis.class.getClassLoader(), new Class<?>[] {Redis.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("connect")) {
                            connects.incrementAndGet();
                        }
                        try {
                            return method.invoke(unreachable, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            RedisPublisher publisher = new RedisPublisher(vertx, counting, Duration.ofMillis(100), 10, 10,
                    new SimpleMeterRegistry());
            publisher.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (connects.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(connects.get() >= 2, "it retried while Redis was away");
            publisher.close();
            int atClose = connects.get();
            Thread.sleep(500);
            assertEquals(atClose, connects.get(), "attempts after close");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
