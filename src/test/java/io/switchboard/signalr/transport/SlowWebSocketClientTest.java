package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.ServerLog;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket client that stops reading must not make the server buffer for it without end: once
 * more than {@code max-outbound-buffer-size} waits for it, its connection is closed.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class SlowWebSocketClientTest {

    private static final char RS = '\u001e';

    @TestHTTPResource("/")
    URI base;

    @Test
    void aClientThatStopsReadingIsDisconnectedInsteadOfBufferedForever() throws Exception {
        String tenant = "tenant-slow-" + UUID.randomUUID();
        String userId = "slow-" + UUID.randomUUID();

        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestTokens.user(userId, tenant))
                .buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + EchoHub.PATH.substring(1)), new NeverReads())
                .join();
        try {
            socket.sendText("{\"protocol\":\"json\",\"version\":1}" + RS, true).join();
            // Each answer carries 2,000,000 characters (about 2 MB); the client reads none.
            String repeat = "{\"type\":1,\"invocationId\":\"r\",\"target\":\"Repeat\",\"arguments\":[\"x\",2000000]}" + RS;
            for (int i = 0; i < 40; i++) {
                socket.sendText(repeat, true).join();
            }
            assertTrue(ServerLog.awaitContaining("/" + userId + " disconnected", Duration.ofSeconds(30)),
                    "the server gave up on the client instead of buffering ~80 MB for it");
        } finally {
            socket.abort();
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
