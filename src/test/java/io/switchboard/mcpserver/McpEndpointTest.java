package io.switchboard.mcpserver;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.McpAgent;
import io.switchboard.testing.McpWire;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Agents on the MCP endpoint with the official Java SDK client, and by hand where the SDK hides what
 * matters (docs/api.md, "MCP endpoint"): one replica here; MultiReplicaIT covers the others.
 */
@QuarkusTest
class McpEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> DIFF = Map.of("operation", "UPDATE", "entityType", "Invoice",
            "entityId", "inv-42", "before", Map.of("amount", 100), "after", Map.of("amount", 120));

    @TestHTTPResource("/")
    URI base;

    @Inject
    CallWaits waits;

    private static String tenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode structured(McpSchema.CallToolResult result) {
        return JSON.valueToTree(result.structuredContent());
    }

    /** Approves (or rejects, with a reason) once the change shows up in the tenant's pending list. */
    private static void decideWhenProposed(String tenant, String toolName, String reason) {
        String approver = TestAgents.approver(tenant);
        String id = TestAgents.awaitPendingId(approver, toolName, Duration.ofSeconds(20));
        if (reason == null) {
            given().auth().oauth2(approver).contentType(ContentType.JSON)
                    .body(Map.of("executionResult", Map.of("rows", 1)))
                    .post("/api/pending-changes/{id}/approve", id).then().statusCode(200);
        } else {
            given().auth().oauth2(approver).contentType(ContentType.JSON).body(Map.of("reason", reason))
                    .post("/api/pending-changes/{id}/reject", id).then().statusCode(200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<Void> inBackground(Executable step) {
        return CompletableFuture.runAsync(() -> {
            try {
                step.execute();
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theThreeToolsHaveInputAndOutputSchemas() {
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
            Map<String, McpSchema.Tool> tools = agent.client().listTools().tools().stream()
                    .collect(Collectors.toMap(McpSchema.Tool::name, tool -> tool));
            assertEquals(Set.of("propose_change", "await_decision", "approval_prompt"), tools.keySet());
            for (McpSchema.Tool tool : tools.values()) {
                assertEquals("object", tool.inputSchema().get("type"), tool.name());
                assertNotNull(tool.outputSchema(), tool.name() + " has an output schema");
            }
            assertEquals(List.of("toolName", "diff"), tools.get("propose_change").inputSchema().get("required"));
            assertEquals(Set.of("toolName", "diff", "expiresInSeconds", "waitSeconds"),
                    ((Map<?, ?>) tools.get("propose_change").inputSchema().get("properties")).keySet());
            assertEquals(List.of("pendingChangeId"), tools.get("await_decision").inputSchema().get("required"));
            assertEquals(Set.of("pendingChangeId", "waitSeconds"),
                    ((Map<?, ?>) tools.get("await_decision").inputSchema().get("properties")).keySet());
            assertEquals(List.of("tool_name", "input"), tools.get("approval_prompt").inputSchema().get("required"));
            assertEquals(Set.of("tool_name", "input", "tool_use_id"),
                    ((Map<?, ?>) tools.get("approval_prompt").inputSchema().get("properties")).keySet());
            assertTrue(agent.client().getServerCapabilities().resources().subscribe());
        }
    }

    @Test
    void proposeChangeWaitsForTheApprovalMadeInTheWebPagesApi() {
        String tenant = tenant();
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant))) {
            CompletableFuture<Void> approver = inBackground(() -> decideWhenProposed(tenant, "update_invoice", null));
            McpSchema.CallToolResult result = agent.call("propose_change", Map.of("toolName", "update_invoice", "diff", DIFF));
            approver.join();
            assertFalse(result.isError(), McpAgent.text(result));
            JsonNode decision = structured(result);
            assertEquals("Approved", decision.path("status").asText());
            assertEquals("update_invoice", decision.path("toolName").asText());
            assertEquals(1, decision.path("executionResult").path("rows").asInt());
            assertTrue(decision.path("decidedBy").isTextual());
            assertEquals(decision, McpWire.json(McpAgent.text(result)), "the text content is the same JSON");
        }
    }

    @Test
    void aRejectionEndsTheWaitWithItsReason() {
        String tenant = tenant();
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant))) {
            CompletableFuture<Void> approver = inBackground(() -> decideWhenProposed(tenant, "drop_table", "Not on a Friday"));
            McpSchema.CallToolResult result = agent.call("propose_change", Map.of("toolName", "drop_table", "diff", DIFF));
            approver.join();
            assertEquals("Rejected", structured(result).path("status").asText());
            assertEquals("Not on a Friday", structured(result).path("reason").asText());
        }
    }

    @Test
    void aWaitThatRunsOutAnswersPendingAndAwaitDecisionWaitsAgain() {
        String tenant = tenant();
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant))) {
            long started = System.nanoTime();
            McpSchema.CallToolResult first = agent.call("propose_change",
                    Map.of("toolName", "rename", "diff", DIFF, "waitSeconds", 1));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 900, "waited about a second");
            assertEquals("Pending", structured(first).path("status").asText());
            String id = structured(first).path("pendingChangeId").asText();

            CompletableFuture<Void> approver = inBackground(() -> decideWhenProposed(tenant, "rename", null));
            McpSchema.CallToolResult second = agent.call("await_decision", Map.of("pendingChangeId", id));
            approver.join();
            assertEquals("Approved", structured(second).path("status").asText());
            // Already decided: answered at once.
            McpSchema.CallToolResult third = agent.call("await_decision", Map.of("pendingChangeId", id, "waitSeconds", 300));
            assertEquals("Approved", structured(third).path("status").asText());
        }
    }

    @Test
    void anotherTenantsChangeIsNotFound() {
        String id;
        try (McpAgent owner = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
            id = structured(owner.call("propose_change", Map.of("toolName", "t", "diff", DIFF, "waitSeconds", 0)))
                    .path("pendingChangeId").asText();
        }
        try (McpAgent stranger = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
            McpSchema.CallToolResult result = stranger.call("await_decision", Map.of("pendingChangeId", id));
            assertTrue(result.isError());
            assertEquals("Pending change not found", McpAgent.text(result));
            McpSchema.CallToolResult unknown = stranger.call("await_decision",
                    Map.of("pendingChangeId", UUID.randomUUID().toString(), "waitSeconds", 0));
            assertEquals("Pending change not found", McpAgent.text(unknown));
            McpError error = assertThrows(McpError.class, () -> stranger.client()
                    .readResource(new McpSchema.ReadResourceRequest("switchboard://pending-changes/" + id)));
            assertTrue(error.getMessage().contains("Pending change not found"), error.getMessage());
            McpError subscribe = assertThrows(McpError.class, () -> stranger.client()
                    .subscribeResource(new McpSchema.SubscribeRequest("switchboard://pending-changes/" + id)));
            assertTrue(subscribe.getMessage().contains("Pending change not found"), subscribe.getMessage());
        }
    }

    @Test
    void aSubscriptionToAnotherTenantsChangeIsNeverTold() throws Exception {
        String owner = tenant();
        String id;
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(owner))) {
            id = structured(agent.call("propose_change", Map.of("toolName", "secret", "diff", DIFF, "waitSeconds", 0)))
                    .path("pendingChangeId").asText();
        }
        String uri = "switchboard://pending-changes/" + id;
        try (McpAgent stranger = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
            assertThrows(McpError.class,
                    () -> stranger.client().subscribeResource(new McpSchema.SubscribeRequest(uri)));
            decideWhenProposed(owner, "secret", null);
            assertNull(stranger.updatedUris().poll(1500, TimeUnit.MILLISECONDS), "another tenant's decision");
        }
    }

    @Test
    void anExpiryEndsEveryWaitForTheChange() {
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
            long started = System.nanoTime();
            McpSchema.CallToolResult proposed = agent.call("propose_change",
                    Map.of("toolName", "late", "diff", DIFF, "expiresInSeconds", 1, "waitSeconds", 30));
            long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            JsonNode expired = structured(proposed);
            assertEquals("Expired", expired.path("status").asText(), expired.toString());
            assertTrue(expired.path("decidedAt").isTextual(), expired.toString());
            // Expired within 2 s of expiresAt, told within 1 s of that commit.
            assertTrue(tookMillis < 4500, "propose_change answered Expired after " + tookMillis + " ms");

            String id = structured(agent.call("propose_change",
                    Map.of("toolName", "later", "diff", DIFF, "expiresInSeconds", 1, "waitSeconds", 0))).path("pendingChangeId").asText();
            McpSchema.CallToolResult awaited = agent.call("await_decision", Map.of("pendingChangeId", id, "waitSeconds", 30));
            assertEquals("Expired", structured(awaited).path("status").asText(), McpAgent.text(awaited));
        }
    }

    @Test
    void argumentsAreValidatedAsTheRestBodyIs() {
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
            McpSchema.CallToolResult lowercase = agent.call("propose_change", Map.of("toolName", "t",
                    "diff", Map.of("operation", "update", "entityType", "Invoice")));
            assertTrue(lowercase.isError());
            assertEquals("diff.operation must be one of CREATE, UPDATE, DELETE (exactly, in capitals).",
                    McpAgent.text(lowercase));
            McpSchema.CallToolResult missing = agent.call("propose_change", Map.of("diff", DIFF));
            assertEquals("toolName must not be blank", McpAgent.text(missing));
            McpSchema.CallToolResult large = agent.call("propose_change", Map.of("toolName", "t", "diff",
                    Map.of("operation", "CREATE", "entityType", "Blob", "after", "x".repeat(70_000))));
            assertTrue(McpAgent.text(large).startsWith("diff: before and after take"), McpAgent.text(large));
            McpSchema.CallToolResult wait = agent.call("propose_change", Map.of("toolName", "t", "diff", DIFF,
                    "waitSeconds", 301));
            assertEquals("waitSeconds must be a whole number from 0 to 300.", McpAgent.text(wait));
            McpSchema.CallToolResult prompt = agent.call("approval_prompt", Map.of("tool_name", "Bash"));
            assertEquals("input must not be null", McpAgent.text(prompt));
        }
    }

    @Test
    void approvalPromptAnswersAllowWithTheInputOrDenyWithTheReason() {
        String tenant = tenant();
        Map<String, Object> input = Map.of("command", "rm -rf build", "timeout", 30);
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant))) {
            CompletableFuture<Void> approver = inBackground(() -> decideWhenProposed(tenant, "Bash", null));
            McpSchema.CallToolResult allowed = agent.call("approval_prompt",
                    Map.of("tool_name", "Bash", "input", input, "tool_use_id", "toolu_01"));
            approver.join();
            assertEquals(JSON.valueToTree(Map.of("behavior", "allow", "updatedInput", input)),
                    McpWire.json(McpAgent.text(allowed)));
            assertTrue(McpAgent.text(allowed).startsWith("{\"behavior\":\"allow\",\"updatedInput\":{"));

            CompletableFuture<Void> rejecter = inBackground(() -> decideWhenProposed(tenant, "Write", "Wrong file"));
            McpSchema.CallToolResult denied = agent.call("approval_prompt", Map.of("tool_name", "Write", "input", input));
            rejecter.join();
            assertEquals("{\"behavior\":\"deny\",\"message\":\"Wrong file\"}", McpAgent.text(denied));
        }
        // The prompt became a change an approver could read: a tool call, with its input as "after".
        Map<String, Object> change = given().auth().oauth2(TestAgents.approver(tenant))
                .get("/api/pending-changes?status=Approved").then().statusCode(200).extract().path("items[0]");
        assertEquals("Bash", change.get("toolName"));
        assertEquals(Map.of("operation", "UPDATE", "entityType", "ToolCall", "entityId", "toolu_01", "after", input),
                ((Map<?, ?>) change.get("diff")).entrySet().stream().filter(entry -> entry.getValue() != null)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void aSubscribedResourceIsReportedUpdatedWhenDecidedAndAtOnceWhenDecidedBefore() throws Exception {
        String tenant = tenant();
        TestAgents.Key key = TestAgents.created(tenant, "watcher bot");
        try (McpAgent agent = McpAgent.connect(base, key.key())) {
            assertEquals("switchboard://pending-changes/{id}",
                    agent.client().listResourceTemplates().resourceTemplates().get(0).uriTemplate());
            String id = structured(agent.call("propose_change", Map.of("toolName", "watch", "diff", DIFF, "waitSeconds", 0)))
                    .path("pendingChangeId").asText();
            String uri = "switchboard://pending-changes/" + id;
            McpSchema.ReadResourceResult read = agent.client().readResource(new McpSchema.ReadResourceRequest(uri));
            JsonNode pending = McpWire.json(((McpSchema.TextResourceContents) read.contents().get(0)).text());
            assertEquals("Pending", pending.path("status").asText());
            assertEquals(id, pending.path("id").asText());
            assertEquals(key.id(), pending.path("proposedBy").path("apiKeyId").asText(), pending.toString());
            assertEquals("watcher bot", pending.path("proposedBy").path("name").asText(), pending.toString());

            agent.client().subscribeResource(new McpSchema.SubscribeRequest(uri));
            decideWhenProposed(tenant, "watch", null);
            long decided = System.nanoTime();
            assertEquals(uri, agent.updatedUris().poll(5, TimeUnit.SECONDS));
            long tookMillis = Duration.ofNanos(System.nanoTime() - decided).toMillis();
            assertTrue(tookMillis < 1000, "told " + tookMillis + " ms after the approve answered; at most 1 s");

            agent.client().subscribeResource(new McpSchema.SubscribeRequest(uri));
            assertEquals(uri, agent.updatedUris().poll(5, TimeUnit.SECONDS), "decided before: told at once");
        }
    }

    @Test
    void everyProtocolVersionIsSpokenWithTheSameToolsAndResults() {
        for (String version : List.of("2025-11-25", "2025-06-18", "2025-03-26")) {
            try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant()), List.of(version))) {
                assertEquals(version, agent.client().getCurrentInitializationResult().protocolVersion());
                assertTrue(agent.client().listTools().tools().stream().allMatch(tool -> tool.outputSchema() != null),
                        version + ": every tool has its output schema");
                McpSchema.CallToolResult result = agent.call("propose_change",
                        Map.of("toolName", "t", "diff", DIFF, "waitSeconds", 0));
                assertEquals("Pending", McpWire.json(McpAgent.text(result)).path("status").asText(), version);
                assertEquals("Pending", structured(result).path("status").asText(), version + ": structuredContent");
            }
        }
    }

    @Test
    void sessionsBelongToTheirKeyAndEndWithDelete() {
        String tenant = tenant();
        McpWire owner = McpWire.withApiKey(base, TestAgents.apiKey(tenant));
        McpWire other = McpWire.withApiKey(base, TestAgents.apiKey(tenant));
        String session = owner.initialize("2025-11-25");
        Map<String, Object> ping = Map.of("jsonrpc", "2.0", "id", 1, "method", "ping");
        assertEquals(200, owner.post(session, ping).statusCode());
        assertEquals(404, other.post(session, ping).statusCode(), "another key's session");
        assertEquals(404, owner.post("0123456789abcdef0123456789abcdef", ping).statusCode(), "an unknown session");
        assertEquals(400, owner.post(null, ping).statusCode(), "no session");
        assertEquals(204, owner.send("DELETE", session).statusCode());
        HttpResponse<String> ended = owner.post(session, ping);
        assertEquals(404, ended.statusCode());
        assertEquals("application/problem+json", ended.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void aCredentialIsRequiredAndMustBeAnAgents() {
        McpWire anonymous = new McpWire(base, Map.of());
        HttpResponse<String> none = anonymous.post(null, Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize"));
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(McpWire.json(none.body()).path("detail").isTextual());
        HttpResponse<String> unknownKey = McpWire.withApiKey(base, "sb_" + "0".repeat(43))
                .post(null, Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize"));
        assertEquals(401, unknownKey.statusCode());
        HttpResponse<String> person = new McpWire(base, Map.of("Authorization", "Bearer "
                + TestTokens.user("alice", tenant()))).post(null, Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize"));
        assertEquals(403, person.statusCode());
        assertTrue(McpWire.json(person.body()).path("detail").asText().contains("API key"), person.body());
        HttpResponse<String> xApiKey = new McpWire(base, Map.of("X-Api-Key", TestAgents.apiKey(tenant())))
                .post(null, Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize",
                        "params", Map.of("protocolVersion", "2025-06-18")));
        assertEquals(200, xApiKey.statusCode());
    }

    @Test
    void aBrowserOfAnOriginNotAllowedIsRefused() {
        HttpResponse<String> response = new McpWire(base, Map.of("Origin", "https://evil.example",
                "X-Api-Key", TestAgents.apiKey(tenant()))).post(null, Map.of("jsonrpc", "2.0", "id", 0, "method", "ping"));
        assertEquals(403, response.statusCode());
    }

    @Test
    void aRevokedKeysSessionsAndWaitsEnd() throws Exception {
        TestAgents.Key key = TestAgents.created(tenant());
        McpWire wire = McpWire.withApiKey(base, key.key());
        String session = wire.initialize("2025-11-25");
        CompletableFuture<HttpResponse<InputStream>> waiting = wire.postStreaming(session,
                McpWire.toolCall(1, "propose_change", Map.of("toolName", "t", "diff", DIFF, "waitSeconds", 300)));
        HttpResponse<InputStream> stream = waiting.get(10, TimeUnit.SECONDS);
        awaitWaiting(key.id(), 1);
        given().auth().oauth2(TestAgents.admin(key.tenantId())).delete("/api/api-keys/{id}", key.id())
                .then().statusCode(204);
        try (McpWire.Events events = new McpWire.Events(stream.body())) {
            assertNull(events.next(), "the waiting call's stream was closed without an answer");
        }
        awaitWaiting(key.id(), 0);
        assertEquals(401, wire.post(session, Map.of("jsonrpc", "2.0", "id", 2, "method", "ping")).statusCode());
    }

    @Test
    void cancellingAWaitingCallEndsItAndFreesItsPlace() throws Exception {
        TestAgents.Key key = TestAgents.created(tenant());
        McpWire wire = McpWire.withApiKey(base, key.key());
        String session = wire.initialize("2025-11-25");
        HttpResponse<InputStream> stream = wire.postStreaming(session,
                McpWire.toolCall(7, "propose_change", Map.of("toolName", "cancelled", "diff", DIFF, "waitSeconds", 300)))
                .get(10, TimeUnit.SECONDS);
        awaitWaiting(key.id(), 1);
        assertEquals(202, wire.post(session, Map.of("jsonrpc", "2.0", "method", "notifications/cancelled",
                "params", Map.of("requestId", 7, "reason", "the user pressed Escape"))).statusCode());
        try (McpWire.Events events = new McpWire.Events(stream.body())) {
            assertNull(events.next(), "no answer is sent for a cancelled request");
        }
        awaitWaiting(key.id(), 0);
        given().auth().oauth2(TestAgents.approver(key.tenantId())).get("/api/pending-changes?status=Pending")
                .then().statusCode(200).body("items[0].toolName", equalTo("cancelled"));
    }

    @Test
    void closingTheStreamEndsTheWait() throws Exception {
        TestAgents.Key key = TestAgents.created(tenant());
        McpWire wire = McpWire.withApiKey(base, key.key());
        String session = wire.initialize("2025-11-25");
        HttpResponse<InputStream> stream = wire.postStreaming(session,
                McpWire.toolCall(3, "await_decision", Map.of("pendingChangeId",
                        proposePending(wire, session), "waitSeconds", 300))).get(10, TimeUnit.SECONDS);
        awaitWaiting(key.id(), 1);
        stream.body().close();
        awaitWaiting(key.id(), 0);
    }

    private static String proposePending(McpWire wire, String session) {
        HttpResponse<String> response = wire.post(session,
                McpWire.toolCall(2, "propose_change", Map.of("toolName", "t", "diff", DIFF, "waitSeconds", 0)));
        JsonNode answer = response.body().startsWith("{") ? McpWire.json(response.body())
                : McpWire.json(response.body().lines().filter(line -> line.startsWith("data: ")).reduce((a, b) -> b)
                .orElseThrow().substring(6));
        return answer.path("result").path("structuredContent").path("pendingChangeId").asText();
    }

    private void awaitWaiting(String keyId, int expected) {
        awaitWaiting(waits, keyId, expected);
    }

    /** Waits up to 10 s until {@code expected} tool calls of the key wait on this replica. */
    static void awaitWaiting(CallWaits waits, String keyId, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (waits.waiting(keyId) != expected && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertEquals(expected, waits.waiting(keyId), "calls of the key waiting");
    }
}
