package io.switchboard.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.signalr.HubConnectionState;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.Replica;
import io.switchboard.testing.TcpProxy;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away and comes back under a running replica (the packaged application in a process
 * of its own). The replica reaches PostgreSQL through a TCP proxy the test cuts, as if the server
 * stopped: open connections are reset and new ones refused. The machine's PostgreSQL is never touched.
 *
 * <p>While it is away: REST answers {@code 503} problem+json with {@code Retry-After} within 2 s,
 * negotiate and WebSocket upgrades that need the database (API key look-up) too; readiness is DOWN;
 * hub connections stay open and hub methods that need the database answer an error Completion with a
 * sentence. When it is back, everything works again without a restart.
 */
class DatabaseOutageIT {

    /** What docs/api.md promises while the database is away: an answer, not a hang. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    /** Concurrent requests that make the connection pool open several connections. */
    private static final int POOL_WARM_UP = 12;
    private static final String UNAVAILABLE = "The service is temporarily unavailable; try again.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static TestDatabase database;
    private static TcpProxy postgres;
    private static Replica replica;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.create();
        URI server = URI.create(TestDatabase.SERVER.substring("jdbc:".length()));
        postgres = TcpProxy.start(server.getPort());
        replica = Replica.start("db-outage", environment()).awaitReady(Duration.ofSeconds(90));
    }

    private static Map<String, String> environment() {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + postgres.uri("").getPort() + "/"
                        + database.name(),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                Path.of("src/test/resources/keys/test-only-jwt-public.pem").toAbsolutePath().toString(),
                "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
    }

    /**
     * A replica that starts while PostgreSQL is away (Kubernetes starts pods in any order) waits for it
     * instead of exiting at the schema migration; before, it exited at once.
     */
    @Test
    void aReplicaStartedWhilePostgresIsAwayStartsOnceItIsBack() throws Exception {
        postgres.cut();
        try (Replica late = Replica.start("db-outage-late", environment())) {
            TimeUnit.SECONDS.sleep(4);
            assertTrue(late.isAlive(), "still starting while PostgreSQL is away");
            postgres.resume();
            late.awaitReady(Duration.ofSeconds(60));
        } finally {
            postgres.resume();
            awaitDatabaseUsableOnSharedReplica();
        }
    }

    /**
     * The cut also reset the shared replica's pooled connections: each answers its next request with a
     * 503 before the pool drops it. The other tests start from a replica whose database works again.
     */
    private static void awaitDatabaseUsableOnSharedReplica() throws Exception {
        String admin = TestTokens.token("admin", "tenant-" + UUID.randomUUID().toString().substring(0, 8), Set.of("admin"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Integer> statuses;
        do {
            // As many at once as the pool may hold, so that every pooled connection is tried.
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> round = new ArrayList<>();
            for (int i = 0; i < POOL_WARM_UP; i++) {
                round.add(HTTP.sendAsync(HttpRequest.newBuilder(replica.base().resolve("/api/api-keys"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + admin).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            statuses = new ArrayList<>();
            for (var response : round) {
                statuses.add(response.get(15, TimeUnit.SECONDS).statusCode());
            }
        } while (statuses.stream().anyMatch(status -> status != 200) && System.nanoTime() < deadline);
        assertTrue(statuses.stream().allMatch(status -> status == 200),
                "the shared replica uses the database again once it is back: " + statuses);
    }

    @AfterAll
    static void stop() throws Exception {
        if (replica != null) {
            replica.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void whilePostgresIsAwayRequestsAreRefusedQuicklyAndEverythingRecoversByItself() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.token("admin", tenant, Set.of("admin"));
        String approver = TestTokens.token("carol", tenant, Set.of("approver"));
        String key = send("POST", "/api/api-keys", admin, "{\"name\":\"agent\"}", 201).path("key").asText();
        String change = propose(key, 201).path("id").asText();
        String workflow = "wf-" + UUID.randomUUID();

        try (HubClient chat = HubClient.connect(replica.base(), "/hubs/chat", TestTokens.user("alice", tenant));
             HubClient agent = HubClient.connect(replica.base(), "/hubs/mcp", key)) {
            chat.invoke(Map.class, "JoinWorkflow", workflow);
            concurrently(POOL_WARM_UP, approver, change, 200); // the pool now holds several connections

            postgres.cut();
            List<String> timings = new ArrayList<>();
            assertUnavailable("GET a change", "GET", "/api/pending-changes/" + change, approver, null, timings);
            assertUnavailable("list", "GET", "/api/pending-changes", approver, null, timings);
            assertUnavailable("approve", "POST", "/api/pending-changes/" + change + "/approve", approver, "{}", timings);
            assertUnavailable("propose (API key look-up)", "POST", "/api/pending-changes", key, proposal(), timings);
            // A key found valid within the last second is trusted without the database (RecentlyValidKeys):
            // past that, a hub needs the look-up and cannot do it.
            Thread.sleep(1200);
            assertUnavailable("McpHub negotiate (API key look-up)", "POST", "/hubs/mcp/negotiate?negotiateVersion=1", key,
                    "", timings);
            assertUpgradeRefused(key, timings);
            for (String method : List.of("GET", "POST", "DELETE")) {
                // Long Polling / Server-Sent Events requests check their credential too: 503, not 401.
                HttpResponse<String> response = request(method, "/hubs/mcp?id=" + UUID.randomUUID(), key,
                        method.equals("POST") ? "" : null);
                assertEquals(503, response.statusCode(), method + " on the HTTP transports: " + response.body());
                assertTrue(response.headers().firstValue("Retry-After").isPresent(), method + " has Retry-After");
            }
            System.out.println("DB-OUTAGE answers while PostgreSQL is away: " + String.join(", ", timings));
            assertReadiness(503, Duration.ofSeconds(10));

            assertHubError(() -> chat.invoke(Map.class, "SendMessage", "while the database is away"));
            // A change this replica does not know Pending must be read, and cannot be.
            assertHubError(() -> agent.invokeVoid("SubscribeToPendingChange", UUID.randomUUID().toString()));
            // One it proposed and has not decided since is known Pending without a read (a single replica:
            // KnownPending): the agent is subscribed, and hears the decision once there can be one.
            agent.invokeVoid("SubscribeToPendingChange", change);
            try (RawHubSocket late = RawHubSocket.connected(replica.base(), "/hubs/chat", TestTokens.user("bob", tenant))) {
                // OnConnected restores the chat session from the database: the client is told to come back.
                assertEquals("{\"type\":7,\"error\":\"" + UNAVAILABLE + "\",\"allowReconnect\":true}", nextClose(late),
                        "a chat connection opened while the database is away");
            }
            assertEquals(HubConnectionState.CONNECTED, chat.connection().getConnectionState(), "chat connection open");
            assertEquals(HubConnectionState.CONNECTED, agent.connection().getConnectionState(), "agent connection open");

            postgres.resume();
            assertReadiness(200, Duration.ofSeconds(15));
            // The very first requests after the return already work: no pooled connection that died meanwhile
            // (and sat idle in the pool since) fails one.
            concurrently(POOL_WARM_UP, approver, change, 200);
            agent.invokeVoid("SubscribeToPendingChange", change);
            send("POST", "/api/pending-changes/" + change + "/approve", approver, "{}", 200);
            assertEquals(change, agent.next("PendingChangeApproved").get("pendingChangeId"));
            chat.invoke(Map.class, "SendMessage", "after the database returned");
            assertEquals("after the database returned", chat.next("ReceiveMessage").get("content"));
            propose(key, 201);
            assertEquals(200, request("POST", "/hubs/mcp/negotiate?negotiateVersion=1", key, "").statusCode());
            try (HubClient again = HubClient.connect(replica.base(), "/hubs/mcp", key)) {
                again.invokeVoid("SubscribeToPendingChange", change);
                assertEquals(change, again.next("PendingChangeApproved").get("pendingChangeId"));
            }
        } finally {
            postgres.resume();
        }
        assertNoErrorLogged();
    }

    /** Refusals, not failures: nothing was logged as an error (no "unexpected" stack traces). */
    private static void assertNoErrorLogged() throws IOException {
        List<String> errors = replica.logText().lines().filter(line -> line.contains("\"level\":\"ERROR\"")).toList();
        assertEquals(List.of(), errors, "ERROR lines in the replica's log");
    }

    /**
     * PostgreSQL stops answering instead (a hung server or a dead network path): connections are
     * accepted and never answered. Without the pool's and the driver's timeouts a request would wait
     * 5 s for the pool, or forever for a login.
     */
    @Test
    void whilePostgresDoesNotAnswerRequestsAreRefusedQuicklyToo() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.token("admin", tenant, Set.of("admin"));
        String key = send("POST", "/api/api-keys", admin, "{\"name\":\"agent\"}", 201).path("key").asText();
        String change = propose(key, 201).path("id").asText();
        String approver = TestTokens.token("carol", tenant, Set.of("approver"));
        try {
            postgres.hold();
            postgres.severAll();
            List<String> timings = new ArrayList<>();
            // The first requests fail at once on pooled connections the proxy reset; once those are gone a
            // request waits for a new connection that never gets an answer, and gives up in time.
            long slowest = 0;
            for (int i = 1; i <= 40 && slowest < 500; i++) {
                slowest = Math.max(slowest, assertUnavailable("GET a change #" + i, "GET", "/api/pending-changes/" + change,
                        approver, null, timings));
            }
            assertTrue(slowest >= 500, "a request waited for a new connection: " + timings);
            assertUnavailable("propose (API key look-up)", "POST", "/api/pending-changes", key, proposal(), timings);
            System.out.println("DB-OUTAGE answers while PostgreSQL does not answer: " + String.join(", ", timings));
            assertReadiness(503, Duration.ofSeconds(10));
        } finally {
            postgres.resume();
        }
        assertReadiness(200, Duration.ofSeconds(15));
        send("GET", "/api/pending-changes/" + change, approver, null, 200);
        assertNoErrorLogged();
    }

    /** {@code count} GETs of the change at once, each answered {@code status}. */
    private static void concurrently(int count, String credential, String change, int status) throws Exception {
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(HTTP.sendAsync(HttpRequest.newBuilder(replica.base().resolve("/api/pending-changes/" + change))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + credential).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var response : responses) {
            HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
            assertEquals(status, answered.statusCode(), answered::body);
        }
    }

    private static String proposal() {
        return "{\"toolName\":\"update_invoice\",\"diff\":{\"operation\":\"UPDATE\",\"entityType\":\"Invoice\","
                + "\"entityId\":\"inv-1\"}}";
    }

    private static JsonNode propose(String key, int status) throws Exception {
        return send("POST", "/api/pending-changes", key, proposal(), status);
    }

    private static JsonNode send(String method, String path, String credential, String body, int status)
            throws Exception {
        HttpResponse<String> response = request(method, path, credential, body);
        assertEquals(status, response.statusCode(), () -> method + " " + path + ": " + response.body());
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private static HttpResponse<String> request(String method, String path, String credential, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(replica.base().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + credential)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts a 503 problem within {@link #ANSWER_WITHIN}; how long it took, in milliseconds. */
    private static long assertUnavailable(String what, String method, String path, String credential, String body,
                                          List<String> timings) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = request(method, path, credential, body);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(503, response.statusCode(), () -> what + ": " + response.body());
        assertTrue(millis < ANSWER_WITHIN.toMillis(), what + " answered in " + millis + " ms");
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), what);
        assertTrue(response.headers().firstValue("Retry-After").isPresent(), what + " has Retry-After");
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(503, problem.path("status").asInt(), what);
        assertEquals(UNAVAILABLE, problem.path("detail").asText(), what);
        timings.add(what + " " + millis + " ms");
        return millis;
    }

    private static void assertUpgradeRefused(String key, List<String> timings) {
        URI uri = URI.create(replica.base().toString().replaceFirst("^http", "ws") + "hubs/mcp");
        long started = System.nanoTime();
        try {
            HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + key).connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(uri, new WebSocket.Listener() {
                    }).join().abort();
            throw new AssertionError("the WebSocket upgrade was accepted while the database is away");
        } catch (CompletionException e) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(e.getCause() instanceof WebSocketHandshakeException, () -> "upgrade failed with " + e.getCause());
            assertEquals(503, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode(), "upgrade status");
            assertTrue(millis < ANSWER_WITHIN.toMillis(), "upgrade answered in " + millis + " ms");
            timings.add("McpHub WebSocket upgrade " + millis + " ms");
        }
    }

    private static void assertHubError(Runnable invocation) {
        long started = System.nanoTime();
        try {
            invocation.run();
            throw new AssertionError("the hub method succeeded while the database is away");
        } catch (com.microsoft.signalr.HubException e) {
            assertEquals(UNAVAILABLE, e.getMessage());
        }
        assertTrue(System.nanoTime() - started < ANSWER_WITHIN.toNanos(), "the hub answered within " + ANSWER_WITHIN);
    }

    private static String nextClose(RawHubSocket socket) {
        for (String message = socket.poll(Duration.ofSeconds(5)); message != null; message = socket.poll(Duration.ofSeconds(5))) {
            if (message.startsWith("{\"type\":7")) {
                return message;
            }
        }
        return null;
    }

    private static void assertReadiness(int status, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (replica.readiness() != status && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertEquals(status, replica.readiness(), "readiness");
    }

}
