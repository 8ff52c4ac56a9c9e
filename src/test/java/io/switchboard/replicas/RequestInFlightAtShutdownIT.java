package io.switchboard.replicas;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.switchboard.testing.Replica;
import io.switchboard.testing.ReplicaCluster;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A REST request still in progress when the replica is told to stop (SIGTERM, as Kubernetes stops a
 * pod) gets its normal answer, and its work is committed, before the process exits
 * (docs/api.md §8 "Health, logs and shutdown"). The request is slow for real: the test holds the
 * pending change's row lock in PostgreSQL, so the approve waits on it inside its transaction, and
 * lets go only once the shutdown is past its delay, when Quarkus is waiting for the requests in flight.
 */
class RequestInFlightAtShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * Past quarkus.shutdown.delay (1 s); well within quarkus.shutdown.timeout and the JDBC driver's
     * socketTimeout (10 s each).
     */
    private static final Duration HELD_AFTER_SIGTERM = Duration.ofSeconds(3);
    /** quarkus.shutdown.delay + quarkus.shutdown.timeout, and a margin for the JVM to stop. */
    private static final Duration EXITS_WITHIN = Duration.ofSeconds(15);

    @Test
    void anApproveWaitingOnTheDatabaseAtSigtermIsAnsweredAndCommittedBeforeTheReplicaExits() throws Exception {
        try (ReplicaCluster cluster = ReplicaCluster.start("in-flight", 1)) {
            Replica replica = cluster.replica(1);
            String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
            String change = propose(replica, createKey(replica, tenant));
            CompletableFuture<HttpResponse<String>> approve;
            long sigterm;
            try (Connection holder = DriverManager.getConnection(cluster.database().jdbcUrl(), TestDatabase.USER, "")) {
                holder.setAutoCommit(false);
                lockRow(holder, change);
                approve = approve(replica, tenant, change);
                awaitWaitingOnALock(holder, cluster.database().name());

                sigterm = System.nanoTime();
                replica.terminate();
                assertTrue(readinessWentDown(replica), "the replica is shutting down");
                Thread.sleep(HELD_AFTER_SIGTERM.toMillis());
                assertFalse(approve.isDone(), "the approve still waits on the row lock: " + approve);
                assertTrue(replica.isAlive(), "the replica waits for the request in flight");
                holder.rollback();
            }

            HttpResponse<String> answer = approve.get(EXITS_WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("Approved", JSON.readTree(answer.body()).path("status").asText(), answer.body());
            OptionalInt exit = replica.awaitExit(EXITS_WITHIN);
            long tookMillis = Duration.ofNanos(System.nanoTime() - sigterm).toMillis();
            assertTrue(exit.isPresent(), "exited within " + EXITS_WITHIN + " of SIGTERM");
            System.out.println("SHUTDOWN with a request in flight: exited " + exit.getAsInt() + " after " + tookMillis
                    + " ms (the row lock was held " + HELD_AFTER_SIGTERM.toMillis() + " ms of it)");
            assertFalse(replica.logText().contains("Timed out waiting for graceful shutdown"), replica.logText());
            assertEquals("Approved", committedStatus(cluster.database(), change), "the decision was committed");
        }
    }

    private static String createKey(Replica replica, String tenant) {
        return given().baseUri(replica.base().toString())
                .auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                .contentType(ContentType.JSON).body(Map.of("name", "agent"))
                .post("/api/api-keys").then().statusCode(201).extract().path("key");
    }

    private static String propose(Replica replica, String apiKey) {
        return given().baseUri(replica.base().toString()).header("X-Api-Key", apiKey)
                .contentType(ContentType.JSON)
                .body(Map.of("toolName", "update_invoice",
                        "diff", Map.of("operation", "UPDATE", "entityType", "Invoice", "entityId", "inv-1")))
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
    }

    private static CompletableFuture<HttpResponse<String>> approve(Replica replica, String tenant, String change) {
        String approver = TestTokens.token("carol", tenant, Set.of("approver"));
        URI url = replica.base().resolve("/api/pending-changes/" + change + "/approve");
        return HTTP.sendAsync(HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + approver)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"executionResult\":{\"rows\":1}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void lockRow(Connection holder, String change) throws SQLException {
        String sql = "SELECT id FROM pending_change WHERE id = ? FOR UPDATE";
        try (PreparedStatement lock = holder.prepareStatement(sql)) {
            lock.setObject(1, UUID.fromString(change));
            try (ResultSet row = lock.executeQuery()) {
                assertTrue(row.next(), "the change's row");
            }
        }
    }

    /** Until a session of the replica waits for a lock in the test's database: the approve's UPDATE. */
    private static void awaitWaitingOnALock(Connection holder, String database) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (PreparedStatement waiting = holder.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND wait_event_type = 'Lock'")) {
                waiting.setString(1, database);
                try (ResultSet count = waiting.executeQuery()) {
                    count.next();
                    if (count.getInt(1) > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the approve never waited on the row lock");
    }

    private static boolean readinessWentDown(Replica replica) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (replica.readiness() != 200) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static String committedStatus(TestDatabase database, String change) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), TestDatabase.USER, "");
             PreparedStatement status = connection.prepareStatement("SELECT status FROM pending_change WHERE id = ?")) {
            status.setObject(1, UUID.fromString(change));
            try (ResultSet row = status.executeQuery()) {
                assertTrue(row.next(), "the change's row");
                return row.getString(1);
            }
        }
    }
}
