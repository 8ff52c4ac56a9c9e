package io.switchboard.account;

import static io.restassured.RestAssured.given;
import static io.switchboard.account.Accounts.PASSWORD;
import static io.switchboard.account.Accounts.claims;
import static io.switchboard.account.Accounts.createAccount;
import static io.switchboard.account.Accounts.login;
import static io.switchboard.account.Accounts.signIn;
import static io.switchboard.account.Accounts.username;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/auth/login} (docs/api.md §2 "Identity"): the token it signs, one answer for every failure,
 * throttling.
 */
@QuarkusTest
class LoginTest {

    private static final Path LOG = Path.of("target/quarkus-test.log");

    @Inject
    AgroalDataSource dataSource;

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }

    @Test
    void aSignInReturnsAnRs256TokenForTheAccount() {
        String tenant = tenant();
        String username = username("alice");
        String id = createAccount(tenant, username, "Alice Liddell", List.of("approver"));

        ExtractableResponse<Response> answer = login(username, PASSWORD).statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(3600))
                .extract();

        String token = answer.path("accessToken");
        assertEquals("RS256", Accounts.header(token).path("alg").asText());
        JsonNode claims = claims(token);
        assertEquals(id, claims.path("sub").asText());
        assertEquals("Alice Liddell", claims.path("preferred_username").asText());
        assertEquals(tenant, claims.path("tenant_id").asText());
        assertEquals(List.of("approver"), List.of(claims.path("groups").get(0).asText()));
        assertEquals(1, claims.path("groups").size());
        assertEquals(TestTokens.ISSUER, claims.path("iss").asText());
        assertEquals(3600, claims.path("exp").asLong() - claims.path("iat").asLong());
    }

    @Test
    void theTokenWorksWhereverAPersonsTokenDoes() {
        String tenant = tenant();
        String username = username("bob");
        createAccount(tenant, username, null, List.of("approver"));
        String token = signIn(username);

        given().auth().oauth2(token).get("/api/pending-changes").then().statusCode(200);
        given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200);
        given().queryParam("access_token", token).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200);
        given().auth().oauth2(token).post("/hubs/mcp/negotiate?negotiateVersion=1").then().statusCode(403);
        given().auth().oauth2(token).get("/api/users").then().statusCode(403);
    }

    @Test
    void theUsernameIsMatchedWhateverItsCase() {
        String username = username("Carol");
        createAccount(tenant(), username, null, null);
        login(username.toLowerCase(), PASSWORD).statusCode(200);
        login(username.toUpperCase(), PASSWORD).statusCode(200);
    }

    @Test
    void anUnknownUsernameAndAWrongPasswordGetTheSameAnswer() {
        String username = username("dave");
        createAccount(tenant(), username, null, null);

        ExtractableResponse<Response> wrongPassword = login(username, PASSWORD + "!").extract();
        ExtractableResponse<Response> unknownUser = login(username("nobody"), PASSWORD).extract();
        ExtractableResponse<Response> malformedUser = login("no such user", PASSWORD).extract();

        for (ExtractableResponse<Response> answer : List.of(wrongPassword, unknownUser, malformedUser)) {
            assertEquals(401, answer.statusCode());
            assertEquals("application/problem+json", answer.contentType());
            assertEquals(wrongPassword.body().asString(), answer.body().asString());
        }
    }

    @Test
    void everyCharacterOfALongPasswordCounts() {
        String username = username("erin");
        String password = "x".repeat(100);
        Accounts.create(Accounts.admin(tenant()), username, password, null, null).statusCode(201);

        login(username, "x".repeat(99) + "y").statusCode(401);
        login(username, "x".repeat(80)).statusCode(401);
        login(username, password).statusCode(200);
    }

    @Test
    void aMissingFieldIs400() {
        given().contentType("application/json").body(Map.of("username", "someone")).post("/api/auth/login")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").post("/api/auth/login").then().statusCode(400);
    }

    @Test
    void afterFiveFailuresEveryAttemptIsRefusedUntilFiveMinutesAfterTheFirst() throws Exception {
        String username = username("frank");
        createAccount(tenant(), username, null, null);

        for (int i = 0; i < 5; i++) {
            // Capitals count for the same username.
            login(i % 2 == 0 ? username : username.toUpperCase(), "wrong password").statusCode(401);
        }
        long retryAfter = 0;
        for (String password : List.of(PASSWORD, "wrong password")) {
            ExtractableResponse<Response> refused = login(username, password).statusCode(429)
                    .contentType("application/problem+json").extract();
            retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertTrue(retryAfter > 290 && retryAfter <= 300, "until 5 min after the first failure: " + retryAfter);
        }

        moveFirstFailureBack(username, (int) retryAfter - 3);
        long lastSeconds = Long.parseLong(login(username, PASSWORD).statusCode(429).extract().header("Retry-After"));
        assertTrue(lastSeconds >= 1 && lastSeconds <= 3, "a few seconds left: " + lastSeconds);

        moveFirstFailureBack(username, 4);
        login(username, PASSWORD).statusCode(200);
    }

    @Test
    void fourFailuresAreNotThrottledAndTheWindowEndsFiveMinutesAfterTheFirst() throws Exception {
        String username = username("gina");
        createAccount(tenant(), username, null, null);
        for (int i = 0; i < 4; i++) {
            login(username, "wrong password").statusCode(401);
        }
        login(username, PASSWORD).statusCode(200);

        moveFirstFailureBack(username, 301);
        login(username, "wrong password").statusCode(401);
        login(username, PASSWORD).statusCode(200);
    }

    @Test
    void unknownUsernamesAreThrottledAlike() {
        String nobody = username("nobody");
        for (int i = 0; i < 5; i++) {
            login(nobody, "wrong password").statusCode(401);
        }
        login(nobody, "wrong password").statusCode(429);
        login(username("somebody-else"), "wrong password").statusCode(401);
    }

    @Test
    void aStaleBearerTokenDoesNotStandInTheWayOfSigningIn() {
        String username = username("hal");
        createAccount(tenant(), username, null, null);
        given().auth().oauth2(TestTokens.expired("x", "t")).contentType("application/json")
                .body(Map.of("username", username, "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(200);
    }

    @Test
    void theBootstrapAdminSignsIn() {
        String token = login("test-admin", "test-only-password").statusCode(200).extract().path("accessToken");
        JsonNode claims = claims(token);
        assertEquals("bootstrap-tenant", claims.path("tenant_id").asText());
        assertEquals("admin", claims.path("groups").get(0).asText());
        given().auth().oauth2(token).get("/api/users").then().statusCode(200)
                .body("username", equalTo(List.of("test-admin")));
    }

    @Test
    void theBuiltInTokenIssuerStillWorksInTests() {
        given().contentType("application/json")
                .body(Map.of("userId", "zoe", "tenantId", tenant(), "roles", Set.of("approver")))
                .post("/api/auth/token").then().statusCode(200).body("tokenType", equalTo("Bearer"));
    }

    @Test
    void noPasswordOrTokenReachesTheLog() throws Exception {
        String username = username("ivy");
        String password = "never-logged-" + UUID.randomUUID();
        Accounts.create(Accounts.admin(tenant()), username, password, null, null).statusCode(201);
        String token = login(username, password).statusCode(200).extract().path("accessToken");
        login(username, password + "-wrong").statusCode(401);

        String log = "";
        for (int i = 0; i < 50 && !log.contains(username); i++) {
            Thread.sleep(100);
            log = Files.exists(LOG) ? Files.readString(LOG) : "";
        }
        assertTrue(log.contains(username), "the log is written");
        assertFalse(log.contains(password), "a password reached the log");
        assertFalse(log.contains(token.substring(token.lastIndexOf('.') + 1)), "a token reached the log");
    }

    /** Pretends the first failure of this username's window happened {@code seconds} earlier. */
    private void moveFirstFailureBack(String username, int seconds) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE login_failure SET window_start = window_start - make_interval(secs => ?) WHERE username = ?")) {
            update.setInt(1, seconds);
            update.setString(2, username.toLowerCase());
            assertEquals(1, update.executeUpdate());
        }
    }
}
