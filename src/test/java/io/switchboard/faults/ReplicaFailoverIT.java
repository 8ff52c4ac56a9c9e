package io.switchboard.faults;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.Replica;
import io.switchboard.testing.ReplicaCluster;
import io.switchboard.testing.TcpProxy;
import io.switchboard.testing.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the replica a load balancer sends clients to. The official JavaScript clients
 * (src/test/js/failover.mjs), on every transport of both hubs, reach replica 1 through a TCP front the
 * test owns; replica 1 is killed, the front sends new connections to replica 2 (as a load balancer
 * does once the endpoint is gone), and the clients reconnect by themselves: each chat connection gets
 * its session back (SessionRestored, and is in its workflows again), each agent resubscribes in
 * onreconnected and gets the decision made while it was away.
 */
class ReplicaFailoverIT {

    private static final Duration STEP = Duration.ofSeconds(50);

    private static ReplicaCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ReplicaCluster.start("failover", 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void clientsOfAKilledReplicaReconnectToASurvivorWithTheirSessionsAndDecisions() throws Exception {
        Replica doomed = cluster.replica(1);
        Replica survivor = cluster.replica(2);
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String key = given().baseUri(survivor.base().toString())
                .auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                .contentType(ContentType.JSON).body(Map.of("name", "agent"))
                .post("/api/api-keys").then().statusCode(201).extract().path("key");
        String change = given().baseUri(survivor.base().toString()).header("X-Api-Key", key)
                .contentType(ContentType.JSON)
                .body(Map.of("toolName", "update_invoice", "diff", Map.of("operation", "UPDATE", "entityType", "Invoice")))
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
        List<String> workflows = List.of("wf-a-" + UUID.randomUUID(), "wf-b-" + UUID.randomUUID());

        try (TcpProxy front = TcpProxy.start(doomed.httpPort());
             HubClient bob = HubClient.connect(survivor.base(), "/hubs/chat", TestTokens.user("bob", tenant));
             NodeScript clients = NodeScript.start("failover.mjs", Map.of(
                     "BASE_URL", front.uri("").toString(),
                     "CHAT_TOKEN", TestTokens.user("dana-" + UUID.randomUUID(), tenant),
                     "WORKFLOWS", String.join(",", workflows),
                     "MCP_KEY", key,
                     "PENDING_CHANGE_ID", change))) {
            bob.invoke(Map.class, "JoinWorkflow", workflows.get(0));
            assertEquals(6, clients.next("connected", STEP).path("connections").size());

            doomed.kill();
            clients.next("reconnecting", STEP);
            // Decided while every agent is away (the front still points at the dead replica).
            given().baseUri(survivor.base().toString())
                    .auth().oauth2(TestTokens.token("carol", tenant, Set.of("approver")))
                    .contentType(ContentType.JSON).body(Map.of("executionResult", Map.of("ok", true)))
                    .post("/api/pending-changes/{id}/approve", change).then().statusCode(200);
            front.retarget(survivor.httpPort());

            JsonNode reconnected = clients.next("reconnected", STEP);
            for (JsonNode connection : reconnected.path("connections")) {
                String which = connection.path("hub").asText() + " over " + connection.path("transport").asText();
                assertFalse(connection.path("reconnectedId").isNull(), which + " reconnected");
                assertNotEquals(connection.path("connectionId").asText(), connection.path("reconnectedId").asText(),
                        which + " is a new connection on the survivor");
                if (connection.path("hub").asText().equals("chat")) {
                    JsonNode session = connection.path("sessionRestored");
                    assertEquals(workflows, session.path("workflows").findValuesAsText("workflowId"),
                            which + " got its workflows back");
                    assertEquals(workflows.get(1), session.path("activeWorkflowId").asText(), which);
                } else {
                    JsonNode decision = connection.path("decision");
                    assertEquals("PendingChangeApproved", decision.path("method").asText(), which);
                    assertEquals(change, decision.path("pendingChangeId").asText(), which);
                    assertEquals("Approved", decision.path("status").asText(), which);
                }
            }

            bob.invoke(Map.class, "SendMessage", "after the failover");
            for (JsonNode connection : clients.next("message", STEP).path("connections")) {
                assertEquals("after the failover", connection.path("content").asText(),
                        "chat over " + connection.path("transport").asText() + " is in the workflow again");
            }
            clients.awaitSuccess(Duration.ofSeconds(15));
        }
    }
}
