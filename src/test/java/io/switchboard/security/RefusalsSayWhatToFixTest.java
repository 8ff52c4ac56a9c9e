package io.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.switchboard.testing.RawHttp;
import io.switchboard.testing.ServerLog;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every 401 and 403 (negotiate, WebSocket upgrade, the HTTP transports, REST) is a problem+json whose
 * detail says what to fix, and the same detail is logged at DEBUG without the credential. Unknown,
 * revoked and expired API keys read the same to the caller.
 */
@QuarkusTest
class RefusalsSayWhatToFixTest {

    @TestHTTPResource("/")
    URI base;

    private static String tenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRefusedJwtIsToldWhy() {
        String tenant = tenant();
        assertRefused(TestTokens.expired("alice", tenant), "expired");
        assertRefused(TestTokens.issuedBy("https://elsewhere.example", "alice", tenant),
                "issuer (iss) does not match this service's mp.jwt.verify.issuer (" + TestTokens.ISSUER + ")");
        assertRefused(TestTokens.token("alice", null, Set.of()), "claim tenant_id missing");
        assertRefused(TestTokens.signedByStranger("alice", tenant), "signature does not verify");
        assertRefused("not-a-jwt", "not a valid JWT");
    }

    @Test
    void noCredentialIsToldHowToSendOne() {
        JsonPath negotiate = given().post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(401).contentType(problem()).header("WWW-Authenticate", "Bearer")
                .extract().jsonPath();
        assertEquals(AccessProblems.NO_CREDENTIAL, negotiate.getString("detail"));
        RawHttp.Answer upgrade = RawHttp.upgrade(base, "/hubs/chat", Map.of());
        assertEquals(401, upgrade.status());
        assertTrue(upgrade.body().contains("Authorization: Bearer"), upgrade.body());
        given().get("/api/pending-changes").then().statusCode(401).contentType(problem())
                .body("detail", equalTo(AccessProblems.NO_CREDENTIAL));
    }

    @Test
    void unknownRevokedAndExpiredKeysReadTheSameButTheLogTellsThemApart() throws Exception {
        String tenant = tenant();
        TestAgents.Key revoked = TestAgents.created(tenant);
        given().auth().oauth2(TestAgents.admin(tenant)).delete("/api/api-keys/{id}", revoked.id()).then().statusCode(204);
        Instant soon = Instant.now().plusSeconds(1);
        Map<String, Object> expiring = given().auth().oauth2(TestAgents.admin(tenant)).contentType(ContentType.JSON)
                .body(Map.of("name", "short lived", "expiresAt", soon.toString())).post("/api/api-keys")
                .then().statusCode(201).extract().jsonPath().getMap("$");
        Thread.sleep(Math.max(0, soon.toEpochMilli() - System.currentTimeMillis()) + 200);
        String unknown = "sb_" + "A".repeat(43);

        for (String key : List.of(unknown, revoked.key(), (String) expiring.get("key"))) {
            String detail = given().header("X-Api-Key", key).post("/hubs/mcp/negotiate?negotiateVersion=1")
                    .then().statusCode(401).contentType(problem()).extract().path("detail");
            assertEquals("The API key is not valid: it is unknown, revoked or expired. Ask an admin of your tenant "
                    + "for a new one.", detail);
            assertEquals(detail, RawHttp.upgrade(base, "/hubs/mcp?access_token=" + key, Map.of()).body()
                    .replaceAll(".*\"detail\":\"(.*)\".*", "$1"));
            given().header("X-Api-Key", key).get("/api/pending-changes/{id}", UUID.randomUUID())
                    .then().statusCode(401).body("detail", equalTo(detail));
        }
        assertTrue(ServerLog.awaitContaining("key " + revoked.id() + " was revoked", Duration.ofSeconds(5)),
                "the log says which key was revoked");
        assertTrue(ServerLog.awaitContaining("key " + expiring.get("id") + " expired", Duration.ofSeconds(5)));
        assertTrue(ServerLog.read().contains("API key refused: no key has this hash"));
        assertFalse(ServerLog.read().contains(unknown.substring(3)), "never the key");
    }

    @Test
    void theWrongKindOfCredentialForAHubIsNamed() {
        String tenant = tenant();
        String jwt = TestTokens.user("alice", tenant);
        String key = TestAgents.apiKey(tenant);

        String jwtOnMcp = given().auth().oauth2(jwt).post("/hubs/mcp/negotiate?negotiateVersion=1")
                .then().statusCode(403).contentType(problem()).extract().path("detail");
        assertEquals("The hub /hubs/mcp takes an agent's API key (role agent), not a person's JWT.", jwtOnMcp);
        String keyOnChat = given().header("X-Api-Key", key).post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(403).contentType(problem()).extract().path("detail");
        assertEquals("The hub /hubs/chat needs a person's JWT (role user); API keys connect to the agents' hub.",
                keyOnChat);

        RawHttp.Answer upgrade = RawHttp.upgrade(base, "/hubs/mcp", Map.of("Authorization", "Bearer " + jwt));
        assertEquals(403, upgrade.status());
        assertEquals(problem(), upgrade.headers().get("content-type"));
        assertEquals(jwtOnMcp, JsonPath.from(upgrade.body()).getString("detail"));
        RawHttp.Answer keyUpgrade = RawHttp.upgrade(base, "/hubs/chat?access_token=" + key, Map.of());
        assertEquals(403, keyUpgrade.status());
        assertEquals(keyOnChat, JsonPath.from(keyUpgrade.body()).getString("detail"));
        // The HTTP transports (Server-Sent Events, Long Polling) answer the same.
        given().auth().oauth2(jwt).queryParam("id", "whatever").get("/hubs/mcp")
                .then().statusCode(403).contentType(problem()).body("detail", equalTo(jwtOnMcp));

        assertTrue(ServerLog.awaitContaining("403 on /hubs/mcp/negotiate: " + jwtOnMcp, Duration.ofSeconds(5)),
                "logged at DEBUG");
    }

    @Test
    void aRestForbiddenNamesTheRoleNeeded() {
        String tenant = tenant();
        String user = TestTokens.user("plain", tenant);
        given().auth().oauth2(user).contentType(ContentType.JSON).body(Map.of())
                .post("/api/pending-changes/{id}/approve", UUID.randomUUID())
                .then().statusCode(403).contentType(problem())
                .body("detail", equalTo("This needs the role approver or admin (a JWT whose groups claim holds it)."));
        given().auth().oauth2(TestAgents.approver(tenant)).get("/api/api-keys")
                .then().statusCode(403).body("detail", equalTo("This needs the role admin (a JWT whose groups claim holds it)."));
        given().auth().oauth2(user).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", Map.of("operation", "CREATE", "entityType", "E")))
                .post("/api/pending-changes")
                .then().statusCode(403).body("detail", equalTo("This takes an agent's API key (role agent), not a person's JWT."));
        given().header("X-Api-Key", TestAgents.apiKey(tenant)).get("/api/pending-changes")
                .then().statusCode(403)
                .body("detail", equalTo("This needs a person's JWT (role user); an API key cannot call it."));
    }

    @Test
    void theReasonIsLoggedAtDebugWithoutTheToken() {
        String token = TestTokens.issuedBy("https://log-check.example", "logged", tenant());
        given().auth().oauth2(token).get("/api/workflows/wf/messages").then().statusCode(401)
                .body("detail", containsString("issuer (iss)"));
        assertTrue(ServerLog.awaitContaining("401 on /api/workflows/wf/messages: The token's issuer (iss) does not match",
                Duration.ofSeconds(5)));
        assertFalse(ServerLog.read().contains(token.substring(token.lastIndexOf('.') + 1)), "never the token");
    }

    /** The same detail on negotiate, on the upgrade, on an HTTP transport request and on REST. */
    private void assertRefused(String token, String expected) {
        Response negotiate = given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1");
        negotiate.then().statusCode(401).contentType(problem()).header("WWW-Authenticate", "Bearer");
        String detail = negotiate.path("detail");
        assertTrue(detail.contains(expected), detail);

        RawHttp.Answer upgrade = RawHttp.upgrade(base, "/hubs/chat", Map.of("Authorization", "Bearer " + token));
        assertEquals(401, upgrade.status(), upgrade.toString());
        assertEquals(problem(), upgrade.headers().get("content-type"));
        assertEquals(detail, JsonPath.from(upgrade.body()).getString("detail"));

        given().auth().oauth2(token).queryParam("id", "whatever").header("Accept", "text/event-stream")
                .get("/hubs/chat").then().statusCode(401).contentType(problem()).body("detail", equalTo(detail));
        given().auth().oauth2(token).get("/api/workflows/wf/messages")
                .then().statusCode(401).contentType(problem()).body("detail", equalTo(detail));
    }

    private static String problem() {
        return "application/problem+json";
    }
}
