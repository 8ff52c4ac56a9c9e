package io.switchboard.mcpserver;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.TestAgents;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An agent with the official TypeScript MCP SDK (src/test/js/mcp-sdk-agent.mjs) on /mcp: the tools and
 * their schemas, a proposal waiting for its approval, a resource subscription told of the decision,
 * a permission prompt denied with the reason, and an unknown change.
 */
@QuarkusTest
class JavaScriptMcpSdkTest {

    private static final Duration STEP = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @Inject
    CallWaits waits;

    @Test
    void anAgentWithTheTypeScriptSdkIsToldEveryDecision() {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String approver = TestAgents.approver(tenant);
        TestAgents.Key key = TestAgents.created(tenant, "sdk agent");
        try (NodeScript agent = NodeScript.start("mcp-sdk-agent.mjs", Map.of(
                "MCP_URL", base.resolve("/mcp").toString(), "API_KEY", key.key()))) {
            JsonNode tools = agent.next("tools", STEP).path("tools");
            Set<String> names = new HashSet<>();
            tools.forEach(tool -> {
                names.add(tool.path("name").asText());
                assertTrue(tool.path("outputSchema").isObject(), tool.toString());
            });
            assertEquals(Set.of("propose_change", "await_decision", "approval_prompt"), names);

            agent.next("proposing", STEP);
            decide(approver, pendingId(approver, "sdk_update"), null);
            JsonNode decided = agent.next("decided", STEP).path("result");
            assertEquals("Approved", decided.path("structuredContent").path("status").asText(), decided.toString());

            String id = agent.next("subscribed", STEP).path("id").asText();
            decide(approver, id, "Not this one");
            assertEquals("switchboard://pending-changes/" + id, agent.next("updated", STEP).path("uri").asText());
            JsonNode change = agent.next("read", STEP).path("change");
            assertEquals("Rejected", change.path("status").asText());
            assertEquals("Not this one", change.path("reason").asText());
            assertEquals("sdk agent", change.path("proposedBy").path("name").asText(), change.toString());
            assertEquals(key.id(), change.path("proposedBy").path("apiKeyId").asText(), change.toString());

            decide(approver, pendingId(approver, "sdk_bash"), "No listing today");
            assertEquals("{\"behavior\":\"deny\",\"message\":\"No listing today\"}",
                    agent.next("prompted", STEP).path("text").asText());

            JsonNode notFound = agent.next("notFound", STEP).path("result");
            assertTrue(notFound.path("isError").asBoolean(), notFound.toString());
            assertEquals("Pending change not found", notFound.path("content").get(0).path("text").asText());

            String waitedFor = agent.next("waiting", STEP).path("id").asText();
            McpEndpointTest.awaitWaiting(waits, key.id(), 1);
            agent.send("abort");
            String error = agent.next("cancelled", STEP).path("error").asText();
            assertTrue(error.contains("Escape"), "the SDK rejected the call with the abort's reason: " + error);
            McpEndpointTest.awaitWaiting(waits, key.id(), 0);
            given().auth().oauth2(approver).get("/api/pending-changes/{id}", waitedFor)
                    .then().statusCode(200).body("status", equalTo("Pending"));
            agent.awaitSuccess(STEP);
        }
    }

    private static String pendingId(String approver, String toolName) {
        return TestAgents.awaitPendingId(approver, toolName, STEP);
    }

    private static void decide(String approver, String id, String reason) {
        if (reason == null) {
            given().auth().oauth2(approver).contentType(ContentType.JSON).body(Map.of())
                    .post("/api/pending-changes/{id}/approve", id).then().statusCode(200);
        } else {
            given().auth().oauth2(approver).contentType(ContentType.JSON).body(Map.of("reason", reason))
                    .post("/api/pending-changes/{id}/reject", id).then().statusCode(200);
        }
    }
}
