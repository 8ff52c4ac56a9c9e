package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A connection's invocations are bounded (docs/api.md, "Limits": 32 waiting): the server stops reading
 * a client whose queue is full and reads on as invocations finish, so nothing the client sent is lost,
 * and the invocations still waiting when the client leaves are dropped instead of run for nobody.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class InvocationBackPressureTest {

    private static final char RS = '\u001e';

    @TestHTTPResource("/")
    URI base;

    /** {@code Work(key, millis)}: takes {@code millis}, then counts one more run of {@code key}. */
    private static String work(String invocationId, String key, int millis) {
        String id = invocationId == null ? "" : "\"invocationId\":\"" + invocationId + "\",";
        return "{\"type\":1," + id + "\"target\":\"Work\",\"arguments\":[\"" + key + "\"," + millis + "]}" + RS;
    }

    private RawHubSocket connected() {
        return RawHubSocket.connected(base, EchoHub.PATH, TestTokens.user("flood-" + UUID.randomUUID(), "tenant-bp"));
    }

    @Test
    void manyInvocationsInOneFrameAreAllAnsweredInOrder() {
        String key = "in-order-" + UUID.randomUUID();
        try (RawHubSocket socket = connected()) {
            StringBuilder frame = new StringBuilder();
            for (int i = 1; i <= 300; i++) {
                frame.append(work(String.valueOf(i), key, 0));
            }
            socket.send(frame.toString());
            int expected = 1;
            while (expected <= 300) {
                String message = socket.next();
                if (message.startsWith("{\"type\":3")) {
                    assertTrue(message.contains("\"invocationId\":\"" + expected + "\""), message);
                    expected++;
                }
            }
        }
    }

    @Test
    void invocationsStillWaitingWhenTheClientLeavesAreDropped() throws Exception {
        String key = "dropped-" + UUID.randomUUID();
        int sent = 4000;
        RawHubSocket socket = connected();
        StringBuilder frame = new StringBuilder();
        for (int i = 0; i < sent; i++) {
            frame.append(work(null, key, 2)); // fire and forget, 2 ms each: 8 s if all ran
        }
        socket.send(frame.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (EchoHub.runs(key) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        socket.drop();

        Thread.sleep(1500);
        long afterLeaving = EchoHub.runs(key);
        Thread.sleep(2000);
        long later = EchoHub.runs(key);
        assertEquals(afterLeaving, later, "nothing runs for a client that is gone");
        assertTrue(later < sent, "the invocations waiting at the disconnect were dropped, " + later + " ran");
    }

    @Test
    void theServerStopsReadingAClientWhoseQueueIsFull() throws Exception {
        RawHubSocket socket = connected();
        String key = "x".repeat(1000);
        StringBuilder frame = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            frame.append(work(null, key, 1)); // about 1 KB each, 1 ms each
        }
        String hundredKilobytes = frame.toString();
        int frames = 400; // 40 MB: far more than the socket buffers of both ends hold
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < frames; i++) {
                    socket.send(hundredKilobytes);
                    written.incrementAndGet();
                }
            } catch (RuntimeException closed) {
                // the test dropped the socket
            }
        });
        sender.setDaemon(true);
        sender.start();
        Thread.sleep(3000);
        int handedToTheNetwork = written.get();
        socket.drop();
        sender.join(10_000);
        assertTrue(handedToTheNetwork < frames / 2,
                "the client could write only what the socket buffers hold, not " + handedToTheNetwork + " frames");
    }
}
