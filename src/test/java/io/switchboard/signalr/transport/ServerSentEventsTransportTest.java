package io.switchboard.signalr.transport;

import static io.switchboard.testing.RawHttpConnection.HANDSHAKE;
import static io.switchboard.testing.RawHttpConnection.RS;
import static io.switchboard.testing.RawHttpConnection.invocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.EventStream;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Server-Sent Events transport over raw HTTP: headers, framing, and every refusal. */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class ServerSentEventsTransportTest {

    private static final String HUB = EchoHub.PATH;

    @TestHTTPResource("/")
    URI base;

    private static String user(String name) {
        return TestTokens.user(name + "-" + UUID.randomUUID().toString().substring(0, 8), "tenant-sse");
    }

    /** As the JavaScript client opens it: the credential in {@code access_token}, no header. */
    private static EventStream open(RawHttpConnection connection, String credential) {
        return EventStream.open(connection.uri("access_token=" + credential), null);
    }

    @Test
    void theStreamIsAnEventStreamCarryingEachFrameAsDataLines() {
        String alice = user("alice");
        RawHttpConnection connection = RawHttpConnection.negotiate(base, HUB, alice);
        try (EventStream events = open(connection, alice)) {
            HttpResponse<?> response = events.response();
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(null));
            assertEquals("no-cache,no-store", response.headers().firstValue("Cache-Control").orElse(null));
            assertEquals(":\r\n", events.awaitContaining(":\r\n"), "a comment opens the stream");

            assertEquals(200, connection.post(HANDSHAKE).statusCode());
            events.awaitContaining(":\r\ndata: {}" + RS + "\r\n\r\n");

            assertEquals(200, connection.post(invocation("7", "NoSuchMethod", "x")).statusCode());
            String stream = events.awaitContaining("\"invocationId\":\"7\"");
            String event = stream.substring(stream.indexOf("data: {\"type\":3"));
            assertTrue(event.matches("data: \\{\"type\":3,\"invocationId\":\"7\",\"error\":\"[^\"\r\n]+\"}" + RS + "\r\n\r\n"),
                    event);
        }
    }

    @Test
    void closingTheStreamEndsTheConnection() throws InterruptedException {
        String alice = user("alice");
        RawHttpConnection connection = RawHttpConnection.negotiate(base, HUB, alice);
        try (EventStream events = open(connection, alice)) {
            connection.post(HANDSHAKE);
            events.awaitContaining("data: {}");
        }
        int status = 200;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (status == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = connection.post(invocation("1", "NoSuchMethod", "x")).statusCode();
        }
        assertEquals(404, status, "POSTs are refused once the stream is gone");
        try (EventStream again = open(connection, alice)) {
            assertEquals(404, again.response().statusCode(), "and so is a new stream on the ended connection");
        }
    }

    @Test
    void aConnectionTheServerClosesEndsTheStream() {
        String alice = user("alice");
        RawHttpConnection connection = RawHttpConnection.negotiate(base, HUB, alice);
        try (EventStream events = open(connection, alice)) {
            events.awaitContaining(":\r\n");
            connection.post("{\"protocol\":\"nope\",\"version\":1}" + RS);
            events.awaitContaining("data: {\"error\":");
            assertTrue(events.awaitEnd(), "the server ends the stream after the refused handshake");
        }
    }

    @Test
    void aBinaryProtocolIsRefusedServerSentEvents() {
        String alice = user("alice");
        RawHttpConnection connection = RawHttpConnection.negotiate(base, HUB, alice);
        try (EventStream events = open(connection, alice)) {
            events.awaitContaining(":\r\n");
            assertEquals(200, connection.post("{\"protocol\":\"messagepack\",\"version\":1}" + RS).statusCode());
            assertTrue(events.awaitEnd(), "the stream ends: events cannot carry messagepack frames");
            assertEquals(":\r\ndata: {\"error\":\"Cannot use the 'messagepack' protocol on the current transport. "
                    + "The transport does not support 'Binary' transfer format.\"}" + RS + "\r\n\r\n", events.receivedSoFar(),
                    "after the handshake error, as ASP.NET Core words it, and nothing binary");
        }
    }

    @Test
    void aStreamWithoutAValidCredentialIs401() {
        RawHttpConnection connection = RawHttpConnection.negotiate(base, HUB, user("alice"));
        try (EventStream anonymous = EventStream.open(connection.uri(null), null);
             EventStream stranger = open(connection, TestTokens.signedByStranger("alice", "tenant-sse"))) {
            assertEquals(401, anonymous.response().statusCode());
            assertEquals(401, stranger.response().statusCode());
        }
    }

    @Test
    void anotherUsersOrAnUnknownIdIs404() {
        RawHttpConnection connection = RawHttpConnection.negotiate(base, HUB, user("alice"));
        String mallory = user("mallory");
        try (EventStream stolen = open(connection, mallory);
             EventStream unknown = EventStream.open(base.resolve(HUB + "?id=no-such-id&access_token=" + mallory), null)) {
            assertEquals(404, stolen.response().statusCode());
            assertEquals(404, unknown.response().statusCode());
        }
    }

    @Test
    void aSecondStreamOnTheSameIdIs409AndDeleteIs400() {
        String alice = user("alice");
        RawHttpConnection connection = RawHttpConnection.negotiate(base, HUB, alice);
        try (EventStream first = open(connection, alice)) {
            first.awaitContaining(":\r\n");
            try (EventStream second = open(connection, alice)) {
                assertEquals(409, second.response().statusCode());
            }
            assertEquals(400, connection.delete().statusCode(), "DELETE only ends Long Polling connections");
            assertEquals(400, connection.poll().statusCode(), "no switching to Long Polling");
            assertEquals(200, connection.post(HANDSHAKE).statusCode(), "the stream is still in use");
            first.awaitContaining("data: {}");
        }
    }

    @Test
    void aStreamWithoutAnIdIs400() {
        String alice = user("alice");
        HttpResponse<String> response = RawHttpConnection.send(HttpRequest.newBuilder(base.resolve(HUB))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + alice).GET());
        assertEquals(400, response.statusCode());
    }
}
