package io.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.switchboard.account.Accounts;
import io.switchboard.testing.ServerLog;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Text a client sends that cannot be taken as it is: a body naming a field twice, a path parameter
 * holding NUL or bytes that are not UTF-8. Each is a {@code 400} that names the field or parameter, and
 * none leaves an ERROR line (before, each was a 500 with a stack trace, the path ones with the SQL).
 */
@QuarkusTest
class RequestTextTest {

    private static final Pattern ERROR_LINE = Pattern.compile("(?m)^\\S+ \\S+ +ERROR ");

    private String tenant;
    private long errorsBefore;

    @BeforeEach
    void setUp() {
        tenant = "text-" + UUID.randomUUID().toString().substring(0, 8);
        errorsBefore = errorLines();
    }

    private static long errorLines() {
        return ERROR_LINE.matcher(ServerLog.read()).results().count();
    }

    private static String detailOf(ValidatableResponse response) {
        return response.statusCode(400).contentType("application/problem+json").extract().path("detail");
    }

    private void assertNoErrorLogged() {
        assertEquals(errorsBefore, errorLines(), "no ERROR line in the server log");
    }

    @Test
    void aLoginBodyNamingAFieldTwiceIsRefusedNamingIt() {
        assertEquals("username appears more than once: send each field once.", detailOf(given()
                .contentType(ContentType.JSON).body("{\"username\":\"a\",\"username\":\"b\",\"password\":\"p\"}")
                .post("/api/auth/login").then()));
        assertNoErrorLogged();
    }

    @Test
    void approvingOrRejectingWithAFieldTwiceIsRefusedNamingIt() {
        String apiKey = TestAgents.apiKey(tenant);
        String approver = TestAgents.approver(tenant);
        String id = given().header("X-Api-Key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", Map.of("operation", "CREATE", "entityType", "Invoice")))
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");

        assertEquals("executionResult appears more than once: send each field once.", detailOf(given()
                .auth().oauth2(approver).contentType(ContentType.JSON)
                .body("{\"executionResult\":{\"ok\":true},\"executionResult\":{\"ok\":false}}")
                .post("/api/pending-changes/{id}/approve", id).then()));
        assertEquals("reason appears more than once: send each field once.", detailOf(given()
                .auth().oauth2(approver).contentType(ContentType.JSON).body("{\"reason\":\"a\",\"reason\":\"b\"}")
                .post("/api/pending-changes/{id}/reject", id).then()));
        // Nested fields are named by their path; the change is still pending, untouched by the refusals.
        assertEquals("diff.after.amount appears more than once: send each field once.", detailOf(given()
                .header("X-Api-Key", apiKey).contentType(ContentType.JSON)
                .body("{\"toolName\":\"t\",\"diff\":{\"operation\":\"UPDATE\",\"entityType\":\"Invoice\","
                        + "\"after\":{\"amount\":1,\"amount\":2}}}")
                .post("/api/pending-changes").then()));
        given().auth().oauth2(approver).get("/api/pending-changes/{id}", id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("Pending"));
        assertNoErrorLogged();
    }

    @Test
    void aPathParameterWithNulOrBytesThatAreNotUtf8IsRefusedNamingIt() {
        String user = TestTokens.user("path-" + UUID.randomUUID(), tenant);
        String admin = Accounts.admin(tenant);
        for (String path : List.of("/api/workflows/a%00b/messages", "/api/workflows/%00/messages")) {
            assertEquals("workflowId must not contain the NUL character (%00).", detailOf(given().urlEncodingEnabled(false)
                    .auth().oauth2(user).get(path).then()), path);
        }
        assertEquals("workflowId must be text in UTF-8, percent-encoded.", detailOf(given().urlEncodingEnabled(false)
                .auth().oauth2(user).get("/api/workflows/a%FFb/messages").then()));
        assertEquals("id must not contain the NUL character (%00).", detailOf(given().urlEncodingEnabled(false)
                .auth().oauth2(admin).get("/api/users/a%00b").then()));
        assertEquals("id must not contain the NUL character (%00).", detailOf(given().urlEncodingEnabled(false)
                .auth().oauth2(admin).delete("/api/api-keys/a%00b").then()));
        // Percent-encoded UTF-8 is text like any other.
        given().urlEncodingEnabled(false).auth().oauth2(user).get("/api/workflows/caf%C3%A9/messages")
                .then().statusCode(200);
        assertNoErrorLogged();
    }
}
