package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A connection's invocations are bounded (docs/api.md, "Limits": 32 waiting): the server stops reading
 * a client whose queue is full and reads on as invocations finish, so nothing the client sent is lost,
 * and the invocations still waiting when the client leaves are dropped instead of run for nobody.
 */
@QuarkusTest
class InvocationBackPressureTest {

    private static final char RS = '\u001e';

    @TestHTTPResource("/")
    URI base;

    @Inject
    DataSource dataSource;

    private static String sendMessage(String invocationId, String text) {
        String id = invocationId == null ? "" : "\"invocationId\":\"" + invocationId + "\",";
        return "{\"type\":1," + id + "\"target\":\"SendMessage\",\"arguments\":[\"" + text + "\"]}" + RS;
    }

    private RawHubSocket joined(String tenant, String workflow) {
        RawHubSocket socket = RawHubSocket.connected(base, "/hubs/chat",
                TestTokens.user("flood-" + UUID.randomUUID(), tenant));
        socket.send("{\"type\":1,\"invocationId\":\"join\",\"target\":\"JoinWorkflow\",\"arguments\":[\"" + workflow
                + "\"]}" + RS);
        while (!socket.next().contains("\"invocationId\":\"join\"")) {
            // UserJoined comes first
        }
        return socket;
    }

    private long stored(String tenant, String workflow) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM chat_message WHERE tenant_id = ? AND workflow_id = ?")) {
            query.setString(1, tenant);
            query.setString(2, workflow);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void manyInvocationsInOneFrameAreAllAnsweredInOrder() {
        String tenant = "tenant-bp-" + UUID.randomUUID();
        try (RawHubSocket socket = joined(tenant, "wf")) {
            StringBuilder frame = new StringBuilder();
            for (int i = 1; i <= 300; i++) {
                frame.append(sendMessage(String.valueOf(i), "m" + i));
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
        String tenant = "tenant-bp-" + UUID.randomUUID();
        int sent = 4000;
        RawHubSocket socket = joined(tenant, "wf");
        StringBuilder frame = new StringBuilder();
        for (int i = 0; i < sent; i++) {
            frame.append(sendMessage(null, "fire and forget " + i));
        }
        socket.send(frame.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stored(tenant, "wf") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        socket.drop();

        Thread.sleep(1500);
        long afterLeaving = stored(tenant, "wf");
        Thread.sleep(2000);
        long later = stored(tenant, "wf");
        assertEquals(afterLeaving, later, "nothing runs for a client that is gone");
        assertTrue(later < sent, "the invocations waiting at the disconnect were dropped, " + later + " ran");
    }

    @Test
    void theServerStopsReadingAClientWhoseQueueIsFull() throws Exception {
        String tenant = "tenant-bp-" + UUID.randomUUID();
        RawHubSocket socket = joined(tenant, "wf");
        String text = "x".repeat(1000);
        StringBuilder frame = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            frame.append(sendMessage(null, text));
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
