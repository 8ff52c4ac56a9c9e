package io.switchboard.pendingchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.CountingDriver;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestAgents;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * What PostgreSQL is asked per approval, per proposal and per agent subscription, counted at the JDBC
 * driver ({@link CountingDriver}): statements and round trips. docs/benchmarks.md, "Database work per
 * approval", lists them; a change that adds a statement or a round trip fails here.
 */
@QuarkusTest
@TestProfile(DatabaseWorkPerApprovalTest.Counting.class)
public class DatabaseWorkPerApprovalTest {

    private static final Logger LOG = Logger.getLogger(DatabaseWorkPerApprovalTest.class);

    /** The counting driver; no scheduled sweep runs on its own; a key checked once is trusted for the test. */
    public static class Counting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.driver", CountingDriver.class.getName(),
                    "quarkus.scheduler.enabled", "false",
                    "switchboard.api-keys.trust-window", "10m");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    DecisionAnnouncements announcements;

    @Inject
    PendingChangeService changes;

    @Inject
    jakarta.transaction.UserTransaction transaction;

    @Test
    void anApprovalIsOneStatementInOneRoundTrip() {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String key = TestAgents.apiKey(tenant);
        String approver = TestAgents.approver(tenant);
        // Once through every path first: what happens once per process (type look-ups) is not counted.
        decideOnce(key, approver);

        CountingDriver.reset();
        String id = PendingChanges.propose(key);
        CountingDriver.Work propose = CountingDriver.work();

        CountingDriver.reset();
        try (HubClient agent = HubClient.connect(base, "/hubs/mcp", key)) {
            CountingDriver.Work connect = CountingDriver.work();

            CountingDriver.reset();
            agent.invokeVoid("SubscribeToPendingChange", id);
            CountingDriver.Work subscribe = CountingDriver.work();

            // A change this replica does not know Pending (proposed inside a caller's transaction here; in
            // production: proposed on another replica, or before a restart) is read.
            String unknown = proposedInsideATransaction(tenant);
            CountingDriver.reset();
            agent.invokeVoid("SubscribeToPendingChange", unknown);
            CountingDriver.Work subscribeUnknown = CountingDriver.work();

            CountingDriver.reset();
            PendingChanges.approve(approver, id, Map.of("rows", 1)).statusCode(200);
            agent.next("PendingChangeApproved");
            CountingDriver.Work approve = CountingDriver.work();

            CountingDriver.reset();
            announcements.sweep();
            CountingDriver.Work announced = CountingDriver.work();

            CountingDriver.reset();
            agent.invokeVoid("SubscribeToPendingChange", id);
            agent.next("PendingChangeApproved");
            CountingDriver.Work subscribeDecided = CountingDriver.work();

            LOG.infof("propose: %s", propose);
            LOG.infof("connect (key trusted): %s", connect);
            LOG.infof("subscribe (Pending, proposed here): %s", subscribe);
            LOG.infof("subscribe (Pending, not known here): %s", subscribeUnknown);
            LOG.infof("approve: %s", approve);
            LOG.infof("announcement sweep: %s", announced);
            LOG.infof("subscribe (decided): %s", subscribeDecided);

            // The proposal: its INSERT, committed by itself (was BEGIN, INSERT, COMMIT: 2 round trips).
            assertWork(propose, 1, "INSERT INTO pending_change");
            // The key checked a moment ago is trusted (RecentlyValidKeys): nothing.
            assertEquals(0, connect.roundTrips(), connect::toString);
            // A change proposed here and not decided since is known Pending: nothing (was one SELECT).
            assertEquals(0, subscribe.roundTrips(), subscribe::toString);
            // Otherwise the status, and the decision when there is one: one SELECT (a decided change was
            // 3 round trips).
            assertWork(subscribeUnknown, 1, "SELECT id, tenant_id");
            assertWork(subscribeDecided, 1, "SELECT id, tenant_id");
            // Lock, check and update in one statement, committed by itself (was BEGIN + SELECT … FOR NO KEY
            // UPDATE, UPDATE … RETURNING, COMMIT: 3 round trips).
            assertWork(approve, 1, "WITH locked AS");
            // Per sweep, not per approval: the batch of confirmed announcements cleared, the overdue ones
            // claimed (was 4 round trips: each in BEGIN … COMMIT).
            assertEquals(2, announced.roundTrips(), announced::toString);
            assertEquals(2, announced.statements().size(), announced::toString);
        }
    }

    private String proposedInsideATransaction(String tenant) {
        io.switchboard.identity.HubUser agent = new io.switchboard.identity.HubUser(
                "key-" + UUID.randomUUID(), "agent", tenant, java.util.Set.of("agent"));
        try {
            transaction.begin();
            String id = changes.propose(agent, new NewPendingChange("update_invoice",
                    new Diff(Operation.UPDATE, "Invoice", "inv-1", null, null), null)).id();
            transaction.commit();
            return id;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertWork(CountingDriver.Work work, int statements, String first) {
        assertEquals(statements, work.statements().size(), work::toString);
        assertEquals(statements, work.roundTrips(), work::toString);
        assertTrue(work.statements().get(0).startsWith(first), work::toString);
    }

    private void decideOnce(String key, String approver) {
        String id = PendingChanges.propose(key);
        try (HubClient agent = HubClient.connect(base, "/hubs/mcp", key)) {
            agent.invokeVoid("SubscribeToPendingChange", id);
            PendingChanges.approve(approver, id, null).statusCode(200);
            agent.next("PendingChangeApproved");
            agent.invokeVoid("SubscribeToPendingChange", id);
            agent.next("PendingChangeApproved");
        }
        announcements.sweep();
    }
}
