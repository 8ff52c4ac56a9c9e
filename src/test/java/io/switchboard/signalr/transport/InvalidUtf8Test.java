package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.RawWebSocketWire;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A text frame that is not valid UTF-8 is answered with close code 1007 (RFC 6455, "Invalid frame
 * payload data"); other connections are unaffected. No client library sends one, so this test writes
 * the frames itself.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class InvalidUtf8Test {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aTextFrameThatIsNotUtf8IsClosedWith1007() throws Exception {
        String token = TestTokens.user("utf8-" + UUID.randomUUID(), "tenant-utf8");
        try (RawWebSocketWire wire = RawWebSocketWire.connected(base, EchoHub.PATH, token);
             RawHubSocket bystander = RawHubSocket.connected(base, EchoHub.PATH, token)) {
            wire.sendText(new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}', 0x1e});
            assertEquals(1007, wire.nextClose().closeCode());

            bystander.send("{\"type\":6}\u001e");
            bystander.send("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Nope\",\"arguments\":[]}\u001e");
            assertTrue(bystander.next().contains("\"invocationId\":\"1\""), "other connections are unaffected");
        }
    }
}
