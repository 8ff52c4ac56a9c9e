package io.switchboard.benchmark;

import static io.restassured.RestAssured.given;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import io.reactivex.rxjava3.core.Single;
import io.restassured.http.ContentType;
import io.switchboard.testing.RedisServerProcess;
import io.switchboard.testing.Replica;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Approve → push latency with 1,000 agents connected and subscribed (one change each), measured
 * with the official Java client against the packaged application in separate processes.
 *
 * <ul>
 *   <li>{@code -Dbenchmark.replicas=1} (default): one replica, no Redis: the in-process lifetime manager.</li>
 *   <li>{@code -Dbenchmark.replicas=2}: two replicas and a redis-server of the benchmark's own; every
 *       approval goes through replica 1, every agent is connected to replica 2 (cross-replica).</li>
 * </ul>
 *
 * For each of 1,000 sequential approvals (after 100 warm-up ones) it records the time from sending
 * the approve request, and from receiving its response, to the agent receiving the push. A push can
 * beat the HTTP response (it is sent right after commit), so the second figure is clamped at 0 and the
 * number of such cases is reported. A benchmark, not a test: it asserts nothing. Run with
 * {@code ./mvnw -B package -DskipTests && ./mvnw -B surefire:test -Dtest=ApprovePushBenchmark -DexcludedTestGroups=none}.
 */
@Tag("benchmark")
class ApprovePushBenchmark {

    private static final int AGENTS = 1000;
    private static final int WARM_UP = 100;

    @Test
    void approveToPushLatency() throws Exception {
        int replicaCount = Integer.getInteger("benchmark.replicas", 1);
        TestDatabase database = TestDatabase.create();
        RedisServerProcess redis = replicaCount > 1 ? new RedisServerProcess().start() : null;
        List<Replica> replicas = new ArrayList<>();
        List<HubConnection> agents = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            Map<String, String> environment = new HashMap<>(Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER,
                    "QUARKUS_HTTP_ACCESS_LOG_ENABLED", "false",
                    "QUARKUS_LOG_CATEGORY__IO_SWITCHBOARD_SIGNALR_SERVER__LEVEL", "WARN",
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                    Path.of("src/test/resources/keys/test-only-jwt-public.pem").toAbsolutePath().toString(),
                    "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER));
            if (redis != null) {
                environment.put("QUARKUS_REDIS_HOSTS", redis.url());
            }
            for (int i = 1; i <= replicaCount; i++) {
                replicas.add(Replica.start("bench-replica-" + i, environment));
            }
            for (Replica replica : replicas) {
                replica.awaitReady(Duration.ofSeconds(90));
            }
            Replica decider = replicas.get(0);
            Replica agentReplica = replicas.get(replicas.size() - 1);
            String tenant = "bench";
            String apiKey = given().baseUri(decider.base().toString())
                    .auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                    .contentType(ContentType.JSON).body(Map.of("name", "bench"))
                    .post("/api/api-keys").then().statusCode(201).extract().path("key");

            List<String> changes = new ArrayList<>();
            for (int i = 0; i < AGENTS + WARM_UP; i++) {
                changes.add(given().baseUri(decider.base().toString()).header("X-Api-Key", apiKey)
                        .contentType(ContentType.JSON)
                        .body(Map.of("toolName", "bench", "diff", Map.of("operation", "CREATE", "entityType", "Row")))
                        .post("/api/pending-changes").then().statusCode(201).extract().path("id"));
            }

            ConcurrentMap<String, CompletableFuture<Long>> receivedAt = new ConcurrentHashMap<>();
            changes.forEach(id -> receivedAt.put(id, new CompletableFuture<>()));
            List<Future<HubConnection>> connecting = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                List<String> subscriptions = new ArrayList<>(List.of(changes.get(WARM_UP + i)));
                if (i < WARM_UP) {
                    subscriptions.add(changes.get(i));
                }
                connecting.add(pool.submit(() -> connectAgent(agentReplica, apiKey, subscriptions, receivedAt)));
            }
            for (Future<HubConnection> agent : connecting) {
                agents.add(agent.get(60, TimeUnit.SECONDS));
            }

            String approver = TestTokens.token("carol", tenant, Set.of("approver"));
            long[] fromRequest = new long[AGENTS];
            long[] fromResponse = new long[AGENTS];
            int pushBeforeResponse = 0;
            for (int i = 0; i < AGENTS + WARM_UP; i++) {
                String id = changes.get(i);
                long sent = System.nanoTime();
                given().baseUri(decider.base().toString()).auth().oauth2(approver).contentType(ContentType.JSON)
                        .body(Map.of()).post("/api/pending-changes/{id}/approve", id).then().statusCode(200);
                long answered = System.nanoTime();
                long pushed = receivedAt.get(id).get(10, TimeUnit.SECONDS);
                if (i >= WARM_UP) {
                    fromRequest[i - WARM_UP] = pushed - sent;
                    fromResponse[i - WARM_UP] = Math.max(0, pushed - answered);
                    if (pushed < answered) {
                        pushBeforeResponse++;
                    }
                }
            }
            String mode = replicaCount > 1 ? "cross-replica" : "single-replica";
            new LatencyStats("approve-request-to-push-" + mode, fromRequest).report();
            new LatencyStats("approve-response-to-push-" + mode, fromResponse).report();
            System.out.println("BENCHMARK " + mode + ": pushes that arrived before the approve response: "
                    + pushBeforeResponse + " of " + AGENTS + "; agents connected: " + agents.size());
        } finally {
            for (HubConnection agent : agents) {
                agent.stop().blockingAwait(5, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            for (Replica replica : replicas) {
                replica.close();
            }
            if (redis != null) {
                redis.close();
            }
            database.drop();
        }
    }

    private static HubConnection connectAgent(Replica replica, String apiKey, List<String> subscriptions,
                                              ConcurrentMap<String, CompletableFuture<Long>> receivedAt) {
        HubConnection connection = HubConnectionBuilder.create(replica.base().resolve("/hubs/mcp").toString())
                .withAccessTokenProvider(Single.just(apiKey)).build();
        connection.on("PendingChangeApproved", payload -> {
            long now = System.nanoTime();
            receivedAt.get((String) ((Map<?, ?>) payload).get("pendingChangeId")).complete(now);
        }, Map.class);
        connection.start().blockingAwait(30, TimeUnit.SECONDS);
        for (String id : subscriptions) {
            connection.invoke("SubscribeToPendingChange", id).blockingAwait(30, TimeUnit.SECONDS);
        }
        return connection;
    }
}
