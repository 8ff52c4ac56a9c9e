package io.switchboard.signalr.transport;

import static io.switchboard.testing.RawHttpConnection.HANDSHAKE;
import static io.switchboard.testing.RawHttpConnection.RS;
import static io.switchboard.testing.RawHttpConnection.invocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.EventStream;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestTokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Long Polling transport over raw HTTP: what each request answers (TransportProtocols.md and
 * ASP.NET Core's HttpConnectionDispatcher). Frames are checked by their invocation id; an unknown
 * method answers an error Completion without touching the database.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class LongPollingTransportTest {

    private static final String HUB = EchoHub.PATH;
    /** Long enough to be sure the server holds a poll rather than answering it. */
    private static final Duration HELD = Duration.ofMillis(700);

    @TestHTTPResource("/")
    URI base;

    private static String user(String name) {
        return TestTokens.user(name + "-" + UUID.randomUUID().toString().substring(0, 8), "tenant-lp");
    }

    private RawHttpConnection negotiate(String credential) {
        return RawHttpConnection.negotiate(base, HUB, credential);
    }

    private static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> poll) throws Exception {
        return poll.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theFirstPollIsAnsweredAtOnceWithAnEmptyBody() {
        RawHttpConnection connection = negotiate(user("alice"));
        long start = System.nanoTime();
        HttpResponse<String> first = connection.poll();
        assertEquals(200, first.statusCode());
        assertEquals("", first.body());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0, "not held");
        assertEquals("no-cache, no-store", first.headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void aPollWithNothingToSendIsHeldUntilAFrameIsReady() throws Exception {
        RawHttpConnection connection = negotiate(user("alice")).startLongPolling();
        CompletableFuture<HttpResponse<String>> held = connection.pollAsync();
        Thread.sleep(HELD.toMillis());
        assertFalse(held.isDone(), "nothing to send yet: the poll is held");

        assertEquals(200, connection.post(invocation("7", "NoSuchMethod", "x")).statusCode());

        HttpResponse<String> answer = await(held);
        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().startsWith("{\"type\":3,\"invocationId\":\"7\",\"error\":"), answer.body());
        assertTrue(answer.body().endsWith(RS), "whole frames, each ended by the record separator");
        assertEquals("text/plain; charset=utf-8", answer.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void aBinaryProtocolsFramesAreAnsweredAsAnOctetStream() {
        RawHttpConnection connection = negotiate(user("alice"));
        assertEquals(200, connection.poll().statusCode());
        assertEquals(200, connection.post("{\"protocol\":\"messagepack\",\"version\":1}" + RS).statusCode());
        HttpResponse<String> handshake = connection.poll();
        assertEquals(200, handshake.statusCode());
        assertEquals("application/octet-stream", handshake.headers().firstValue("Content-Type").orElse(null));
        assertEquals("{}" + RS, handshake.body(), "the handshake answer is JSON whatever the protocol");
    }

    @Test
    void framesQueuedBetweenPollsAreAnsweredTogether() {
        RawHttpConnection connection = negotiate(user("alice")).startLongPolling();
        assertEquals(200, connection.post(invocation("1", "NoSuchMethod", "x")).statusCode());
        assertEquals(200, connection.post(invocation("2", "NoSuchMethod", "y")).statusCode());
        // Completions run on a worker thread; give them a moment to be queued.
        String body = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!(body.contains("\"invocationId\":\"1\"") && body.contains("\"invocationId\":\"2\""))
                && System.nanoTime() < deadline) {
            body += connection.poll().body();
        }
        assertTrue(body.contains("\"invocationId\":\"1\"") && body.contains("\"invocationId\":\"2\""), body);
        assertEquals(2, body.chars().filter(c -> c == RS.charAt(0)).count(), body);
    }

    @Test
    void aNewPollEndsTheHeldOneWith204() throws Exception {
        RawHttpConnection connection = negotiate(user("alice")).startLongPolling();
        CompletableFuture<HttpResponse<String>> first = connection.pollAsync();
        Thread.sleep(HELD.toMillis());
        CompletableFuture<HttpResponse<String>> second = connection.pollAsync();

        assertEquals(204, await(first).statusCode());
        Thread.sleep(HELD.toMillis());
        assertFalse(second.isDone(), "the new poll is the one held now");
        connection.post(invocation("9", "NoSuchMethod", "x"));
        assertTrue(await(second).body().contains("\"invocationId\":\"9\""));
    }

    @Test
    void deleteEndsTheConnectionAndItsHeldPoll() throws Exception {
        RawHttpConnection connection = negotiate(user("alice")).startLongPolling();
        CompletableFuture<HttpResponse<String>> held = connection.pollAsync();
        Thread.sleep(HELD.toMillis());

        assertEquals(202, connection.delete().statusCode());

        assertEquals(204, await(held).statusCode(), "the held poll learns the connection is over");
        assertEquals(204, connection.poll().statusCode(), "so does any later poll");
        assertEquals(404, connection.post(invocation("1", "NoSuchMethod", "x")).statusCode(),
                "nothing more is accepted");
    }

    @Test
    void aConnectionClosedByTheServerDeliversWhatWasQueuedThenAnswers204() {
        RawHttpConnection connection = negotiate(user("alice"));
        assertEquals(200, connection.poll().statusCode());
        connection.post("{\"protocol\":\"nope\",\"version\":1}" + RS);

        HttpResponse<String> refusal = connection.poll();
        assertEquals(200, refusal.statusCode());
        assertTrue(refusal.body().startsWith("{\"error\":"), refusal.body());
        assertEquals(204, connection.poll().statusCode());
    }

    @Test
    void postsAreAnswered404ForAnUnknownConnectionAnd400WithoutAnId() {
        String alice = user("alice");
        HttpResponse<String> unknown = RawHttpConnection.send(HttpRequest.newBuilder(base.resolve(HUB + "?id=no-such-id"))
                .header("Authorization", "Bearer " + alice)
                .POST(HttpRequest.BodyPublishers.ofString(HANDSHAKE)));
        assertEquals(404, unknown.statusCode());
        HttpResponse<String> noId = RawHttpConnection.send(HttpRequest.newBuilder(base.resolve(HUB))
                .header("Authorization", "Bearer " + alice)
                .POST(HttpRequest.BodyPublishers.ofString(HANDSHAKE)));
        assertEquals(400, noId.statusCode());
    }

    /** As ASP.NET Core: a send before the first poll is taken; the first poll still only opens the transport. */
    @Test
    void aPostBeforeTheFirstPollAttachesLongPolling() {
        String alice = user("alice");
        RawHttpConnection connection = negotiate(alice);
        assertEquals(200, connection.post(HANDSHAKE).statusCode(), "POST before any transport is attached");
        HttpResponse<String> first = connection.poll();
        assertEquals(200, first.statusCode());
        assertEquals("", first.body());
        assertEquals("{}" + RS, connection.poll().body());
        // The send made it a Long Polling connection (docs/api.md lists this difference from ASP.NET Core).
        try (EventStream events = EventStream.open(connection.uri("access_token=" + alice), null)) {
            assertEquals(400, events.response().statusCode());
        }
    }

    /**
     * ASP.NET Core processes concurrent POSTs of one connection one after the other (a write lock), and
     * the official Java client does send them concurrently, ignoring their status: answering one with
     * 409, as TransportProtocols.md words it, would silently lose that client's message. The second
     * POST waits its turn, unread, so one connection never has more than one body in memory.
     */
    @Test
    void aPostArrivingWhileAnotherIsStillBeingReceivedWaitsItsTurnAndIsProcessedToo() throws Exception {
        String alice = user("alice");
        RawHttpConnection connection = negotiate(alice).startLongPolling();
        byte[] slow = invocation("slow", "NoSuchMethod", "x").getBytes(StandardCharsets.UTF_8);
        URI uri = connection.uri(null);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Authorization: Bearer " + alice + "\r\n"
                    + "Content-Type: text/plain;charset=UTF-8\r\n"
                    + "Content-Length: " + slow.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(slow, 0, 10);
            out.flush();
            Thread.sleep(300);

            CompletableFuture<HttpResponse<String>> fast = RawHttpConnection.client().sendAsync(
                    connection.request().POST(HttpRequest.BodyPublishers.ofString(invocation("fast", "NoSuchMethod", "y")))
                            .build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            assertFalse(fast.isDone(), "a POST while another is outstanding waits for it");

            out.write(slow, 10, slow.length - 10);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 200 OK", in.readLine());
            assertEquals(200, await(fast).statusCode());
        }
        String body = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!(body.contains("\"invocationId\":\"slow\"") && body.contains("\"invocationId\":\"fast\""))
                && System.nanoTime() < deadline) {
            body += connection.poll().body();
        }
        assertTrue(body.contains("\"invocationId\":\"slow\""), body);
        assertTrue(body.contains("\"invocationId\":\"fast\""), body);
    }

    @Test
    void everyRequestWithoutAValidCredentialIs401() {
        RawHttpConnection connection = negotiate(user("alice"));
        for (String credential : new String[] {null, TestTokens.signedByStranger("alice", "tenant-lp"), "not-a-jwt"}) {
            for (HttpRequest.Builder request : new HttpRequest.Builder[] {
                    connection.request(credential).GET(),
                    connection.request(credential).POST(HttpRequest.BodyPublishers.ofString(HANDSHAKE)),
                    connection.request(credential).DELETE()}) {
                HttpResponse<String> response = RawHttpConnection.send(request);
                assertEquals(401, response.statusCode(), request.build().method());
                assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
            }
        }
        assertEquals(200, connection.poll().statusCode(), "the refused requests did not use up the id");
    }

    @Test
    void theAccessTokenQueryParameterAuthenticatesAPoll() {
        String alice = user("alice");
        RawHttpConnection connection = negotiate(alice);
        HttpResponse<String> poll = RawHttpConnection.send(HttpRequest.newBuilder(connection.uri("access_token=" + alice)).GET());
        assertEquals(200, poll.statusCode());
    }

    @Test
    void anotherUsersIdIs404AndLeavesTheConnectionAlone() {
        RawHttpConnection alice = negotiate(user("alice")).startLongPolling();
        String mallory = user("mallory");
        assertEquals(404, RawHttpConnection.send(alice.request(mallory).GET()).statusCode());
        assertEquals(404, RawHttpConnection.send(alice.request(mallory)
                .POST(HttpRequest.BodyPublishers.ofString(invocation("1", "NoSuchMethod", "x")))).statusCode());
        assertEquals(404, RawHttpConnection.send(alice.request(mallory).DELETE()).statusCode());

        assertEquals(200, alice.post(invocation("mine", "NoSuchMethod", "x")).statusCode());
        assertTrue(alice.poll().body().contains("\"invocationId\":\"mine\""));
    }

    @Test
    void anotherUserCannotAttachANegotiatedId() {
        RawHttpConnection alice = negotiate(user("alice"));
        assertEquals(404, RawHttpConnection.send(alice.request(user("mallory")).GET()).statusCode());
    }
}
