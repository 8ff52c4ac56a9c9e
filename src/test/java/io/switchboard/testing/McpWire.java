package io.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /mcp} spoken by hand, for what an SDK hides: status codes, headers, a stream read event by
 * event, a request cancelled or abandoned mid-wait.
 */
public final class McpWire {

    public static final String JSON_AND_SSE = "application/json, text/event-stream";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI endpoint;
    private final Map<String, String> credential;

    public McpWire(URI base, Map<String, String> credential) {
        this.endpoint = base.resolve("/mcp");
        this.credential = credential;
    }

    public static McpWire withApiKey(URI base, String apiKey) {
        return new McpWire(base, Map.of("Authorization", "Bearer " + apiKey));
    }

    /** Initializes a session at {@code version}; its id. */
    public String initialize(String version) {
        HttpResponse<String> response = post(null, Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize",
                "params", Map.of("protocolVersion", version, "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "wire", "version", "1"))));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("initialize answered " + response.statusCode() + ": " + response.body());
        }
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(session, Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        return session;
    }

    public HttpResponse<String> post(String session, Object message) {
        try {
            return HTTP.send(request(session).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message)))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST whose answer is read as a stream, as it comes. */
    public CompletableFuture<HttpResponse<InputStream>> postStreaming(String session, Object message) {
        try {
            return HTTP.sendAsync(request(session).POST(HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(message))).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the session's server stream ({@code GET}), read as it comes. */
    public CompletableFuture<HttpResponse<InputStream>> openStream(String session) {
        return HTTP.sendAsync(request(session).timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    public HttpResponse<String> send(String method, String session) {
        try {
            return HTTP.send(request(session).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", JSON_AND_SSE);
        credential.forEach(request::header);
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request;
    }

    /** A tools/call request. */
    public static Map<String, Object> toolCall(int id, String tool, Map<String, Object> arguments) {
        return Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call",
                "params", Map.of("name", tool, "arguments", arguments));
    }

    /** The JSON-RPC messages of an SSE stream, one per call, null at its end. */
    public static final class Events implements AutoCloseable {
        private final BufferedReader reader;

        public Events(InputStream stream) {
            this.reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        }

        public JsonNode next() throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    return JSON.readTree(line.substring("data: ".length()));
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
