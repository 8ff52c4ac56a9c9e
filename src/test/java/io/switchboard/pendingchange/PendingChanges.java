package io.switchboard.pendingchange;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;

/** REST calls on pending changes shared by the tests. */
final class PendingChanges {

    static final Map<String, Object> DIFF = Map.of(
            "operation", "UPDATE",
            "entityType", "Invoice",
            "entityId", "inv-42",
            "before", Map.of("amount", 100),
            "after", Map.of("amount", 120, "note", "rounded"));

    private PendingChanges() {
    }

    /** An agent proposes a change; returns its id. */
    static String propose(String apiKey) {
        return propose(apiKey, null);
    }

    static String propose(String apiKey, Integer expiresInSeconds) {
        Map<String, Object> body = expiresInSeconds == null
                ? Map.of("toolName", "update_invoice", "diff", DIFF)
                : Map.of("toolName", "update_invoice", "diff", DIFF, "expiresInSeconds", expiresInSeconds);
        return given().header("X-Api-Key", apiKey).contentType(ContentType.JSON).body(body)
                .post("/api/pending-changes")
                .then().statusCode(201).extract().path("id");
    }

    static ValidatableResponse approve(String jwt, String id, Object executionResult) {
        return given().auth().oauth2(jwt).contentType(ContentType.JSON)
                .body(executionResult == null ? Map.of() : Map.of("executionResult", executionResult))
                .post("/api/pending-changes/{id}/approve", id).then();
    }

    static ValidatableResponse reject(String jwt, String id, String reason) {
        return given().auth().oauth2(jwt).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/api/pending-changes/{id}/reject", id).then();
    }
}
