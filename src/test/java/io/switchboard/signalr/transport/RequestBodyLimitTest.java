package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are bounded whether or not they declare a length (docs/api.md, "Limits": 1 MiB):
 * on the HTTP transports the credential and the connection id are checked before a byte of the body is
 * read, and a chunked body is read only up to the limit. REST bodies are bounded the same way.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class RequestBodyLimitTest {

    private static final int CHUNK = 64 * 1024;
    private static final int LIMIT = 1024 * 1024;

    @TestHTTPResource("/")
    URI base;

    private static String alice() {
        return TestTokens.user("alice-" + UUID.randomUUID().toString().substring(0, 8), "tenant-limits");
    }

    /** A raw HTTP/1.1 request whose chunked body the test writes itself. */
    private final class ChunkedPost implements AutoCloseable {

        private final Socket socket;
        private final OutputStream out;

        ChunkedPost(String pathAndQuery, String authorization) throws IOException {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(5_000);
            out = socket.getOutputStream();
            out.write(("POST " + pathAndQuery + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        void chunk(byte[] data) throws IOException {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** The status line of the answer; the test has not finished the body. */
        String statusLine() throws IOException {
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }

        /** Everything the server answers until it closes the connection. */
        String rest() throws IOException {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] pings(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) ' ');
        return data;
    }

    @Test
    void aChunkedPostToAnUnknownConnectionIsAnsweredBeforeItsBodyIsRead() throws IOException {
        try (ChunkedPost post = new ChunkedPost(EchoHub.PATH + "?id=" + UUID.randomUUID(), "Bearer " + alice())) {
            post.chunk(pings(CHUNK));
            assertTrue(post.statusLine().startsWith("HTTP/1.1 404"), "answered while the body is still open");
        }
    }

    @Test
    void aChunkedPostWithoutACredentialIsAnsweredBeforeItsBodyIsRead() throws IOException {
        try (ChunkedPost post = new ChunkedPost(EchoHub.PATH + "?id=" + UUID.randomUUID(), null)) {
            post.chunk(pings(CHUNK));
            assertTrue(post.statusLine().startsWith("HTTP/1.1 401"), "answered while the body is still open");
        }
    }

    @Test
    void aChunkedPostOverTheLimitIs413AndItsConnectionCloses() throws IOException {
        String alice = alice();
        RawHttpConnection connection = RawHttpConnection.negotiate(base, EchoHub.PATH, alice).startLongPolling();
        URI uri = connection.uri(null);
        try (ChunkedPost post = new ChunkedPost(uri.getRawPath() + "?" + uri.getRawQuery(), "Bearer " + alice)) {
            for (int sent = 0; sent <= LIMIT; sent += CHUNK) {
                post.chunk(pings(CHUNK));
            }
            assertTrue(post.statusLine().startsWith("HTTP/1.1 413"));
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeAnythingIsRead() throws IOException {
        String alice = alice();
        RawHttpConnection connection = RawHttpConnection.negotiate(base, EchoHub.PATH, alice).startLongPolling();
        URI uri = connection.uri(null);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Authorization: Bearer " + alice + "\r\n"
                    + "Content-Length: " + (LIMIT + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertTrue(status.startsWith("HTTP/1.1 413"), status);
        }
    }

    @Test
    void aBodyWithinTheLimitIsAccepted() {
        String alice = alice();
        RawHttpConnection connection = RawHttpConnection.negotiate(base, EchoHub.PATH, alice).startLongPolling();
        String pings = "{\"type\":6}\u001e".repeat(50_000); // 550 kB of small messages
        assertEquals(200, connection.post(pings).statusCode());
    }

    @Test
    void aChunkedRestBodyOverTheLimitIs413Problem() throws IOException {
        try (ChunkedPost post = new ChunkedPost("/api/pending-changes", "Bearer " + TestAgents.apiKey("tenant-limits"))) {
            for (int sent = 0; sent <= LIMIT; sent += CHUNK) {
                post.chunk(pings(CHUNK));
            }
            String answer = post.rest();
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertTrue(answer.contains("larger than the limit of 1048576 bytes"), answer);
        }
    }

    @Test
    void aRestBodyDeclaredOverTheLimitIs413Problem() throws IOException {
        // Only the head is sent: the answer comes before the body is read, and the connection then closes.
        // (A client that writes the whole body meanwhile may see its write reset by that close instead.)
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /api/pending-changes HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "X-Api-Key: " + TestAgents.apiKey("tenant-limits") + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + (LIMIT + 10) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertTrue(answer.contains("larger than the limit of 1048576 bytes"), answer);
        }
    }

    @Test
    void aRestBodyWithinTheLimitStillReachesTheEndpoint() {
        io.restassured.RestAssured.given().baseUri(base.toString())
                .header("X-Api-Key", TestAgents.apiKey("tenant-limits"))
                .contentType("application/json")
                .body("{\"toolName\":\"crm\",\"diff\":{\"operation\":\"CREATE\",\"entityType\":\"contact\"}}")
                .post("/api/pending-changes")
                .then().statusCode(201);
    }
}
