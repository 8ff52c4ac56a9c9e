package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A negotiated hub connection driven by hand over plain HTTP, for the status codes and framing of the
 * Long Polling and Server-Sent Events transports (what the official clients do, one request at a time).
 * Every request carries the credential as {@code Authorization: Bearer}.
 */
public final class RawHttpConnection {

    public static final String RS = "\u001e";
    public static final String HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}" + RS;
    /** Longer than any poll a test holds on purpose (the default server poll timeout is 90 s): a hung request fails the test. */
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI hub;
    private final String credential;
    private final String connectionToken;
    private final String connectionId;

    private RawHttpConnection(URI hub, String credential, String connectionToken, String connectionId) {
        this.hub = hub;
        this.credential = credential;
        this.connectionToken = connectionToken;
        this.connectionId = connectionId;
    }

    /** {@code POST {hub}/negotiate?negotiateVersion=1} as {@code credential}. */
    public static RawHttpConnection negotiate(URI base, String hubPath, String credential) {
        URI hub = base.resolve(hubPath);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(hub + "/negotiate?negotiateVersion=1"))
                .header("Authorization", "Bearer " + credential)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, response.statusCode(), "negotiate: " + response.body());
        try {
            JsonNode body = JSON.readTree(response.body());
            return new RawHttpConnection(hub, credential, body.path("connectionToken").asText(),
                    body.path("connectionId").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String token() {
        return connectionToken;
    }

    public String connectionId() {
        return connectionId;
    }

    /** {@code {hub}?id=<token>}, with {@code extraQuery} (already encoded) appended when given. */
    public URI uri(String extraQuery) {
        String id = URLEncoder.encode(connectionToken, StandardCharsets.UTF_8);
        return URI.create(hub + "?id=" + id + (extraQuery == null ? "" : "&" + extraQuery));
    }

    public HttpRequest.Builder request() {
        return request(credential);
    }

    /** A request on this connection's URI as {@code otherCredential} ({@code null}: none). */
    public HttpRequest.Builder request(String otherCredential) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(null)).timeout(REQUEST_LIMIT);
        if (otherCredential != null) {
            builder.header("Authorization", "Bearer " + otherCredential);
        }
        return builder;
    }

    public HttpResponse<String> poll() {
        return send(request().GET());
    }

    public CompletableFuture<HttpResponse<String>> pollAsync() {
        return HTTP.sendAsync(request().GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String body) {
        return send(request().POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A POST of bytes as they are (a binary protocol's frames). */
    public HttpResponse<String> post(byte[] body) {
        return send(request().POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public HttpResponse<String> delete() {
        return send(request().DELETE());
    }

    /** Attaches Long Polling (the first, immediate poll) and completes a json handshake. */
    public RawHttpConnection startLongPolling() {
        assertEquals(200, poll().statusCode(), "first poll");
        assertEquals(200, post(HANDSHAKE).statusCode(), "handshake POST");
        HttpResponse<String> handshake = poll();
        assertEquals(200, handshake.statusCode());
        assertEquals("{}" + RS, handshake.body());
        return this;
    }

    /** An invocation of {@code method} with one string argument and an invocation id. */
    public static String invocation(String invocationId, String method, String argument) {
        return "{\"type\":1,\"invocationId\":\"" + invocationId + "\",\"target\":\"" + method + "\",\"arguments\":[\""
                + argument + "\"]}" + RS;
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(REQUEST_LIMIT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpClient client() {
        return HTTP;
    }
}
