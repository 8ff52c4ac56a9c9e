package io.switchboard.pendingchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.mcp.McpHub;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestAgents;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The outbox behind "no decision is lost" ({@link DecisionAnnouncements}): a decision's row says it
 * still has to be announced until the backplane confirmed its push; one left unconfirmed (its replica
 * died) is announced again by the sweep. The multi-process version is NoLossIT.
 */
@QuarkusTest
class DecisionAnnouncementsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    DataSource database;

    @Test
    void aConfirmedAnnouncementIsNotDueAnyMore() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String id = PendingChanges.propose(TestAgents.apiKey(tenant));
        PendingChanges.approve(TestAgents.approver(tenant), id, null).statusCode(200);
        assertTrue(awaitAnnounced(id, Duration.ofSeconds(5)), "the confirmed announcement cleared announce_due_at");
    }

    @Test
    void aDecisionNobodyConfirmedIsAnnouncedAgain() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String key = TestAgents.apiKey(tenant);
        String id = PendingChanges.propose(key);
        try (HubClient agent = HubClient.connect(base, McpHub.PATH, key)) {
            agent.invokeVoid("SubscribeToPendingChange", id);
            PendingChanges.reject(TestAgents.approver(tenant), id, "not now").statusCode(200);
            assertEquals(id, agent.next("PendingChangeRejected").get("pendingChangeId"));
            assertTrue(awaitAnnounced(id, Duration.ofSeconds(5)));

            // As if the replica that decided had died before its push was confirmed.
            makeOverdue(id);
            Map<String, Object> again = agent.poll("PendingChangeRejected", Duration.ofSeconds(5));
            assertNotNull(again, "announced again by the sweep");
            assertEquals(id, again.get("pendingChangeId"));
            assertEquals("Rejected", again.get("status"));
            assertTrue(awaitAnnounced(id, Duration.ofSeconds(5)), "and confirmed this time");
        }
    }

    private boolean awaitAnnounced(String id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = database.getConnection();
                 PreparedStatement query = connection.prepareStatement(
                         "SELECT announce_due_at IS NULL FROM pending_change WHERE id = ?::uuid")) {
                query.setString(1, id);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        return true;
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return false;
    }

    private void makeOverdue(String id) throws Exception {
        try (Connection connection = database.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE pending_change SET announce_due_at = now() - interval '1 second' WHERE id = ?::uuid")) {
            update.setString(1, id);
            assertEquals(1, update.executeUpdate());
        }
    }
}
