package io.switchboard.mcp;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An agent using the official JavaScript client over MessagePack (src/test/js/mcp-decision.mjs) on
 * McpHub: it invokes SubscribeToPendingChange with its API key and is pushed the approval made
 * through REST, with every field of docs/api.md §4 "McpHub" in the same shapes the json protocol gives.
 */
@QuarkusTest
class JavaScriptMcpClientTest {

    private static final Duration STEP = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI base;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"WebSockets", "LongPolling"})
    void aMessagePackAgentIsPushedTheApprovalWithEveryField(String transport) {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String key = TestAgents.apiKey(tenant);
        String id = given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "update_invoice", "diff", Map.of("operation", "UPDATE",
                        "entityType", "Invoice", "entityId", "inv-7", "after", Map.of("amount", 120))))
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");

        try (NodeScript agent = NodeScript.start("mcp-decision.mjs", Map.of(
                "HUB_URL", base.resolve(McpHub.PATH).toString(),
                "API_KEY", key,
                "PENDING_CHANGE_ID", id,
                "PROTOCOL", "messagepack",
                "TRANSPORT", transport))) {
            JsonNode subscribed = agent.next("subscribed", STEP);
            assertEquals("messagepack", subscribed.path("protocol").asText());
            assertTrue(subscribed.path("result").isNull(), "SubscribeToPendingChange returns null: " + subscribed);

            String decidedAt = given().auth().oauth2(TestTokens.token("carol", tenant, Set.of("approver")))
                    .contentType(ContentType.JSON).body(Map.of("executionResult", Map.of("rows", 1)))
                    .post("/api/pending-changes/{id}/approve", id).then().statusCode(200).extract().path("decidedAt");

            JsonNode decided = agent.next("decided", STEP);
            assertEquals("PendingChangeApproved", decided.path("method").asText());
            JsonNode payload = decided.path("payload");
            assertEquals(Set.of("pendingChangeId", "status", "toolName", "operation", "entityType", "entityId",
                    "approvedBy", "executionResult", "timestamp"), fieldNames(payload));
            assertEquals(id, payload.path("pendingChangeId").asText());
            assertEquals("Approved", payload.path("status").asText());
            assertEquals("update_invoice", payload.path("toolName").asText());
            assertEquals("UPDATE", payload.path("operation").asText());
            assertEquals("Invoice", payload.path("entityType").asText());
            assertEquals("inv-7", payload.path("entityId").asText());
            assertEquals("carol", payload.path("approvedBy").asText());
            assertEquals(1, payload.path("executionResult").path("rows").asInt());
            assertTrue(payload.path("timestamp").isTextual(), "an ISO-8601 string: " + payload);
            assertEquals(Instant.parse(decidedAt), Instant.parse(payload.path("timestamp").asText()));
            agent.awaitSuccess(STEP);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
