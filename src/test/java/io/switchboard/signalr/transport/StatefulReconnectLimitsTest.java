package io.switchboard.signalr.transport;

import static io.switchboard.signalr.transport.StatefulProtocol.ack;
import static io.switchboard.signalr.transport.StatefulProtocol.attach;
import static io.switchboard.signalr.transport.StatefulProtocol.describe;
import static io.switchboard.signalr.transport.StatefulProtocol.invocation;
import static io.switchboard.signalr.transport.StatefulProtocol.negotiate;
import static io.switchboard.signalr.transport.StatefulProtocol.nextMessage;
import static io.switchboard.signalr.transport.StatefulProtocol.refusedUpgradeStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.ServerLog;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The bounds of stateful reconnect, shortened through the settings an operator would use (defaults:
 * 15 s window, 256 KiB and 1024 messages of replay buffer): a client that does not come back in time
 * is disconnected, and a client that never acknowledges is closed with an error instead of the server
 * holding (or silently dropping) ever more messages for it.
 */
@QuarkusTest
@TestProfile(StatefulReconnectLimitsTest.SmallLimits.class)
class StatefulReconnectLimitsTest {

    /** Six unacknowledged messages at most; one second to come back; the engine's test hubs. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "switchboard.signalr.stateful-reconnect.buffer-messages", "6",
                    "switchboard.signalr.stateful-reconnect.reattach-window", "1s",
                    "switchboard.signalr.housekeeping-interval", "200ms",
                    EngineTestHubs.PROPERTY, "true");
        }
    }

    private static final String TENANT = "tenant-stateful-limits";

    @TestHTTPResource("/")
    URI base;

    private static String user(String name) {
        return TestTokens.user(name + "-" + UUID.randomUUID().toString().substring(0, 8), TENANT);
    }

    @Test
    void aConnectionNotResumedWithinTheWindowIsDisconnected() {
        String alice = user("alice");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        RawHubSocket first = attach(base, alice, negotiated, 2);
        first.drop();

        assertFalse(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofMillis(500)),
                "kept during the window");
        assertTrue(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofSeconds(3)),
                "disconnected once the window is over");
        assertEquals(404, refusedUpgradeStatus(base, alice, negotiated));
    }

    @Test
    void aClientThatNeverAcknowledgesIsClosedWithAnErrorOnceItsBufferIsFull() {
        String alice = user("alice");
        String group = "group-" + UUID.randomUUID();
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        try (RawHubSocket socket = attach(base, alice, negotiated, 2);
             HubClient bob = HubClient.connect(base, EchoHub.PATH, user("bob"))) {
            socket.send(invocation("j", "Join", "[\"" + group + "\"]"));
            nextMessage(socket);                                          // 1: Joined alice
            assertEquals("Completion j", describe(nextMessage(socket)));  // 2
            bob.invoke(String.class, "Join", group);                      // 3: Joined bob
            bob.invoke(Map.class, "Send", "a");                           // 4
            bob.invoke(Map.class, "Send", "b");                           // 5
            bob.invoke(Map.class, "Send", "fits");                        // 6: the buffer is full now
            bob.invoke(Map.class, "Send", "one too many");                // refused: the connection closes

            assertEquals("Joined", describe(nextMessage(socket)));
            assertEquals("Receive a", describe(nextMessage(socket)));
            assertEquals("Receive b", describe(nextMessage(socket)));
            assertEquals("Receive fits", describe(nextMessage(socket)));
            JsonNode close = nextMessage(socket);
            assertEquals("Close Connection closed with an error. Too many messages were sent without being "
                    + "acknowledged.", describe(close));
            socket.awaitClosed();
        }
        assertTrue(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofSeconds(3)));
    }

    @Test
    void aClientThatAcknowledgesKeepsReceivingPastTheBufferSize() {
        String alice = user("alice");
        String group = "group-" + UUID.randomUUID();
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        try (RawHubSocket socket = attach(base, alice, negotiated, 2);
             HubClient bob = HubClient.connect(base, EchoHub.PATH, user("bob"))) {
            socket.send(invocation("j", "Join", "[\"" + group + "\"]"));
            nextMessage(socket);                             // Joined alice
            nextMessage(socket);                             // Completion
            bob.invoke(String.class, "Join", group);
            nextMessage(socket);                             // Joined bob
            long received = 3;
            for (int i = 0; i < 10; i++) {
                socket.send(ack(received));
                bob.invoke(Map.class, "Send", "message " + i);
                assertEquals("Receive message " + i, describe(nextMessage(socket)));
                received++;
            }
            assertFalse(socket.isClosed());
        }
    }
}
