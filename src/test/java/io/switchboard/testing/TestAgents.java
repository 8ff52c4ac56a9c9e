package io.switchboard.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** API keys for tests, created the way an admin would: through {@code POST /api/api-keys}. */
public final class TestAgents {

    private TestAgents() {
    }

    /** A fresh API key of {@code tenantId}. */
    public static String apiKey(String tenantId) {
        return created(tenantId).key();
    }

    /** A created key with its id, for tests that revoke it. */
    public static Key created(String tenantId) {
        return created(tenantId, "agent-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A created key named {@code name}, for tests that look for the name where the key's changes show. */
    public static Key created(String tenantId, String name) {
        Map<String, Object> body = given().auth().oauth2(admin(tenantId))
                .contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .post("/api/api-keys")
                .then().statusCode(201)
                .extract().as(Map.class);
        return new Key((String) body.get("id"), UsedCredentials.remember((String) body.get("key")), tenantId);
    }

    public static String admin(String tenantId) {
        return TestTokens.token("admin-" + tenantId, tenantId, Set.of("admin"));
    }

    public static String approver(String tenantId) {
        return TestTokens.token("approver-" + UUID.randomUUID().toString().substring(0, 8), tenantId, Set.of("approver"));
    }

    /** A created API key: its id (for revocation) and the secret. */
    public record Key(String id, String key, String tenantId) {
    }

    /**
     * The id of the first pending change an approver of the tenant sees with {@code toolName} (any tool
     * when null), polled until {@code within} has passed: for a test whose client proposes it in the
     * background.
     */
    public static String awaitPendingId(String approver, String toolName, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> items = given().auth().oauth2(approver)
                    .get("/api/pending-changes?status=Pending").then().statusCode(200).extract().path("items");
            for (Map<String, Object> item : items) {
                if (toolName == null || toolName.equals(item.get("toolName"))) {
                    return (String) item.get("id");
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError((toolName == null ? "nothing" : toolName) + " was never proposed");
    }
}
