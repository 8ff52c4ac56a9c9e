package io.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.switchboard.testing.TestAgents;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A REST {@code 400} names the offending field by its JSON path and, for an enumeration, the allowed
 * values; a body that is not JSON, or not complete JSON, says so; no message shows framework internals.
 */
@QuarkusTest
class BadRequestsNameTheFieldTest {

    private static final List<String> INTERNALS = List.of("HTTP 400", "Bad Request", "@Consumes", "io.", "java.",
            "com.fasterxml", "Exception", "RESTEASY", "propose.", "arg0");

    private String key;

    @BeforeEach
    void anAgent() {
        key = TestAgents.apiKey("tenant-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private ValidatableResponse propose(String body) {
        return given().header("X-Api-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/pending-changes").then();
    }

    private static String detailOf(ValidatableResponse response, int status) {
        String detail = response.statusCode(status).contentType("application/problem+json").extract().path("detail");
        for (String internal : INTERNALS) {
            assertFalse(detail.contains(internal), () -> "'" + detail + "' shows " + internal);
        }
        return detail;
    }

    @Test
    void anOperationOutsideTheEnumerationNamesThePathAndTheAllowedValues() {
        for (String operation : List.of("PATCH", "update", "Create", "")) {
            assertEquals("diff.operation must be one of CREATE, UPDATE, DELETE (exactly, in capitals).",
                    detailOf(propose("{\"toolName\":\"t\",\"diff\":{\"operation\":\"" + operation
                            + "\",\"entityType\":\"Invoice\"}}"), 400), operation);
        }
        assertEquals("diff.operation must not be null (one of CREATE, UPDATE, DELETE)",
                detailOf(propose("{\"toolName\":\"t\",\"diff\":{\"entityType\":\"Invoice\"}}"), 400));
    }

    @Test
    void aMissingOrInvalidFieldIsNamedByItsJsonPath() {
        assertEquals("diff.entityType must not be blank",
                detailOf(propose("{\"toolName\":\"t\",\"diff\":{\"operation\":\"CREATE\",\"entityType\":\" \"}}"), 400));
        assertEquals("toolName must not be blank",
                detailOf(propose("{\"diff\":{\"operation\":\"CREATE\",\"entityType\":\"E\"}}"), 400));
        assertEquals("expiresInSeconds must be a whole number.",
                detailOf(propose("{\"toolName\":\"t\",\"expiresInSeconds\":\"soon\","
                        + "\"diff\":{\"operation\":\"CREATE\",\"entityType\":\"E\"}}"), 400));
        assertEquals("diff must be a JSON object.", detailOf(propose("{\"toolName\":\"t\",\"diff\":[1]}"), 400));
        assertEquals("expiresAt must be an ISO-8601 UTC time such as 2030-01-31T12:00:00Z.",
                detailOf(given().auth().oauth2(TestAgents.admin("tenant-x")).contentType(ContentType.JSON)
                        .body("{\"name\":\"bot\",\"expiresAt\":\"tomorrow\"}").post("/api/api-keys").then(), 400));
    }

    @Test
    void aBodyThatIsNotJsonOrNotCompleteSaysSo() {
        assertEquals("The request body is not complete JSON: it ends in the middle of a value.",
                detailOf(propose("{\"toolName\":\"t\",\"diff\":{\"operation\":\"CRE"), 400));
        assertEquals("The request body is not valid JSON (line 1, column 2).", detailOf(propose("{not json}"), 400));
        assertEquals("The request body must be a JSON object.", detailOf(propose("[]"), 400));
        assertEquals("The request body is required: a JSON object.", detailOf(propose(""), 400));
    }

    @Test
    void aBodyThatIsNotSentAsJsonIsAskedForAsJson() {
        assertEquals("Send the body as JSON, with the header Content-Type: application/json.",
                detailOf(given().header("X-Api-Key", key).contentType(ContentType.TEXT).body("hello")
                        .post("/api/pending-changes").then(), 415));
    }

    /** A method the path does not take: the detail named an empty list ("it takes .") for negotiate. */
    @Test
    void aMethodThePathDoesNotTakeIsNamedAsSuchAndNeverWithAnEmptyList() {
        String detail = detailOf(given().header("X-Api-Key", key).get("/hubs/chat/negotiate").then(), 405);
        assertFalse(detail.contains("takes ."), detail);
        assertEquals("This path does not take that method.", detail.replaceAll("; it takes [A-Z, ]+", ""));
    }
}
