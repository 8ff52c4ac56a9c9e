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
import io.switchboard.testing.RawWebSocketWire;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket frame or message over the transport's 1 MiB bound is refused like any message over the
 * hub's size limit: a SignalR Close message saying so, then the socket closes (before: a frame over
 * 1 MiB ended in 1006 with nothing said, and a message over 1 MiB sent as several frames was dropped
 * silently while the connection stayed open).
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class OversizedWebSocketMessageTest {

    private static final String TOO_LARGE = "Connection closed with an error. The message exceeds the maximum size of";

    @TestHTTPResource("/")
    URI base;

    @Test
    void aFrameOverOneMebibyteGetsACloseMessageSayingItIsTooLarge() throws Exception {
        String token = TestTokens.user("frame-" + UUID.randomUUID(), "tenant-frames");
        try (RawWebSocketWire wire = RawWebSocketWire.connected(base, EchoHub.PATH, token)) {
            // Only the header of a 2 MiB text frame and its first bytes: the length alone is refused.
            ByteBuffer start = ByteBuffer.allocate(2 + 8 + 4 + 4096);
            start.put((byte) 0x81).put((byte) (0x80 | 127)).putLong(2L << 20).put(new byte[] {1, 2, 3, 4});
            wire.sendRaw(start.array());

            RawWebSocketWire.Frame close = wire.next();
            assertEquals(1, close.opcode(), "a text frame with the Close message, not just a closed socket");
            assertTrue(close.text().startsWith("{\"type\":7,\"error\":\"" + TOO_LARGE), close.text());
            assertEquals(8, wire.next().opcode(), "then the WebSocket close frame");
        }
    }

    @Test
    void aMessageOverOneMebibyteInSeveralFramesGetsACloseMessageToo() {
        String token = TestTokens.user("fragments-" + UUID.randomUUID(), "tenant-frames");
        try (RawHubSocket socket = RawHubSocket.connected(base, EchoHub.PATH, token)) {
            String part = "x".repeat(600 * 1024);
            try {
                socket.sendFragments(part, part, "\u001e");
            } catch (CompletionException outputClosed) {
                // The server may close before the client has written the last part: that is the point.
            }
            String close = socket.poll(Duration.ofSeconds(5));
            assertTrue(close != null && close.startsWith("{\"type\":7,\"error\":\"" + TOO_LARGE), String.valueOf(close));
            socket.awaitClosed();
        }
    }
}
