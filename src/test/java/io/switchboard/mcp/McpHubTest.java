package io.switchboard.mcp;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.signalr.HubConnectionState;
import com.microsoft.signalr.HubException;
import com.microsoft.signalr.TransportEnum;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.MutedLogger;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Agents on McpHub, with the official Java client, are pushed every decision (docs/api.md §4 "McpHub"). */
@QuarkusTest
class McpHubTest {

    private static final Duration QUIET = Duration.ofMillis(800);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RollbackProbe rollbackProbe;

    private static String tenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private HubClient agent(String apiKey) {
        return HubClient.connect(base, McpHub.PATH, apiKey);
    }

    private static String propose(String apiKey, Integer expiresInSeconds) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("toolName", "update_invoice", "diff", Map.of(
                "operation", "UPDATE", "entityType", "Invoice", "entityId", "inv-42",
                "before", Map.of("amount", 100), "after", Map.of("amount", 120))));
        if (expiresInSeconds != null) {
            body.put("expiresInSeconds", expiresInSeconds);
        }
        return given().header("X-Api-Key", apiKey).contentType(ContentType.JSON).body(body)
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> approve(String tenant, String id, Object executionResult) {
        return given().auth().oauth2(TestTokens.token("carol", tenant, Set.of("approver")))
                .contentType(ContentType.JSON)
                .body(executionResult == null ? Map.of() : Map.of("executionResult", executionResult))
                .post("/api/pending-changes/{id}/approve", id).then().statusCode(200).extract().as(Map.class);
    }

    @Test
    void anApprovalIsPushedToTheSubscribedAgentWithEveryField() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        String id = propose(key, null);
        try (HubClient agent = agent(key)) {
            agent.invokeVoid("SubscribeToPendingChange", id);
            Map<String, Object> approved = approve(tenant, id, Map.of("rows", 1));
            Map<String, Object> pushed = agent.next("PendingChangeApproved");
            assertEquals(id, pushed.get("pendingChangeId"));
            assertEquals("Approved", pushed.get("status"));
            assertEquals("update_invoice", pushed.get("toolName"));
            assertEquals("UPDATE", pushed.get("operation"));
            assertEquals("Invoice", pushed.get("entityType"));
            assertEquals("inv-42", pushed.get("entityId"));
            assertEquals("carol", pushed.get("approvedBy"));
            assertEquals(Map.of("rows", 1.0), pushed.get("executionResult"));
            assertEquals(approved.get("decidedAt"), pushed.get("timestamp"));
            assertEquals(9, pushed.size(), "exactly the fields of docs/api.md §4 \"McpHub\": " + pushed.keySet());
            agent.assertNo("PendingChangeApproved", QUIET);
        }
    }

    @Test
    void aRejectionIsPushedWithTheReasonAndTheDecider() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        String id = propose(key, null);
        try (HubClient agent = agent(key)) {
            agent.invokeVoid("SubscribeToPendingChange", id);
            Map<String, Object> rejected = given().auth().oauth2(TestTokens.token("dave", tenant, Set.of("admin")))
                    .contentType(ContentType.JSON).body(Map.of("reason", "wrong amount"))
                    .post("/api/pending-changes/{id}/reject", id).then().statusCode(200).extract().as(Map.class);
            Map<String, Object> pushed = agent.next("PendingChangeRejected");
            assertEquals(Map.of("pendingChangeId", id, "status", "Rejected", "toolName", "update_invoice",
                    "reason", "wrong amount", "rejectedBy", "dave", "timestamp", rejected.get("decidedAt")), pushed);
        }
    }

    @Test
    void anExpiryIsPushedWithin2SecondsOfExpiresAt() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        String id = propose(key, 1);
        try (HubClient agent = agent(key)) {
            agent.invokeVoid("SubscribeToPendingChange", id);
            Map<String, Object> pushed = agent.next("PendingChangeExpired");
            Instant received = Instant.now();
            assertEquals(Set.of("pendingChangeId", "status", "toolName", "timestamp"), pushed.keySet());
            assertEquals(id, pushed.get("pendingChangeId"));
            assertEquals("Expired", pushed.get("status"));
            assertEquals("update_invoice", pushed.get("toolName"));
            Instant expiresAt = Instant.parse(given().header("X-Api-Key", key).get("/api/pending-changes/{id}", id)
                    .then().statusCode(200).extract().path("expiresAt"));
            assertTrue(Duration.between(expiresAt, received).toMillis() < 2000,
                    "announced " + Duration.between(expiresAt, received) + " after expiresAt");
            agent.assertNo("PendingChangeExpired", QUIET);
        }
    }

    @Test
    void subscribingAfterTheDecisionPushesItAtOnce() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        String id = propose(key, null);
        approve(tenant, id, "done");
        try (HubClient agent = agent(key)) {
            agent.invokeVoid("SubscribeToPendingChange", id);
            Map<String, Object> pushed = agent.next("PendingChangeApproved");
            assertEquals(id, pushed.get("pendingChangeId"));
            assertEquals("done", pushed.get("executionResult"));
        }
    }

    @Test
    void unsubscribedAndOtherAgentsAreNotPushed() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        String first = propose(key, null);
        String second = propose(key, null);
        try (HubClient agent = agent(key); HubClient bystander = agent(TestAgents.apiKey(tenant))) {
            agent.invokeVoid("SubscribeToPendingChange", first);
            agent.invokeVoid("SubscribeToPendingChange", second);
            agent.invokeVoid("UnsubscribeFromPendingChange", first);
            approve(tenant, first, null);
            approve(tenant, second, null);
            assertEquals(second, agent.next("PendingChangeApproved").get("pendingChangeId"));
            agent.assertNo("PendingChangeApproved", QUIET);
            bystander.assertNo("PendingChangeApproved", Duration.ofMillis(100));
        }
    }

    @Test
    void anotherTenantsChangeIsNotFoundLikeAMissingOne() {
        String id = propose(TestAgents.apiKey(tenant()), null);
        try (HubClient stranger = agent(TestAgents.apiKey(tenant()))) {
            for (String target : new String[] {id, UUID.randomUUID().toString(), "not-a-guid"}) {
                HubException error = assertThrows(HubException.class,
                        () -> stranger.invokeVoid("SubscribeToPendingChange", target));
                assertEquals("Pending change not found", error.getMessage());
            }
            assertEquals(HubConnectionState.CONNECTED, stranger.connection().getConnectionState());
        }
    }

    @Test
    void anApprovalRacingTheExpiryMakesExactlyOneTransitionAndOneNotification() throws Exception {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        try (HubClient agent = agent(key)) {
            for (int round = 0; round < 5; round++) {
                String id = propose(key, 1);
                agent.invokeVoid("SubscribeToPendingChange", id);
                Instant expiresAt = Instant.parse(given().header("X-Api-Key", key)
                        .get("/api/pending-changes/{id}", id).then().extract().path("expiresAt"));
                // Approve right at the deadline, while the once-a-second sweep may be expiring it.
                long wait = Duration.between(Instant.now(), expiresAt).toMillis() - 5 - round * 3L;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                int status = given().auth().oauth2(TestTokens.token("carol", tenant, Set.of("approver")))
                        .contentType(ContentType.JSON).body(Map.of())
                        .post("/api/pending-changes/{id}/approve", id).then().extract().statusCode();
                String expected = status == 200 ? "PendingChangeApproved" : "PendingChangeExpired";
                String other = status == 200 ? "PendingChangeExpired" : "PendingChangeApproved";
                assertTrue(status == 200 || status == 409, "status " + status);
                assertEquals(id, agent.next(expected).get("pendingChangeId"));
                agent.assertNo(expected, Duration.ofMillis(1500));
                agent.assertNo(other, Duration.ofMillis(10));
                String finalStatus = given().header("X-Api-Key", key).get("/api/pending-changes/{id}", id)
                        .then().extract().path("status");
                assertEquals(status == 200 ? "Approved" : "Expired", finalStatus);
            }
        }
    }

    @Test
    void aRolledBackTransitionPushesNothing() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        String id = propose(key, null);
        try (HubClient agent = agent(key)) {
            agent.invokeVoid("SubscribeToPendingChange", id);
            assertThrows(RollbackProbe.Boom.class, () -> rollbackProbe.approveThenFail(tenant, id));
            agent.assertNo("PendingChangeApproved", Duration.ofSeconds(1));
            assertEquals("Pending", given().header("X-Api-Key", key).get("/api/pending-changes/{id}", id)
                    .then().extract().path("status"));
        }
    }

    @Test
    void revokingTheKeyClosesTheAgentsConnection() throws Exception {
        String tenant = tenant();
        TestAgents.Key key = TestAgents.created(tenant);
        // The client logs the server's Close error at ERROR: provoked here on purpose, and asserted.
        try (HubClient agent = agent(key.key()); MutedLogger muted = MutedLogger.mute(MutedLogger.JAVA_CLIENT)) {
            CompletableFuture<Exception> closed = new CompletableFuture<>();
            agent.connection().onClosed(closed::complete);
            given().auth().oauth2(TestAgents.admin(tenant)).delete("/api/api-keys/{id}", key.id())
                    .then().statusCode(204);
            assertEquals("The API key was revoked.", closed.get(2, TimeUnit.SECONDS).getMessage(),
                    "closed with the reason within 2 s of the revocation");
        }
    }

    @Test
    void approversOnChatHubSeeChangesProposedAndDecidedAndPlainUsersDoNot() {
        String tenant = tenant();
        TestAgents.Key proposer = TestAgents.created(tenant, "invoice bot");
        String key = proposer.key();
        try (HubClient approver = HubClient.connect(base, "/hubs/chat",
                TestTokens.token("erin-" + UUID.randomUUID(), tenant, Set.of("approver")));
             HubClient user = HubClient.connect(base, "/hubs/chat", TestTokens.user("frank-" + UUID.randomUUID(), tenant));
             HubClient otherTenant = HubClient.connect(base, "/hubs/chat",
                     TestTokens.token("gina-" + UUID.randomUUID(), tenant(), Set.of("admin")))) {
            String id = propose(key, null);
            Map<String, Object> created = approver.next("PendingChangeCreated");
            assertEquals(id, created.get("id"));
            assertEquals("Pending", created.get("status"));
            assertEquals(Map.of("apiKeyId", proposer.id(), "name", "invoice bot"), created.get("proposedBy"));
            approve(tenant, id, null);
            Map<String, Object> updated = approver.next("PendingChangeUpdated");
            assertEquals(id, updated.get("id"));
            assertEquals("Approved", updated.get("status"));
            assertEquals(created.get("proposedBy"), updated.get("proposedBy"));
            assertNull(updated.get("reason"));
            user.assertNo("PendingChangeCreated", Duration.ofMillis(300));
            otherTenant.assertNo("PendingChangeCreated", Duration.ofMillis(100));
        }
    }

    @Test
    void aJwtCannotConnectToMcpHubAndAnApiKeyCannotConnectToChatHub() {
        assertThrows(RuntimeException.class,
                () -> HubClient.connect(base, McpHub.PATH, TestTokens.user("person", tenant())).close());
        assertThrows(RuntimeException.class,
                () -> HubClient.connect(base, "/hubs/chat", TestAgents.apiKey(tenant())).close());
        given().auth().oauth2(TestTokens.user("person", tenant())).post("/hubs/mcp/negotiate?negotiateVersion=1")
                .then().statusCode(403);
    }

    /** The official Java client forced onto Long Polling: the push reaches an agent the same. */
    @Test
    void anAgentOnLongPollingIsPushedTheApprovalOfItsChange() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        String id = given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "update_invoice", "diff", Map.of("operation", "UPDATE",
                        "entityType", "Invoice", "entityId", "inv-7")))
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
        try (HubClient agent = HubClient.connect(base, McpHub.PATH, key, TransportEnum.LONG_POLLING)) {
            agent.invokeVoid("SubscribeToPendingChange", id);

            given().auth().oauth2(TestTokens.token("carol", tenant, Set.of("approver")))
                    .contentType(ContentType.JSON).body(Map.of("executionResult", "done"))
                    .post("/api/pending-changes/{id}/approve", id).then().statusCode(200);

            Map<String, Object> pushed = agent.next("PendingChangeApproved");
            assertEquals(id, pushed.get("pendingChangeId"));
            assertEquals("carol", pushed.get("approvedBy"));
            assertEquals("done", pushed.get("executionResult"));
        }
    }
}
