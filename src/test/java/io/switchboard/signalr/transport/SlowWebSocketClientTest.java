package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ServerLog;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket client that stops reading must not make the server buffer for it without end: once
 * more than {@code max-outbound-buffer-size} waits for it, its connection is closed.
 */
@QuarkusTest
class SlowWebSocketClientTest {

    private static final char RS = '\u001e';

    @TestHTTPResource("/")
    URI base;

    @Inject
    DataSource dataSource;

    @Test
    void aClientThatStopsReadingIsDisconnectedInsteadOfBufferedForever() throws Exception {
        String tenant = "tenant-slow-" + UUID.randomUUID();
        String workflow = "wf-slow";
        storeBigMessages(tenant, workflow, 500);
        String userId = "slow-" + UUID.randomUUID();

        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestTokens.user(userId, tenant))
                .buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + "hubs/chat"), new NeverReads())
                .join();
        try {
            socket.sendText("{\"protocol\":\"json\",\"version\":1}" + RS, true).join();
            // Each answer carries 500 messages of 4,000 characters (about 2 MB); the client reads none.
            String getHistory = "{\"type\":1,\"invocationId\":\"h\",\"target\":\"GetHistory\",\"arguments\":[\""
                    + workflow + "\",null,500]}" + RS;
            for (int i = 0; i < 40; i++) {
                socket.sendText(getHistory, true).join();
            }
            assertTrue(ServerLog.awaitContaining("/" + userId + " disconnected", Duration.ofSeconds(30)),
                    "the server gave up on the client instead of buffering ~80 MB for it");
        } finally {
            socket.abort();
        }
    }

    private void storeBigMessages(String tenant, String workflow, int count) throws Exception {
        String content = "x".repeat(4000);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO chat_message (id, tenant_id, workflow_id, user_id, display_name, content, created_at)
                     VALUES (?, ?, ?, 'writer', 'Writer', ?, ?)""")) {
            for (int i = 0; i < count; i++) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, tenant);
                insert.setString(3, workflow);
                insert.setString(4, content);
                insert.setTimestamp(5, Timestamp.from(Instant.now()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Asks for no message at all, so the client stops reading its socket. */
    private static final class NeverReads implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            return null;
        }
    }
}
