package io.switchboard.apikey;

import static io.restassured.RestAssured.given;
import static io.switchboard.apikey.ApiKeyTestSupport.admin;
import static io.switchboard.apikey.ApiKeyTestSupport.create;
import static io.switchboard.apikey.ApiKeyTestSupport.createKey;
import static io.switchboard.apikey.ApiKeyTestSupport.negotiateStatus;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.apikey.ApiKeyTestSupport.KeyTransport;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An API key authenticates its agent every way docs/api.md §2 "Identity" allows, and stops doing so once revoked or
 * expired. A 403 on ChatHub's negotiate shows a key was accepted (an agent is not a chat user); a 401
 * that it was not.
 */
@QuarkusTest
class ApiKeyAuthenticationTest {

    private static final Path LOG = Path.of("target/quarkus-test.log");

    @TestHTTPResource("/")
    URI base;

    @Inject
    AgroalDataSource dataSource;

    @ParameterizedTest
    @EnumSource(KeyTransport.class)
    void aValidKeyAuthenticatesAndABogusOneIsRefused(KeyTransport transport) {
        String key = (String) createKey("tenant-" + UUID.randomUUID(), "agent").get("key");
        assertEquals(403, negotiateStatus(transport, key), "accepted, but an agent is not a chat user");
        assertEquals(401, negotiateStatus(transport, bogusKey()));
        assertEquals(401, negotiateStatus(transport, withLastCharacterChanged(key)), "a key is matched whole");
    }

    @Test
    void anAgentIsTheKeyItsNameAndItsTenant() {
        String tenant = "tenant-" + UUID.randomUUID();
        Map<String, Object> created = createKey(tenant, "release bot");
        given().header("X-Api-Key", created.get("key")).get("/test/agent/whoami")
                .then().statusCode(200)
                .body("principal", equalTo(created.get("id")))
                .body("userId", equalTo(created.get("id")))
                .body("displayName", equalTo("release bot"))
                .body("tenantId", equalTo(tenant))
                .body("roles", equalTo(List.of("agent")))
                .body("userRoles", equalTo(List.of("agent")));
        given().auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin"))).get("/test/agent/whoami")
                .then().statusCode(403);
    }

    @Test
    void theXApiKeyHeaderWorksOnAnyPath() {
        String key = (String) createKey("tenant-" + UUID.randomUUID(), "agent").get("key");
        given().header("X-Api-Key", key).get("/api/workflows/wf/messages").then().statusCode(403);
        given().header("X-Api-Key", bogusKey()).get("/api/workflows/wf/messages").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
    }

    @Test
    void theAccessTokenQueryIsReadOnlyOnHubPaths() {
        String key = (String) createKey("tenant-" + UUID.randomUUID(), "agent").get("key");
        given().queryParam("access_token", key).get("/test/agent/whoami").then().statusCode(401);
    }

    @Test
    void aKeyAuthenticatesTheWebSocketUpgrade() {
        String key = (String) createKey("tenant-" + UUID.randomUUID(), "agent").get("key");
        assertEquals(403, upgradeStatus("/hubs/chat?access_token=" + key));
        assertEquals(401, upgradeStatus("/hubs/chat?access_token=" + bogusKey()));
    }

    @Test
    void jwtsAreStillJwtsButNotInTheApiKeyHeader() {
        String jwt = TestTokens.user("person", "tenant-" + UUID.randomUUID());
        given().auth().oauth2(jwt).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200);
        given().queryParam("access_token", jwt).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200);
        given().header("X-Api-Key", jwt).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(401);
    }

    @Test
    void aRevokedKeyIsRefusedEveryWay() {
        String tenant = "tenant-" + UUID.randomUUID();
        Map<String, Object> created = createKey(tenant, "soon revoked");
        String key = (String) created.get("key");
        assertEquals(403, negotiateStatus(KeyTransport.BEARER_HEADER, key));

        given().auth().oauth2(admin(tenant)).delete("/api/api-keys/{id}", created.get("id")).then().statusCode(204);

        for (KeyTransport transport : KeyTransport.values()) {
            assertEquals(401, negotiateStatus(transport, key), transport.name());
        }
        assertEquals(401, upgradeStatus("/hubs/chat?access_token=" + key));
    }

    @Test
    void anExpiredKeyIsRefused() throws InterruptedException {
        String tenant = "tenant-" + UUID.randomUUID();
        Instant expiresAt = Instant.now().plusSeconds(6);
        String key = create(admin(tenant), "short lived", expiresAt).statusCode(201).extract().path("key");
        assertEquals(403, negotiateStatus(KeyTransport.X_API_KEY_HEADER, key), "valid until it expires");

        Thread.sleep(Math.max(0, expiresAt.toEpochMilli() - System.currentTimeMillis()) + 200);

        for (KeyTransport transport : KeyTransport.values()) {
            assertEquals(401, negotiateStatus(transport, key), transport.name());
        }
    }

    @Test
    void theDatabaseNeverHoldsTheKey() throws Exception {
        Map<String, Object> created = createKey("tenant-" + UUID.randomUUID(), "stored safely");
        String key = (String) created.get("key");
        String secretPart = key.substring(key.indexOf('_') + 1);

        List<String> row = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT * FROM api_key WHERE id = ?")) {
            query.setObject(1, UUID.fromString((String) created.get("id")));
            try (ResultSet result = query.executeQuery()) {
                assertTrue(result.next(), "the key is stored");
                ResultSetMetaData columns = result.getMetaData();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.add(columns.getColumnName(i) + "=" + result.getString(i));
                }
            }
        }
        assertTrue(row.contains("key_hash=" + ApiKeySecrets.hash(key)), "only the SHA-256 of the key is stored");
        assertTrue(row.contains("prefix=" + created.get("prefix")));
        for (String column : row) {
            assertFalse(column.contains(secretPart), () -> "the key is stored in " + column.substring(0, column.indexOf('=')));
        }
    }

    @Test
    void noKeyAppearsInAnyLogLine() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID();
        String key = (String) createKey(tenant, "logged?").get("key");
        String bogus = bogusKey();
        for (KeyTransport transport : KeyTransport.values()) {
            negotiateStatus(transport, key);
            negotiateStatus(transport, bogus);
        }
        given().header("X-Api-Key", bogus).get("/api/api-keys").then().statusCode(401);
        assertEquals(403, upgradeStatus("/hubs/chat?access_token=" + key));
        assertEquals(401, upgradeStatus("/hubs/chat?access_token=" + bogus), "a refused upgrade is answered once");

        String log = "";
        for (int i = 0; i < 50 && !log.contains(tenant); i++) {
            Thread.sleep(100);
            log = Files.exists(LOG) ? Files.readString(LOG) : "";
        }
        assertTrue(log.contains("created in tenant " + tenant), "the log is written");
        for (String secret : new String[] {key, bogus}) {
            assertFalse(log.contains(secret.substring(3)), "a key reached the log");
        }
    }

    private int upgradeStatus(String pathAndQuery) {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> RawHubSocket.openWithQuery(base, pathAndQuery, null).close());
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        return handshake.getResponse().statusCode();
    }

    private static String withLastCharacterChanged(String key) {
        return key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
    }

    private static String bogusKey() {
        return new ApiKeySecrets().newKey();
    }
}
