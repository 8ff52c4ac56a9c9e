package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * What official clients never send, over a bare WebSocket: each case is answered as the protocol
 * says while other connections keep working.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class RawWebSocketProtocolTest {

    private static final char RS = RawHubSocket.RS;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private RawHubSocket connected(String user) {
        return RawHubSocket.connected(base, EchoHub.PATH, TestTokens.user(user + "-" + UUID.randomUUID(), "tenant-raw"));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static String invocation(String id, String target, String arguments) {
        return "{\"type\":1,\"invocationId\":\"" + id + "\",\"target\":\"" + target + "\",\"arguments\":" + arguments + "}" + RS;
    }

    @Test
    void unknownProtocolIsAnsweredWithAnErrorAndClosed() throws Exception {
        try (RawHubSocket socket = RawHubSocket.open(base, EchoHub.PATH, TestTokens.user("raw", "tenant-raw"))) {
            socket.send("{\"protocol\":\"xml\",\"version\":1}" + RS);
            assertEquals("The protocol 'xml' is not supported.", json(socket.next()).get("error").asText());
            socket.awaitClosed();
        }
    }

    @Test
    void unsupportedVersionIsAnsweredWithAnErrorAndClosed() throws Exception {
        try (RawHubSocket socket = RawHubSocket.open(base, EchoHub.PATH, TestTokens.user("raw", "tenant-raw"))) {
            socket.send("{\"protocol\":\"json\",\"version\":3}" + RS);
            assertEquals("The server does not support version 3 of the 'json' protocol.",
                    json(socket.next()).get("error").asText());
            socket.awaitClosed();
        }
    }

    @Test
    void handshakeVersion2IsAccepted() {
        try (RawHubSocket socket = RawHubSocket.open(base, EchoHub.PATH, TestTokens.user("raw", "tenant-raw"))) {
            socket.send("{\"protocol\":\"json\",\"version\":2}" + RS);
            assertEquals("{}", socket.next());
        }
    }

    @Test
    void garbageHandshakeIsAnsweredWithAnErrorAndClosed() throws Exception {
        try (RawHubSocket socket = RawHubSocket.open(base, EchoHub.PATH, TestTokens.user("raw", "tenant-raw"))) {
            socket.send("hello?" + RS);
            assertTrue(json(socket.next()).has("error"));
            socket.awaitClosed();
        }
    }

    @Test
    void handshakeAndFirstInvocationMayShareAFrame() throws Exception {
        try (RawHubSocket socket = RawHubSocket.open(base, EchoHub.PATH, TestTokens.user("raw", "tenant-raw"))) {
            String group = "group-" + UUID.randomUUID();
            socket.send("{\"protocol\":\"json\",\"version\":1}" + RS + invocation("1", "Join", "[\"" + group + "\"]"));
            assertEquals("{}", socket.next());
            assertEquals("Joined", json(socket.next()).get("target").asText());
            JsonNode completion = json(socket.next());
            assertEquals(3, completion.get("type").asInt());
            assertEquals(group, completion.get("result").asText());
        }
    }

    @Test
    void severalMessagesInOneFrameAreEachAnswered() throws Exception {
        try (RawHubSocket socket = connected("raw")) {
            socket.send(invocation("a", "Nope", "[]") + "{\"type\":6}" + RS + invocation("b", "Nope", "[]"));
            assertEquals("a", json(socket.next()).get("invocationId").asText());
            assertEquals("b", json(socket.next()).get("invocationId").asText());
        }
    }

    @Test
    void oneMessageSplitAcrossFramesAndFragmentsIsReassembled() throws Exception {
        try (RawHubSocket socket = connected("raw")) {
            String message = invocation("split", "Nope", "[1,2,3]");
            socket.send(message.substring(0, 10));
            socket.send(message.substring(10, 30));
            socket.sendFragments(message.substring(30, 40), message.substring(40));
            JsonNode completion = json(socket.next());
            assertEquals("split", completion.get("invocationId").asText());
        }
    }

    @Test
    void unknownMethodWrongCountAndWrongTypeAreErrorCompletionsAndTheConnectionStaysUsable() throws Exception {
        try (RawHubSocket socket = connected("raw")) {
            socket.send(invocation("1", "Nope", "[]"));
            assertEquals("Unknown hub method 'Nope'.", json(socket.next()).get("error").asText());

            socket.send(invocation("2", "Echo", "[\"a\",\"b\"]"));
            assertEquals("'Echo' takes 1 argument(s) but was given 2.", json(socket.next()).get("error").asText());

            socket.send(invocation("3", "Echo", "[{\"text\":\"hi\"}]"));
            assertEquals("Argument 1 of 'Echo' has the wrong type.", json(socket.next()).get("error").asText());

            socket.send(invocation("4", "Add", "[1,\"5\"]"));
            assertEquals("Argument 2 of 'Add' has the wrong type.", json(socket.next()).get("error").asText());

            socket.send(invocation("5", "Send", "[\"still here\"]"));
            JsonNode received = json(socket.next());
            assertEquals("Receive", received.get("target").asText());
            JsonNode answer = json(socket.next());
            assertEquals("5", answer.get("invocationId").asText());
            assertEquals("still here", answer.get("result").get("text").asText());
        }
    }

    @Test
    void methodNamesMatchCaseInsensitively() throws Exception {
        try (RawHubSocket socket = connected("raw")) {
            socket.send(invocation("1", "eCHO", "[\"any case\"]"));
            JsonNode completion = json(socket.next());
            assertEquals("any case", completion.path("result").asText(), completion.toString());
        }
    }

    @Test
    void aFireAndForgetInvocationGetsNoCompletion() throws Exception {
        try (RawHubSocket socket = connected("raw")) {
            socket.send("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"no answer needed\"]}" + RS);
            assertEquals("Receive", json(socket.next()).get("target").asText());
            socket.send("{\"type\":1,\"target\":\"Nope\",\"arguments\":[]}" + RS);
            String next = socket.poll(Duration.ofMillis(700));
            assertTrue(next == null || next.equals("{\"type\":6}"), "no completion expected, got " + next);
        }
    }

    @Test
    void cancelInvocationPingAndUnknownMessageTypesAreIgnoredSafely() throws Exception {
        try (RawHubSocket socket = connected("raw")) {
            socket.send("{\"type\":5,\"invocationId\":\"x\"}" + RS + "{\"type\":6}" + RS + "{\"type\":42}" + RS);
            socket.send(invocation("after", "Nope", "[]"));
            assertEquals("after", json(socket.next()).get("invocationId").asText());
        }
    }

    @Test
    void garbageJsonClosesOnlyThatConnectionWithACloseError() throws Exception {
        try (RawHubSocket bad = connected("raw"); RawHubSocket good = connected("raw-2")) {
            bad.send("{this is not json" + RS);
            JsonNode close = json(bad.next());
            assertEquals(7, close.get("type").asInt());
            assertTrue(close.get("error").asText().startsWith("Connection closed with an error."));
            bad.awaitClosed();

            good.send(invocation("1", "Nope", "[]"));
            assertEquals("1", json(good.next()).get("invocationId").asText());
        }
    }

    @Test
    void jsonNestedDeeperThan64LevelsClosesOnlyThatConnectionWithACloseError() throws Exception {
        try (RawHubSocket deep = connected("raw"); RawHubSocket good = connected("raw-2")) {
            deep.send(invocation("1", "Echo", "[" + "[".repeat(5000) + "]".repeat(5000) + "]"));
            JsonNode close = json(deep.next());
            assertEquals(7, close.get("type").asInt());
            assertEquals("Connection closed with an error. A message is nested more than 64 levels deep.",
                    close.get("error").asText());
            deep.awaitClosed();

            good.send(invocation("2", "Nope", "[]"));
            assertEquals("2", json(good.next()).get("invocationId").asText());
        }
    }

    @Test
    void aMessageOver32KiBClosesOnlyThatConnectionWithACloseError() throws Exception {
        try (RawHubSocket big = connected("raw"); RawHubSocket good = connected("raw-2")) {
            big.send(invocation("1", "Echo", "[\"" + "x".repeat(33 * 1024) + "\"]"));
            JsonNode close = json(big.next());
            assertEquals(7, close.get("type").asInt());
            assertEquals("Connection closed with an error. The message exceeds the maximum size of 32768 bytes.",
                    close.get("error").asText());
            assertNull(close.get("allowReconnect"));
            big.awaitClosed();

            good.send(invocation("2", "Nope", "[]"));
            assertEquals("2", json(good.next()).get("invocationId").asText());
        }
    }

    @Test
    void anIncompleteMessageGrowingPast32KiBAlsoCloses() throws Exception {
        try (RawHubSocket big = connected("raw")) {
            big.send("{\"type\":1,\"target\":\"Echo\",\"arguments\":[\"" + "x".repeat(20 * 1024));
            big.send("x".repeat(20 * 1024));
            assertEquals(7, json(big.next()).get("type").asInt());
            big.awaitClosed();
        }
    }

    @Test
    void aClientCloseMessageEndsTheConnection() {
        try (RawHubSocket socket = connected("raw")) {
            socket.send("{\"type\":7}" + RS);
            socket.awaitClosed();
        }
    }
}
