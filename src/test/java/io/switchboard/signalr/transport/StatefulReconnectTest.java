package io.switchboard.signalr.transport;

import static io.restassured.RestAssured.given;
import static io.switchboard.signalr.transport.StatefulProtocol.ack;
import static io.switchboard.signalr.transport.StatefulProtocol.attach;
import static io.switchboard.signalr.transport.StatefulProtocol.describe;
import static io.switchboard.signalr.transport.StatefulProtocol.invocation;
import static io.switchboard.signalr.transport.StatefulProtocol.json;
import static io.switchboard.signalr.transport.StatefulProtocol.messagesWithin;
import static io.switchboard.signalr.transport.StatefulProtocol.negotiate;
import static io.switchboard.signalr.transport.StatefulProtocol.nextMessage;
import static io.switchboard.signalr.transport.StatefulProtocol.reattach;
import static io.switchboard.signalr.transport.StatefulProtocol.refusedUpgradeStatus;
import static io.switchboard.signalr.transport.StatefulProtocol.sequence;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.ServerLog;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Stateful reconnect spoken by hand over bare WebSockets (HubProtocol.md "Stateful Reconnect", negotiate's
 * {@code useStatefulReconnect}): handshake version 2, Acks both ways, Sequence and replay on a new socket
 * with the same {@code id}, duplicates processed once, and the hub never told the client was gone.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class StatefulReconnectTest {

    private static final String TENANT = "tenant-stateful";
    private static final Duration QUIET = Duration.ofMillis(1200);

    @TestHTTPResource("/")
    URI base;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String user(String name) {
        return TestTokens.user(unique(name), TENANT);
    }

    private static List<String> described(List<JsonNode> messages) {
        return messages.stream().map(StatefulProtocol::describe).toList();
    }

    @Test
    void negotiateGrantsStatefulReconnectOnlyToAClientThatAsksForIt() {
        negotiate(user("alice"));
        given().auth().oauth2(user("alice")).post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(200).body("$", not(hasKey("useStatefulReconnect")));
    }

    @Test
    void theServerAcknowledgesWhatItReceivedOnAStatefulConnectionOnly() {
        String alice = user("alice");
        try (RawHubSocket stateful = attach(base, alice, negotiate(alice), 2);
             RawHubSocket plain = RawHubSocket.connected(base, EchoHub.PATH, user("bob"))) {
            stateful.send(invocation("1", "Nope", "[]"));
            plain.send(invocation("1", "Nope", "[]"));
            assertEquals("Completion 1", describe(json(plain.next())));

            // The Ack goes out on the next housekeeping tick, which may come before the Completion.
            List<String> statefulFirstTwo = new ArrayList<>(List.of(stateful.next(), stateful.poll(Duration.ofSeconds(3))));
            assertTrue(statefulFirstTwo.remove("{\"type\":8,\"sequenceId\":1}"), statefulFirstTwo::toString);
            assertEquals("Completion 1", describe(json(statefulFirstTwo.get(0))));
            assertEquals(List.of(), plainMessagesOfType(plain, 8), "no Ack without stateful reconnect");
        }
    }

    private static List<String> plainMessagesOfType(RawHubSocket socket, int type) {
        List<String> found = new ArrayList<>();
        String message;
        while ((message = socket.poll(Duration.ofMillis(1500))) != null) {
            if (json(message).get("type").asInt() == type) {
                found.add(message);
            }
        }
        return found;
    }

    @Test
    void aClientThatReconnectsWithTheSameIdGetsSequenceThenEveryUnacknowledgedMessageOnce() {
        String alice = user("alice");
        String group = unique("group");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        try (HubClient bob = HubClient.connect(base, EchoHub.PATH, user("bob"))) {
            RawHubSocket first = attach(base, alice, negotiated, 2);
            first.send(invocation("j", "Join", "[\"" + group + "\"]"));
            assertEquals("Joined", nextMessage(first).get("target").asText()); // sequence id 1
            assertEquals("Completion j", describe(nextMessage(first)));     // 2
            // Acknowledge them; the later Completion proves the Ack was read before the drop.
            first.send(ack(2) + invocation("h", "Echo", "[\"h\"]"));
            assertEquals("Completion h", describe(nextMessage(first)));     // 3, not acknowledged
            first.drop();

            bob.invoke(String.class, "Join", group);                            // 4: Joined bob
            bob.invoke(Map.class, "Send", "one");                               // 5
            bob.invoke(Map.class, "Send", "two");                               // 6

            try (RawHubSocket second = reattach(base, alice, negotiated)) {
                assertEquals("{\"type\":9,\"sequenceId\":3}", second.poll(Duration.ofSeconds(5)),
                        "Sequence comes first and names the oldest unacknowledged message");
                List<JsonNode> replayed = messagesWithin(second, QUIET);
                assertEquals(List.of("Completion h", "Joined", "Receive one", "Receive two"), described(replayed));
            }
        }
    }

    @Test
    void messagesTheClientReplaysAfterReattachAreProcessedOnce() {
        String alice = user("alice");
        String group = unique("group");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        RawHubSocket first = attach(base, alice, negotiated, 2);
        first.send(invocation("j", "Join", "[\"" + group + "\"]"));
        assertEquals("Completion j", describe(nextMessageSkipping(first, "Joined")));
        first.drop();

        try (RawHubSocket second = reattach(base, alice, negotiated)) {
            assertEquals(9, json(second.poll(Duration.ofSeconds(5))).get("type").asInt());
            // As a client that never saw an Ack would: Sequence 1, its one old invocation, then a new one.
            second.send(sequence(1) + invocation("j", "Join", "[\"" + group + "\"]")
                    + invocation("s", "Send", "[\"after the drop\"]"));

            List<String> answers = described(messagesWithin(second, QUIET));
            assertEquals(List.of("Joined", "Completion j", "Receive after the drop", "Completion s"),
                    answers, "the server's unacknowledged messages replayed once, the repeated Join not run again");
        }
    }

    private static JsonNode nextMessageSkipping(RawHubSocket socket, String... targets) {
        while (true) {
            JsonNode message = nextMessage(socket);
            if (!List.of(targets).contains(message.path("target").asText())) {
                return message;
            }
        }
    }

    @Test
    void whatTheClientSendsBeforeItsSequenceIsIgnored() {
        String alice = user("alice");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        RawHubSocket first = attach(base, alice, negotiated, 2);
        first.drop();

        try (RawHubSocket second = reattach(base, alice, negotiated)) {
            assertEquals("{\"type\":9,\"sequenceId\":1}", second.poll(Duration.ofSeconds(5)));
            second.send(invocation("early", "Nope", "[]") + sequence(1) + invocation("late", "Nope", "[]"));

            assertEquals(List.of("Completion late"), described(messagesWithin(second, QUIET)));
        }
    }

    @Test
    void aSequenceAheadOfWhatTheServerReceivedClosesTheConnectionWithAnError() {
        String alice = user("alice");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        RawHubSocket first = attach(base, alice, negotiated, 2);
        first.drop();

        try (RawHubSocket second = reattach(base, alice, negotiated)) {
            assertEquals(9, json(second.poll(Duration.ofSeconds(5))).get("type").asInt());
            second.send(sequence(5));
            JsonNode close = nextMessage(second);
            assertEquals(7, close.get("type").asInt());
            assertTrue(close.get("error").asText().startsWith("Connection closed with an error."), close.toString());
            second.awaitClosed();
        }
        assertTrue(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofSeconds(3)));
    }

    @Test
    void theHubSeesNoDisconnectWhileTheClientReconnectsAndOneOnceTheClientLeaves() {
        String alice = user("alice");
        String group = unique("group");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        try (HubClient bob = HubClient.connect(base, EchoHub.PATH, user("bob"))) {
            bob.invoke(String.class, "Join", group);
            RawHubSocket first = attach(base, alice, negotiated, 2);
            first.send(invocation("j", "Join", "[\"" + group + "\"]"));
            assertEquals("Completion j", describe(nextMessageSkipping(first, "Joined")));
            first.drop();
            assertTrue(ServerLog.awaitConnectionLine(negotiated.connectionId(), "lost its transport",
                    Duration.ofSeconds(3)));

            try (RawHubSocket second = reattach(base, alice, negotiated)) {
                assertEquals(9, json(second.poll(Duration.ofSeconds(5))).get("type").asInt());
                second.send(sequence(2) + invocation("s", "Send", "[\"still here\"]"));

                // Still in the group, with the group still remembered (the connection's items).
                Map<String, Object> received = bob.next("Receive");
                assertEquals("still here", received.get("text"));
                assertEquals(group, received.get("group"));
                assertFalse(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofMillis(500)),
                        "OnDisconnected ran for a connection that came back");
                bob.assertNo("Left", Duration.ofMillis(200));
                second.goodbye();
            }
            assertTrue(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofSeconds(3)),
                    "a close frame from the client ends the connection");
            assertEquals(404, refusedUpgradeStatus(base, alice, negotiated));
        }
    }

    @Test
    void anotherUserCannotTakeOverADroppedConnection() {
        String alice = user("alice");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        RawHubSocket first = attach(base, alice, negotiated, 2);
        first.drop();

        assertEquals(404, refusedUpgradeStatus(base, user("mallory"), negotiated));
        assertEquals(404, refusedUpgradeStatus(base, TestTokens.user(unique("alice"), "other-tenant"), negotiated));
        try (RawHubSocket second = reattach(base, alice, negotiated)) {
            assertEquals("{\"type\":9,\"sequenceId\":1}", second.poll(Duration.ofSeconds(5)), "alice still can");
        }
    }

    @Test
    void aSecondSocketWithTheSameIdReplacesOneTheServerStillHolds() {
        String alice = user("alice");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        try (RawHubSocket first = attach(base, alice, negotiated, 2);
             RawHubSocket second = reattach(base, alice, negotiated)) {
            assertEquals("{\"type\":9,\"sequenceId\":1}", second.poll(Duration.ofSeconds(5)));
            first.awaitClosed();
            second.send(sequence(1) + invocation("1", "Nope", "[]"));
            assertEquals("Completion 1", describe(nextMessage(second)));
            assertFalse(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofMillis(300)));
        }
    }

    @Test
    void aHandshakeOfVersion1TurnsStatefulReconnectOff() {
        String alice = user("alice");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        RawHubSocket first = attach(base, alice, negotiated, 1);
        first.send(invocation("1", "Nope", "[]"));
        assertEquals("Completion 1", describe(json(first.next())));
        first.drop();

        assertTrue(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofSeconds(3)));
        assertEquals(404, refusedUpgradeStatus(base, alice, negotiated));
    }

    @Test
    void aClientThatClosesTheSocketItselfIsDisconnectedAndCannotReattach() {
        String alice = user("alice");
        StatefulProtocol.Negotiated negotiated = negotiate(alice);
        RawHubSocket first = attach(base, alice, negotiated, 2);
        first.goodbye();

        assertTrue(ServerLog.awaitDisconnected(negotiated.connectionId(), Duration.ofSeconds(3)));
        assertEquals(404, refusedUpgradeStatus(base, alice, negotiated));
    }
}
