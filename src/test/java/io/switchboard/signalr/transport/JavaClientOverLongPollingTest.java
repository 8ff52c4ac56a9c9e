package io.switchboard.signalr.transport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.signalr.TransportEnum;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The official Java client forced onto Long Polling, on both hubs. */
@QuarkusTest
class JavaClientOverLongPollingTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aChatMessageIsAcknowledgedAndReceivedByPollingAndWebSocketClientsAlike() {
        String tenant = unique("tenant");
        String workflow = unique("wf");
        try (HubClient polling = HubClient.connect(base, "/hubs/chat", TestTokens.user(unique("lp"), tenant),
                TransportEnum.LONG_POLLING);
             HubClient socket = HubClient.connect(base, "/hubs/chat", TestTokens.user(unique("ws"), tenant))) {
            polling.invoke(Map.class, "JoinWorkflow", workflow);
            socket.invoke(Map.class, "JoinWorkflow", workflow);

            Map<?, ?> ack = polling.invoke(Map.class, "SendMessage", "sent by polling");

            assertEquals(workflow, ack.get("workflowId"));
            Map<String, Object> ownCopy = polling.next("ReceiveMessage");
            assertEquals(ack.get("messageId"), ownCopy.get("messageId"));
            assertEquals("sent by polling", ownCopy.get("content"));
            assertEquals(ack.get("messageId"), socket.next("ReceiveMessage").get("messageId"));

            given().get(metrics.toString()).then().statusCode(200)
                    .body(containsString("signalr_connections{hub=\"chat\",transport=\"LongPolling\"}"));
        }
    }

    @Test
    void anAgentOnLongPollingIsPushedTheApprovalOfItsChange() {
        String tenant = unique("tenant");
        String key = TestAgents.apiKey(tenant);
        String id = given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "update_invoice", "diff", Map.of("operation", "UPDATE",
                        "entityType", "Invoice", "entityId", "inv-7")))
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
        try (HubClient agent = HubClient.connect(base, "/hubs/mcp", key, TransportEnum.LONG_POLLING)) {
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

    @Test
    void stoppingTheClientEndsItsHeldPollAtOnce() {
        // The Java client's stop() sends DELETE, then waits for its poll loop: only the 204 that DELETE
        // gives the held poll ends that loop before the 90 s poll timeout.
        HubClient polling = HubClient.connect(base, "/hubs/chat", TestTokens.user(unique("lp"), unique("tenant")),
                TransportEnum.LONG_POLLING);
        polling.invoke(Map.class, "JoinWorkflow", unique("wf"));
        long start = System.nanoTime();
        assertTrue(polling.connection().stop().blockingAwait(3, TimeUnit.SECONDS), "stopped within 3 s");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000);
    }
}
