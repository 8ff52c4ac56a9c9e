package io.switchboard.replicas;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.McpWire;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.MutedLogger;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.RedisServerProcess;
import io.switchboard.testing.Replica;
import io.switchboard.testing.ReplicaCluster;
import io.switchboard.testing.TcpProxy;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.UsedCredentials;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three replicas of the packaged application in separate processes, sharing one PostgreSQL database
 * and a redis-server this test owns, with the official Java client connected to different replicas.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiReplicaIT {

    private static final Duration DELIVERY = Duration.ofSeconds(5);
    private static final String BOOTSTRAP_ADMIN = "it-admin";
    private static final String BOOTSTRAP_PASSWORD = "it-only-password";
    private static final String PASSWORD = "correct horse battery";
    /** Built-in accounts: every replica signs with the same key and tries to create the same first admin. */
    private static final Map<String, String> ACCOUNTS_ENVIRONMENT = Map.of(
            "SMALLRYE_JWT_SIGN_KEY_LOCATION",
            Path.of("src/test/resources/keys/test-only-jwt-private.pem").toAbsolutePath().toString(),
            "SWITCHBOARD_BOOTSTRAP_ADMIN_USERNAME", BOOTSTRAP_ADMIN,
            "SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD", BOOTSTRAP_PASSWORD,
            "SWITCHBOARD_BOOTSTRAP_ADMIN_TENANT", "it-tenant",
            // Ignored in the prod profile: the development token issuer never runs there.
            "SWITCHBOARD_AUTH_TOKEN_ISSUER_ENABLED", "true",
            // A key found valid is trusted far longer than the tests take: a revocation must still be
            // refused everywhere at once (aReplicaThatClosedARevokedKeysConnectionsRefusesTheKeyFromThenOn).
            "SWITCHBOARD_API_KEYS_TRUST_WINDOW", "30s",
            // Low enough to reach in aPersonsConnectionCapHoldsOverEveryReplica.
            "SWITCHBOARD_LIMITS_CONNECTIONS_PER_USER", "6",
            // And this one in anApiKeysWaitingToolCallsAreCappedOverEveryReplica.
            "SWITCHBOARD_LIMITS_MCP_WAITS_PER_API_KEY", "2");

    /** quarkus.shutdown.delay + quarkus.shutdown.timeout of the packaged application. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(11);
    private static final Pattern PLAIN_LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} +(INFO|WARN|ERROR|DEBUG)");

    private static TestDatabase database;
    private static RedisServerProcess redis;
    private static final List<Replica> replicas = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        database = TestDatabase.create();
        redis = new RedisServerProcess().start();
        Map<String, String> environment = new HashMap<>(ReplicaCluster.environment(database, redis));
        environment.putAll(ACCOUNTS_ENVIRONMENT);
        for (int i = 1; i <= 3; i++) {
            replicas.add(Replica.start("replica-" + i, environment));
        }
        for (Replica replica : replicas) {
            replica.awaitReady(ReplicaCluster.READY_WITHIN);
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Replica replica : replicas) {
            replica.close();
        }
        try {
            noCredentialReachedAReplicaLog();
        } finally {
            // Also when the log check fails: a redis-server left running outlives the build.
            if (redis != null) {
                redis.close();
            }
            if (database != null) {
                database.drop();
            }
        }
    }

    /**
     * Every token, key and password this run used, searched for in every line every replica logged
     * (security probe: a credential never reaches a log line, the access_token query included).
     */
    private static void noCredentialReachedAReplicaLog() throws java.io.IOException {
        UsedCredentials.remember(BOOTSTRAP_PASSWORD);
        UsedCredentials.remember(PASSWORD);
        Set<String> credentials = UsedCredentials.all();
        List<String> leaks = new ArrayList<>();
        for (Replica replica : replicas) {
            String log = replica.logText();
            for (String credential : credentials) {
                if (log.contains(credential)) {
                    leaks.add(replica.base() + " logged a credential starting " + credential.substring(0, 6));
                }
            }
        }
        System.out.println("LOGSCAN " + credentials.size() + " credentials searched for in the logs of "
                + replicas.size() + " replicas: " + leaks.size() + " found");
        assertTrue(credentials.size() > 20, "the run used credentials: " + credentials.size());
        assertEquals(List.of(), leaks);
    }

    private static Replica replica(int number) {
        return replicas.get(number - 1);
    }

    private static String tenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, String> createKey(Replica replica, String tenant) {
        Map<String, Object> body = given().baseUri(replica.base().toString())
                .auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                .contentType(ContentType.JSON).body(Map.of("name", "agent"))
                .post("/api/api-keys").then().statusCode(201).extract().as(Map.class);
        return Map.of("id", (String) body.get("id"), "key", UsedCredentials.remember((String) body.get("key")));
    }

    private static String propose(Replica replica, String apiKey, Integer expiresInSeconds) {
        Map<String, Object> body = new HashMap<>(Map.of("toolName", "update_invoice",
                "diff", Map.of("operation", "UPDATE", "entityType", "Invoice", "entityId", "inv-1")));
        if (expiresInSeconds != null) {
            body.put("expiresInSeconds", expiresInSeconds);
        }
        return given().baseUri(replica.base().toString()).header("X-Api-Key", apiKey)
                .contentType(ContentType.JSON).body(body)
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
    }

    private static void decide(Replica replica, String tenant, String id, boolean approve) {
        given().baseUri(replica.base().toString())
                .auth().oauth2(TestTokens.token("carol", tenant, Set.of("approver")))
                .contentType(ContentType.JSON)
                .body(approve ? Map.of("executionResult", Map.of("ok", true)) : Map.of("reason", "no"))
                .post("/api/pending-changes/{id}/" + (approve ? "approve" : "reject"), id)
                .then().statusCode(200);
    }

    @Test
    @Order(1)
    void usersOnDifferentReplicasChatInOneWorkflow() {
        String workflow = "wf-" + UUID.randomUUID();
        try (HubClient alice = HubClient.connect(replica(1).base(), "/hubs/chat", TestTokens.user("alice", "t-chat"));
             HubClient bob = HubClient.connect(replica(2).base(), "/hubs/chat", TestTokens.user("bob", "t-chat"))) {
            alice.invoke(Map.class, "JoinWorkflow", workflow);
            assertEquals("alice", alice.next("UserJoined").get("userId"));
            bob.invoke(Map.class, "JoinWorkflow", workflow);
            assertEquals("bob", alice.next("UserJoined").get("userId"), "announced across replicas");
            alice.invoke(Map.class, "SendMessage", "across replicas");
            assertEquals("across replicas", bob.next("ReceiveMessage").get("content"));
            bob.invoke(Map.class, "SendMessage", "right back");
            alice.next("ReceiveMessage");
            assertEquals("right back", alice.next("ReceiveMessage").get("content"));
        }
    }

    @Test
    @Order(2)
    void anApprovalThroughReplica1IsPushedToAnAgentOnReplica2() {
        String tenant = tenant();
        String key = createKey(replica(1), tenant).get("key");
        String id = propose(replica(3), key, null);
        try (HubClient agent = HubClient.connect(replica(2).base(), "/hubs/mcp", key)) {
            agent.invokeVoid("SubscribeToPendingChange", id);
            decide(replica(1), tenant, id, true);
            Map<String, Object> pushed = agent.next("PendingChangeApproved");
            assertEquals(id, pushed.get("pendingChangeId"));
            assertEquals("carol", pushed.get("approvedBy"));
            agent.assertNo("PendingChangeApproved", Duration.ofMillis(500));
        }
    }

    @Test
    @Order(3)
    void anExpiryIsAnnouncedOnceInTotalToAgentsOnEveryReplica() {
        String tenant = tenant();
        String key = createKey(replica(1), tenant).get("key");
        String id = propose(replica(1), key, 1);
        List<HubClient> agents = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                HubClient agent = HubClient.connect(replica(i).base(), "/hubs/mcp", key);
                agents.add(agent);
                agent.invokeVoid("SubscribeToPendingChange", id);
            }
            for (HubClient agent : agents) {
                assertEquals(id, agent.next("PendingChangeExpired").get("pendingChangeId"));
            }
            for (HubClient agent : agents) {
                agent.assertNo("PendingChangeExpired", Duration.ofMillis(1500));
            }
        } finally {
            agents.forEach(HubClient::close);
        }
    }

    @Test
    @Order(4)
    void revokingAKeyClosesItsConnectionsOnEveryReplica() throws Exception {
        String tenant = tenant();
        Map<String, String> key = createKey(replica(1), tenant);
        // The clients log the server's Close error at ERROR: provoked here on purpose.
        try (HubClient onTwo = HubClient.connect(replica(2).base(), "/hubs/mcp", key.get("key"));
             HubClient onThree = HubClient.connect(replica(3).base(), "/hubs/mcp", key.get("key"));
             MutedLogger muted = MutedLogger.mute(MutedLogger.JAVA_CLIENT)) {
            CountDownLatch closed = new CountDownLatch(2);
            onTwo.connection().onClosed(error -> closed.countDown());
            onThree.connection().onClosed(error -> closed.countDown());
            given().baseUri(replica(1).base().toString())
                    .auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                    .delete("/api/api-keys/{id}", key.get("id")).then().statusCode(204);
            assertTrue(closed.await(2, TimeUnit.SECONDS), "closed on replicas 2 and 3 within 2 s");
        }
    }

    /**
     * A replica that found a key valid a moment ago (RecentlyValidKeys) refuses it on every path as soon
     * as it has closed the key's connections there, though another replica revoked it. Before, it took
     * the key for up to a second more: the requests an agent kept sending it after the close were
     * served, and the new connection the probe opened right after was let in.
     */
    @Test
    @Order(4)
    void aReplicaThatClosedARevokedKeysConnectionsRefusesTheKeyFromThenOn() throws Exception {
        String tenant = tenant();
        Map<String, String> key = createKey(replica(1), tenant);
        String missing = UUID.randomUUID().toString();
        // What the agent's REST calls on replica 2 got, by when they started: it keeps the key remembered there.
        List<long[]> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                long startedAt = System.nanoTime();
                int status = given().baseUri(replica(2).base().toString()).header("X-Api-Key", key.get("key"))
                        .get("/api/pending-changes/{id}", missing).then().extract().statusCode();
                answers.add(new long[] {startedAt, status});
            }
        });
        long closedAt;
        // The client logs the server's Close error at ERROR: provoked here on purpose.
        try (HubClient onTwo = HubClient.connect(replica(2).base(), "/hubs/mcp", key.get("key"));
             MutedLogger muted = MutedLogger.mute(MutedLogger.JAVA_CLIENT)) {
            CountDownLatch closed = new CountDownLatch(1);
            onTwo.connection().onClosed(error -> closed.countDown());
            poller.start();
            given().baseUri(replica(1).base().toString())
                    .auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                    .delete("/api/api-keys/{id}", key.get("id")).then().statusCode(204);
            assertTrue(closed.await(2, TimeUnit.SECONDS), "closed on replica 2 within 2 s");
            closedAt = System.nanoTime();
            Thread.sleep(500);
        } finally {
            polling.set(false);
            poller.join();
        }
        List<Integer> afterTheClose = answers.stream().filter(answer -> answer[0] > closedAt)
                .map(answer -> (int) answer[1]).toList();
        assertFalse(afterTheClose.isEmpty(), "the agent went on calling replica 2 after the close");
        assertEquals(List.of(401), afterTheClose.stream().distinct().toList(), "REST calls started after the close");
        assertEquals(401, given().baseUri(replica(2).base().toString()).auth().oauth2(key.get("key"))
                .post("/hubs/mcp/negotiate?negotiateVersion=1").then().extract().statusCode(), "negotiate");
        assertEquals(401, upgradeStatus(replica(2), "/hubs/mcp", key.get("key")), "WebSocket upgrade");
    }

    /**
     * An MCP session made on one replica is served by the others (no sticky sessions): a call waiting
     * on replica 2 ends within a second of the approval committed on replica 3, and the session's
     * server stream on replica 3 is told of a change subscribed to through replica 1 and decided on 2.
     */
    @Test
    @Order(4)
    void anMcpSessionIsServedByEveryReplicaAndDecisionsReachItsWaitsAndStreamsWherever() throws Exception {
        String tenant = tenant();
        String key = createKey(replica(1), tenant).get("key");
        McpWire one = McpWire.withApiKey(replica(1).base(), key);
        McpWire two = McpWire.withApiKey(replica(2).base(), key);
        McpWire three = McpWire.withApiKey(replica(3).base(), key);
        String session = one.initialize("2025-11-25");
        String subscribed = propose(replica(2), key, null);
        assertEquals(200, one.post(session, Map.of("jsonrpc", "2.0", "id", 10, "method", "resources/subscribe",
                "params", Map.of("uri", "switchboard://pending-changes/" + subscribed))).statusCode());
        java.net.http.HttpResponse<java.io.InputStream> stream = three.openStream(session).get(10, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode());

        String waitedFor = propose(replica(1), key, null);
        JsonNode approved = awaitDecisionMadeElsewhere(two, session, 11, waitedFor,
                () -> decide(replica(3), tenant, waitedFor, true));
        assertEquals("Approved", approved.path("result").path("structuredContent").path("status").asText(), approved.toString());

        decide(replica(2), tenant, subscribed, false);
        try (McpWire.Events events = new McpWire.Events(stream.body())) {
            JsonNode notification = events.next();
            assertEquals("notifications/resources/updated", notification.path("method").asText(), notification.toString());
            assertEquals("switchboard://pending-changes/" + subscribed, notification.path("params").path("uri").asText());
        }
        assertEquals(204, three.send("DELETE", session).statusCode());
        assertEquals(404, two.post(session, Map.of("jsonrpc", "2.0", "id", 12, "method", "ping")).statusCode(),
                "ended on replica 3: unknown on replica 2");
    }

    /**
     * A rejection made through replica 3 and an expiry (swept by whichever replica comes first) end
     * {@code propose_change} and {@code await_decision} calls waiting on replica 2: the rejection's within
     * 1 s of its answer, the expiry's within 2 s of {@code expiresAt} plus that second.
     */
    @Test
    @Order(4)
    void aRejectionAndAnExpiryEndMcpWaitsOnAnotherReplica() throws Exception {
        String tenant = tenant();
        String key = createKey(replica(1), tenant).get("key");
        McpWire two = McpWire.withApiKey(replica(2).base(), key);
        String session = McpWire.withApiKey(replica(1).base(), key).initialize("2025-11-25");

        String rejected = propose(replica(1), key, null);
        JsonNode rejection = awaitDecisionMadeElsewhere(two, session, 1, rejected,
                () -> decide(replica(3), tenant, rejected, false));
        JsonNode result = rejection.path("result").path("structuredContent");
        assertEquals("Rejected", result.path("status").asText(), rejection.toString());
        assertEquals("no", result.path("reason").asText(), rejection.toString());

        long proposedAt = System.nanoTime();
        java.net.http.HttpResponse<java.io.InputStream> expiring = two.postStreaming(session, McpWire.toolCall(2,
                "propose_change", Map.of("toolName", "expiring", "expiresInSeconds", 2, "waitSeconds", 60,
                        "diff", Map.of("operation", "DELETE", "entityType", "Invoice", "entityId", "inv-9"))))
                .get(10, TimeUnit.SECONDS);
        try (McpWire.Events events = new McpWire.Events(expiring.body())) {
            JsonNode answer = events.next();
            long tookMillis = Duration.ofNanos(System.nanoTime() - proposedAt).toMillis();
            assertEquals("Expired", answer.path("result").path("structuredContent").path("status").asText(),
                    answer.toString());
            assertTrue(tookMillis < 2000 + 2000 + 1000, "expiring after 2 s, answered Expired after " + tookMillis + " ms");
        }
    }

    /**
     * An {@code await_decision} call of {@code changeId} left waiting on {@code waiter}'s replica while
     * {@code decide} decides the change on another: its answer, which must come within 1 s of the decision's.
     */
    private static JsonNode awaitDecisionMadeElsewhere(McpWire waiter, String session, int requestId, String changeId,
                                                       Runnable decide) throws Exception {
        java.net.http.HttpResponse<java.io.InputStream> waiting = waiter.postStreaming(session, McpWire.toolCall(
                requestId, "await_decision", Map.of("pendingChangeId", changeId, "waitSeconds", 60))).get(10, TimeUnit.SECONDS);
        assertEquals(200, waiting.statusCode());
        Thread.sleep(300); // the call is waiting
        decide.run();
        long decidedAt = System.nanoTime();
        try (McpWire.Events events = new McpWire.Events(waiting.body())) {
            JsonNode answer = events.next();
            long tookMillis = Duration.ofNanos(System.nanoTime() - decidedAt).toMillis();
            assertTrue(tookMillis < 1000, "the wait ended " + tookMillis + " ms after the decision on another replica");
            return answer;
        }
    }

    /** The limit of an API key's waiting tool calls (2 here) counts the calls waiting on every replica. */
    @Test
    @Order(4)
    void anApiKeysWaitingToolCallsAreCappedOverEveryReplica() throws Exception {
        String tenant = tenant();
        String key = createKey(replica(1), tenant).get("key");
        String change = propose(replica(1), key, null);
        McpWire one = McpWire.withApiKey(replica(1).base(), key);
        McpWire two = McpWire.withApiKey(replica(2).base(), key);
        McpWire three = McpWire.withApiKey(replica(3).base(), key);
        String session = one.initialize("2025-11-25");
        Map<String, Object> waitLong = Map.of("pendingChangeId", change, "waitSeconds", 60);
        java.net.http.HttpResponse<java.io.InputStream> first = one.postStreaming(session,
                McpWire.toolCall(1, "await_decision", waitLong)).get(10, TimeUnit.SECONDS);
        java.net.http.HttpResponse<java.io.InputStream> second = two.postStreaming(session,
                McpWire.toolCall(2, "await_decision", waitLong)).get(10, TimeUnit.SECONDS);
        assertEquals(200, first.statusCode());
        assertEquals(200, second.statusCode());
        Thread.sleep(500); // both are waiting
        JsonNode refused = awaitDecision(three, session, 3, waitLong);
        assertTrue(refused.path("result").path("isError").asBoolean(), refused.toString());
        assertTrue(refused.toString().contains("already has 2 tool calls waiting"), refused.toString());

        first.body().close(); // a closed stream ends its wait, and gives its place back
        long closedAt = System.nanoTime();
        Map<String, Object> waitShort = Map.of("pendingChangeId", change, "waitSeconds", 1);
        while (awaitDecision(three, session, 4, waitShort).path("result").path("isError").asBoolean()) {
            assertTrue(System.nanoTime() - closedAt < DELIVERY.toNanos(), "the place is free again");
            Thread.sleep(100);
        }
        second.body().close();
    }

    /** An {@code await_decision} call's answer, the last message of its event stream. */
    private static JsonNode awaitDecision(McpWire wire, String session, int id, Map<String, Object> arguments)
            throws Exception {
        java.net.http.HttpResponse<java.io.InputStream> answer = wire.postStreaming(session,
                McpWire.toolCall(id, "await_decision", arguments)).get(10, TimeUnit.SECONDS);
        try (McpWire.Events events = new McpWire.Events(answer.body())) {
            JsonNode message = events.next();
            while (message != null && !message.has("result") && !message.has("error")) {
                message = events.next(); // progress notifications
            }
            return message;
        }
    }

    /** A revoked key's MCP session ends on every replica within 2 s: its open stream and its waiting calls close, its next request is refused. */
    @Test
    @Order(4)
    void aRevokedKeysMcpStreamsCloseOnEveryReplica() throws Exception {
        String tenant = tenant();
        Map<String, String> key = createKey(replica(1), tenant);
        McpWire two = McpWire.withApiKey(replica(2).base(), key.get("key"));
        String session = two.initialize("2025-06-18");
        java.net.http.HttpResponse<java.io.InputStream> stream = two.openStream(session).get(10, TimeUnit.SECONDS);
        // And a tool call waiting on replica 3, in the same session.
        java.net.http.HttpResponse<java.io.InputStream> waiting = McpWire.withApiKey(replica(3).base(), key.get("key"))
                .postStreaming(session, McpWire.toolCall(1, "await_decision", Map.of("pendingChangeId",
                        propose(replica(1), key.get("key"), null), "waitSeconds", 60))).get(10, TimeUnit.SECONDS);
        assertEquals(200, waiting.statusCode());
        Thread.sleep(300); // the call is waiting on replica 3
        given().baseUri(replica(1).base().toString()).auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                .delete("/api/api-keys/{id}", key.get("id")).then().statusCode(204);
        long revokedAt = System.nanoTime();
        CompletableFuture<JsonNode> streamEnd = endOf(stream);
        CompletableFuture<JsonNode> waitEnd = endOf(waiting);
        assertNull(streamEnd.get(2, TimeUnit.SECONDS), "the stream on replica 2 ended without a message");
        assertNull(waitEnd.get(2, TimeUnit.SECONDS), "the waiting call on replica 3 ended without an answer");
        assertTrue(Duration.ofNanos(System.nanoTime() - revokedAt).toMillis() < 2000);
        assertEquals(401, two.post(session, Map.of("jsonrpc", "2.0", "id", 1, "method", "ping")).statusCode());
    }

    /** The next message of an MCP event stream, or null when it ends first. */
    private static CompletableFuture<JsonNode> endOf(java.net.http.HttpResponse<java.io.InputStream> stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (McpWire.Events events = new McpWire.Events(stream.body())) {
                return events.next();
            } catch (java.io.IOException closed) {
                return null;
            }
        });
    }

    /**
     * The security probe's flood (32 connections x 1,500 JoinWorkflow on one replica) while another
     * tenant's changes are decided on that replica for an agent on another: before the backplane had a
     * publisher of its own, most of those decisions never reached Redis.
     */
    @Test
    @Order(5)
    void aJoinFloodOnOneReplicaLosesNoDecisionOfAnotherTenant() throws Exception {
        int connections = 32;
        int joinsEach = 1500;
        int changes = 30;
        String floodTenant = tenant();
        List<RawHubSocket> flood = new ArrayList<>();
        try {
            for (int c = 0; c < connections; c++) {
                flood.add(RawHubSocket.connected(replica(1).base(), "/hubs/chat", TestTokens.user("flooder-" + c, floodTenant)));
            }
            String tenant = tenant();
            String key = createKey(replica(1), tenant).get("key");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                ids.add(propose(replica(3), key, null));
            }
            try (HubClient agent = HubClient.connect(replica(2).base(), "/hubs/mcp", key)) {
                for (String id : ids) {
                    agent.invokeVoid("SubscribeToPendingChange", id);
                }
                for (int c = 0; c < connections; c++) {
                    StringBuilder joins = new StringBuilder();
                    for (int j = 0; j < joinsEach; j++) {
                        joins.append("{\"type\":1,\"target\":\"JoinWorkflow\",\"arguments\":[\"flood-").append(c).append('-')
                                .append(j).append("\"]}\u001e");
                    }
                    flood.get(c).send(joins.toString());
                }
                for (int i = 0; i < changes; i++) {
                    decide(replica(1), tenant, ids.get(i), i % 2 == 0);
                }
                Set<String> delivered = collectDecisions(agent, changes, Duration.ofSeconds(30));
                System.out.println("FLOOD " + delivered.size() + " of " + changes
                        + " decisions delivered across replicas during a flood of " + connections + " x " + joinsEach
                        + " JoinWorkflow");
                assertEquals(new HashSet<>(ids), delivered);
            }
            assertEquals(0.0, replica(1).metric("signalr_backplane_failed_total"), "no publish failed while Redis was up");
            assertEquals(0.0, replica(1).metric("signalr_backplane_dropped_total"));
            assertTrue(replica(1).metric("signalr_backplane_published_total") >= changes);
            assertTrue(replica(2).metric("signalr_backplane_received_total") >= changes);
            assertTrue(replica(1).metric("signalr_backplane_pending") >= 0);
            assertTrue(replica(1).metric("signalr_backplane_lag_seconds_count") >= changes);
        } finally {
            flood.forEach(RawHubSocket::drop);
        }
    }

    @Test
    @Order(6)
    void decisionsMadeWhileRedisIsDownReachEveryAgentAfterItReturns() throws Exception {
        String tenant = tenant();
        String key = createKey(replica(1), tenant).get("key");
        int changes = 10;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            ids.add(propose(replica(1), key, null));
        }
        try (HubClient onTwo = HubClient.connect(replica(2).base(), "/hubs/mcp", key);
             HubClient onThree = HubClient.connect(replica(3).base(), "/hubs/mcp", key)) {
            for (String id : ids) {
                onTwo.invokeVoid("SubscribeToPendingChange", id);
                onThree.invokeVoid("SubscribeToPendingChange", id);
            }
            redis.stop();
            awaitReadiness(replica(1), 503);
            for (int i = 0; i < changes; i++) {
                decide(replica(1), tenant, ids.get(i), i % 2 == 0);
            }
            redis.start();
            for (Replica replica : replicas) {
                awaitReadiness(replica, 200);
            }
            Set<String> deliveredOnTwo = collectDecisions(onTwo, changes);
            Set<String> deliveredOnThree = collectDecisions(onThree, changes);
            String report = "Redis outage: " + changes + " decisions made during the outage; delivered after recovery: "
                    + deliveredOnTwo.size() + " to the agent on replica 2, " + deliveredOnThree.size()
                    + " to the agent on replica 3";
            System.out.println("OUTAGE " + report);
            Files.createDirectories(Path.of("target", "benchmarks"));
            Files.writeString(Path.of("target", "benchmarks", "redis-outage.txt"), report + System.lineSeparator());
            assertEquals(new HashSet<>(ids), deliveredOnTwo);
            assertEquals(new HashSet<>(ids), deliveredOnThree);
        }
    }

    /**
     * SIGTERM, as Kubernetes stops a pod: the load balancer has already sent new connections elsewhere
     * (the proxy is retargeted first, as the endpoint removal and preStop pause do); readiness goes
     * DOWN; every client, on every transport of both hubs, gets Close with allowReconnect and the
     * official client reconnects to another replica; the process exits well within the shutdown
     * timeout, without waiting it out.
     */
    @Test
    @Order(7)
    void aReplicaStoppedBySigtermSendsItsClientsToAnotherReplicaAndExitsPromptly() throws Exception {
        Replica leaving = replica(3);
        String tenant = tenant();
        String key = createKey(replica(1), tenant).get("key");
        String token = TestTokens.user("leaving", tenant);
        try (TcpProxy balancer = TcpProxy.start(leaving.httpPort());
             RawHubSocket raw = RawHubSocket.connected(leaving.base(), "/hubs/chat", token);
             NodeScript clients = NodeScript.start("shutdown-reconnect.mjs", Map.of(
                     "BASE_URL", balancer.uri("").toString(), "CHAT_TOKEN", token, "MCP_KEY", key))) {
            JsonNode connected = clients.next("connected", Duration.ofSeconds(30));
            assertEquals(6, connected.path("connections").size());

            balancer.retarget(replica(1).httpPort());
            long sigterm = System.nanoTime();
            leaving.terminate();

            assertTrue(readinessWentDown(leaving), "readiness reports DOWN while the replica shuts down");
            assertEquals("{\"type\":7,\"allowReconnect\":true}", nextClose(raw), "the exact Close frame");
            OptionalInt exit = leaving.awaitExit(SHUTDOWN_TIMEOUT);
            long tookMillis = Duration.ofNanos(System.nanoTime() - sigterm).toMillis();
            assertTrue(exit.isPresent(), "exited within the shutdown delay + timeout (" + SHUTDOWN_TIMEOUT + ")");
            String log = leaving.logText();
            assertFalse(log.contains("Timed out waiting for graceful shutdown"), "no request kept the shutdown waiting");
            assertTrue(log.contains("Shutting down: telling"), "the replica told its clients to reconnect");
            System.out.println("SHUTDOWN replica 3 exited " + exit.getAsInt() + " after " + tookMillis + " ms");

            JsonNode reconnected = clients.next("reconnected", Duration.ofSeconds(45));
            for (JsonNode connection : reconnected.path("connections")) {
                String which = connection.path("hub").asText() + " over " + connection.path("transport").asText();
                assertTrue(connection.path("closeReceived").asBoolean(), which + " received Close");
                assertFalse(connection.path("reconnectedId").isNull(), which + " reconnected (Close allowed it)");
                assertTrue(connection.path("invokedAfterReconnect").asBoolean(), which + " works on replica 1");
            }
            clients.awaitSuccess(Duration.ofSeconds(15));
            assertLogIsJsonLines(log);
        }
        // It served WebSockets, yet stops without waiting out the shutdown timeout (10 s) for requests in flight.
        String log = replica(3).logText();
        assertFalse(log.contains("Timed out waiting for graceful shutdown"), "a WebSocket upgrade counted as in flight");
        Matcher stopped = Pattern.compile("stopped in (\\d+)\\.\\d+s").matcher(log);
        assertTrue(stopped.find(), "the replica logged its stop");
        assertTrue(Integer.parseInt(stopped.group(1)) < 5, stopped.group());
    }

    @Test
    @Order(0)
    void threeReplicasStartingTogetherCreateTheFirstAdminOnce() {
        String token = UsedCredentials.remember(
                login(replica(2), BOOTSTRAP_ADMIN, BOOTSTRAP_PASSWORD).statusCode(200).extract().path("accessToken"));
        given().baseUri(replica(3).base().toString()).auth().oauth2(token).get("/api/users")
                .then().statusCode(200).body("username", equalTo(List.of(BOOTSTRAP_ADMIN)));
    }

    @Test
    @Order(0)
    void failedSignInsAreCountedAcrossReplicas() {
        String username = createAccount(replica(1), tenant()).get("username");
        for (int i = 0; i < 5; i++) {
            login(replica(1 + i % 3), username, "wrong password").statusCode(401);
        }
        String retryAfter = login(replica(3), username, PASSWORD).statusCode(429).extract().header("Retry-After");
        assertTrue(Integer.parseInt(retryAfter) > 250, "until 5 min after the first failure: " + retryAfter);
    }

    @Test
    @Order(0)
    void deletingAnAccountClosesItsConnectionsOnEveryReplicaAndEveryReplicaRefusesItsTokens() throws Exception {
        String tenant = tenant();
        Map<String, String> account = createAccount(replica(1), tenant);
        String token = UsedCredentials.remember(
                login(replica(2), account.get("username"), PASSWORD).statusCode(200).extract().path("accessToken"));
        for (Replica replica : replicas.subList(0, 3)) {
            // Every replica has just checked the token, and remembers that its account is not deleted.
            given().baseUri(replica.base().toString()).auth().oauth2(token).get("/api/pending-changes")
                    .then().statusCode(200);
        }
        // The Java client logs the close it is about to get at ERROR: expected here, so muted.
        try (MutedLogger muted = MutedLogger.mute(MutedLogger.JAVA_CLIENT);
             HubClient onTwo = HubClient.connect(replica(2).base(), "/hubs/chat", token);
             HubClient onThree = HubClient.connect(replica(3).base(), "/hubs/chat", token)) {
            CountDownLatch closed = new CountDownLatch(2);
            onTwo.connection().onClosed(error -> closed.countDown());
            onThree.connection().onClosed(error -> closed.countDown());
            long deletedAt = System.nanoTime();
            given().baseUri(replica(1).base().toString()).auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                    .delete("/api/users/{id}", account.get("id")).then().statusCode(204);
            assertTrue(closed.await(5, TimeUnit.SECONDS), "closed on replicas 2 and 3");
            assertEquals(401, negotiateStatus(replica(1), token), "refused at once where it was deleted");
            for (Replica replica : List.of(replica(2), replica(3))) {
                while (negotiateStatus(replica, token) != 401) {
                    assertTrue(System.nanoTime() - deletedAt < Duration.ofSeconds(30).toNanos(), "refused within 30 s");
                    Thread.sleep(250);
                }
            }
        }
    }

    /**
     * Issue 18: the cap counted one replica's connections only. Connections and negotiations held on
     * every replica now count against one cap (6 here).
     */
    @Test
    @Order(0)
    void aPersonsConnectionCapHoldsOverEveryReplica() {
        String token = TestTokens.user("capped-" + UUID.randomUUID(), "t-caps");
        List<HubClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                held.add(HubClient.connect(replica(1 + i % 3).base(), "/hubs/chat", token));
            }
            assertEquals(200, negotiateStatus(replica(3), token), "the sixth, negotiated and not yet claimed");
            for (Replica replica : replicas.subList(0, 3)) {
                assertEquals(429, negotiateStatus(replica, token), "a seventh, on any replica");
            }
            held.remove(0).close();
            long closedAt = System.nanoTime();
            while (negotiateStatus(replica(2), token) != 200) {
                assertTrue(System.nanoTime() - closedAt < DELIVERY.toNanos(), "a closed connection frees its slot");
            }
        } finally {
            held.forEach(HubClient::close);
        }
    }

    @Test
    @Order(0)
    void theDevelopmentTokenIssuerIsOffInProductionEvenWhenEnabled() {
        given().baseUri(replica(1).base().toString()).contentType(ContentType.JSON)
                .body(Map.of("userId", "mallory", "tenantId", "any", "roles", List.of("admin")))
                .post("/api/auth/token").then().statusCode(404);
    }

    @Test
    @Order(0)
    void thePackagedServiceServesTheWebPageBuiltIntoIt() {
        String page = given().baseUri(replica(1).base().toString()).get("/").then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertTrue(page.contains("<div id=\"app\""), page);
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(page);
        assertTrue(script.find(), "the bundled script, from this origin: " + page);
        given().baseUri(replica(1).base().toString()).get(script.group(1)).then().statusCode(200)
                .contentType(containsString("javascript"));
    }

    private static Map<String, String> createAccount(Replica replica, String tenant) {
        String username = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String id = given().baseUri(replica.base().toString())
                .auth().oauth2(TestTokens.token("admin", tenant, Set.of("admin")))
                .contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                .post("/api/users").then().statusCode(201).extract().path("id");
        return Map.of("id", id, "username", username);
    }

    private static ValidatableResponse login(Replica replica, String username, String password) {
        return given().baseUri(replica.base().toString()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/auth/login").then();
    }

    private static int upgradeStatus(Replica replica, String hubPath, String token) {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> RawHubSocket.open(replica.base(), hubPath, token).close());
        return assertInstanceOf(WebSocketHandshakeException.class, failure.getCause()).getResponse().statusCode();
    }

    private static int negotiateStatus(Replica replica, String token) {
        return given().baseUri(replica.base().toString()).auth().oauth2(token)
                .post("/hubs/chat/negotiate?negotiateVersion=1").then().extract().statusCode();
    }

    private static boolean readinessWentDown(Replica replica) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (replica.isAlive() && System.nanoTime() < deadline) {
            if (replica.readiness() == 503) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static String nextClose(RawHubSocket socket) {
        for (String message = socket.poll(Duration.ofSeconds(10)); message != null;
             message = socket.poll(Duration.ofSeconds(5))) {
            if (message.startsWith("{\"type\":7")) {
                return message;
            }
        }
        return null;
    }

    /** The prod profile logs one JSON object per line, for log collectors. */
    private static void assertLogIsJsonLines(String log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        int lines = 0;
        for (String line : log.split("\\R")) {
            if (line.startsWith("{")) {
                assertTrue(json.readTree(line).hasNonNull("message"), line);
                lines++;
            } else {
                assertFalse(PLAIN_LOG_LINE.matcher(line).find(), "a plain-text log line: " + line);
            }
        }
        assertTrue(lines > 10, "JSON log lines: " + lines);
    }

    private static Set<String> collectDecisions(HubClient agent, int expected) {
        return collectDecisions(agent, expected, DELIVERY);
    }

    private static Set<String> collectDecisions(HubClient agent, int expected, Duration within) {
        Set<String> delivered = new HashSet<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (delivered.size() < expected && System.nanoTime() < deadline) {
            for (String event : List.of("PendingChangeApproved", "PendingChangeRejected")) {
                Map<String, Object> payload = agent.poll(event, Duration.ofMillis(100));
                if (payload != null) {
                    delivered.add((String) payload.get("pendingChangeId"));
                }
            }
        }
        return delivered;
    }

    private static void awaitReadiness(Replica replica, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (replica.readiness() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(status, replica.readiness());
    }
}
