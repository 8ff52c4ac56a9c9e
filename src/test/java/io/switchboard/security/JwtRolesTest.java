package io.switchboard.security;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.TestTokens;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Roles come from a JWT's groups, except the agent role, which only API keys carry. */
@QuarkusTest
class JwtRolesTest {

    @Test
    void aTokenClaimingTheAgentGroupIsStillAPersonNotAnAgent() {
        String token = TestTokens.token("pretender", "tenant-roles", Set.of("agent"));
        given().auth().oauth2(token).post("/hubs/mcp/negotiate?negotiateVersion=1").then().statusCode(403);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", Map.of("operation", "CREATE", "entityType", "X")))
                .post("/api/pending-changes").then().statusCode(403);
        given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200);
    }

    @Test
    void approverAndAdminGroupsBecomeRoles() {
        given().auth().oauth2(TestTokens.token("boss", "tenant-roles", Set.of("admin"))).get("/api/api-keys")
                .then().statusCode(200);
        given().auth().oauth2(TestTokens.token("worker", "tenant-roles", Set.of("approver"))).get("/api/api-keys")
                .then().statusCode(403);
    }
}
