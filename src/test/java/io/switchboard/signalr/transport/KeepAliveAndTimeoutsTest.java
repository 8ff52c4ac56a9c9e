package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Keep-alive, client timeout and handshake timeout, with the intervals shortened through the same
 * {@code switchboard.signalr.*} settings an operator would use (defaults: 15 s, 30 s, 15 s).
 */
@QuarkusTest
@TestProfile(KeepAliveAndTimeoutsTest.ShortTimeouts.class)
class KeepAliveAndTimeoutsTest {

    /** Shared with {@link LongPollingTimeoutsTest}, so both run on one application start; with the engine's test hubs. */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "switchboard.signalr.keep-alive-interval", "1s",
                    "switchboard.signalr.client-timeout", "3s",
                    "switchboard.signalr.handshake-timeout", "2s",
                    "switchboard.signalr.housekeeping-interval", "200ms",
                    "switchboard.signalr.long-polling-timeout", "1s",
                    "switchboard.signalr.disconnect-timeout", "1s",
                    EngineTestHubs.PROPERTY, "true");
        }
    }

    @TestHTTPResource("/")
    URI base;

    private String token() {
        return TestTokens.user("idle-" + UUID.randomUUID(), "tenant-timeouts");
    }

    @Test
    void anIdleConnectionReceivesPings() {
        try (RawHubSocket socket = RawHubSocket.connected(base, EchoHub.PATH, token())) {
            assertEquals("{\"type\":6}", socket.poll(Duration.ofSeconds(3)));
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedWithAnError() {
        try (RawHubSocket socket = RawHubSocket.connected(base, EchoHub.PATH, token())) {
            String close = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (close == null && System.nanoTime() < deadline) {
                String message = socket.poll(Duration.ofMillis(500));
                if (message != null && message.startsWith("{\"type\":7")) {
                    close = message;
                }
            }
            assertEquals("{\"type\":7,\"error\":\"Server timeout elapsed without receiving a message from the client.\","
                    + "\"allowReconnect\":true}", close, "ASP.NET Core lets such a client reconnect too");
            socket.awaitClosed();
        }
    }

    @Test
    void aClientThatPingsStaysConnected() throws InterruptedException {
        try (RawHubSocket socket = RawHubSocket.connected(base, EchoHub.PATH, token())) {
            for (int i = 0; i < 8; i++) {
                socket.send("{\"type\":6}\u001e");
                Thread.sleep(500);
            }
            assertFalse(socket.isClosed(), "4 s of pings outlive a 3 s client timeout");
        }
    }

    @Test
    void aConnectionWithoutHandshakeIsClosed() {
        try (RawHubSocket socket = RawHubSocket.open(base, EchoHub.PATH, token())) {
            assertEquals("{\"error\":\"Handshake was canceled.\"}", socket.next(), "ASP.NET Core's answer, then the close");
            socket.awaitClosed();
            assertTrue(socket.isClosed());
        }
    }
}
