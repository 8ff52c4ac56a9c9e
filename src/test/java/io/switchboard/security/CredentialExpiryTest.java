package io.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A connection lives no longer than the credential it was opened with: when a JWT or an API key
 * expires, the server sends Close with allowReconnect so the client comes back with a fresh one.
 */
@QuarkusTest
class CredentialExpiryTest {

    private static final String EXPIRED_CLOSE =
            "{\"type\":7,\"error\":\"The credential has expired; reconnect with a new one.\",\"allowReconnect\":true}";

    @TestHTTPResource("/")
    URI base;

    private static String closeWithin(RawHubSocket socket, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String message = socket.poll(Duration.ofMillis(500));
            if (message != null && message.startsWith("{\"type\":7")) {
                return message;
            }
        }
        return null;
    }

    @Test
    void aChatConnectionIsClosedWhenItsTokenExpires() {
        String token = TestTokens.expiringIn("short-lived-" + UUID.randomUUID(), "tenant-exp", 3);
        try (RawHubSocket socket = RawHubSocket.connected(base, "/hubs/chat", token)) {
            assertEquals(EXPIRED_CLOSE, closeWithin(socket, Duration.ofSeconds(8)));
            socket.awaitClosed();
        }
    }

    @Test
    void anAgentConnectionIsClosedWhenItsKeyExpires() {
        String tenant = "tenant-exp-" + UUID.randomUUID();
        String key = given().auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "short-lived", "expiresAt", Instant.now().plusSeconds(3).toString()))
                .post("/api/api-keys").then().statusCode(201).extract().path("key");
        try (RawHubSocket socket = RawHubSocket.connected(base, "/hubs/mcp", key)) {
            assertEquals(EXPIRED_CLOSE, closeWithin(socket, Duration.ofSeconds(8)));
            socket.awaitClosed();
        }
    }
}
