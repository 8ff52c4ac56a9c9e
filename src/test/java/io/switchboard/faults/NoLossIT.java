package io.switchboard.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.Replica;
import io.switchboard.testing.ReplicaCluster;
import io.switchboard.testing.TcpProxy;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No lost decision: pending changes approved, rejected and expiring across three replicas while
 * replicas are killed ({@code kill -9}) and replaced and Redis restarts once under load. Six agents (the
 * official JavaScript client with automatic reconnect, src/test/js/noloss-agents.mjs, on WebSockets,
 * Server-Sent Events and Long Polling) reach the replicas through TCP fronts the test owns (its
 * stand-in for a load balancer: a front whose replica died sends new connections to a survivor); each
 * change is followed by two agents of its tenant. At the end every agent has exactly the right
 * terminal notification for each of its changes (duplicates allowed, never another status), and
 * nothing else.
 *
 * <p>{@code -Dnoloss.changes} sets how many changes (default 300, the short version in {@code
 * ./mvnw verify}; docs/faults.md gives the long run), {@code -Dnoloss.rate} how many decisions start
 * per second (default 100), {@code -Dnoloss.kills} how many replicas are killed. The counts are
 * printed ({@code NOLOSS}) and written to {@code target/faults/no-loss.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoLossIT {

    private static final int CHANGES = Integer.getInteger("noloss.changes", 300);
    private static final int RATE = Integer.getInteger("noloss.rate", 100);
    /** Replicas killed during the decisions: 2, or N/1000 + 1 for larger runs; 0 leaves only Redis's restart. */
    private static final int KILLS = Integer.getInteger("noloss.kills", Math.max(2, CHANGES / 1000 + 1));
    private static final int REPLICAS = 3;
    private static final int AGENTS = 6;
    private static final List<String> TRANSPORTS = List.of("WebSockets", "ServerSentEvents", "LongPolling");
    private static final int CONCURRENT_REQUESTS = 32;
    private static final int SUBSCRIBE_BATCH = 200;
    private static final Duration REDIS_OUTAGE_AT_LEAST = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tries of one request, through the fronts in turn, before the test gives up on it. */
    private static final int MAX_ATTEMPTS = 60;

    private static ReplicaCluster cluster;
    private static final List<TcpProxy> fronts = new ArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        cluster = ReplicaCluster.start("noloss", REPLICAS);
        for (Replica replica : cluster.replicas()) {
            fronts.add(TcpProxy.start(replica.httpPort()));
            replica.metrics(); // the first scrape of a replica is slow: not during a fault
        }
    }

    @AfterAll
    static void stop() throws Exception {
        fronts.forEach(TcpProxy::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What the agents are waiting for: one change, its tenant, how it ends and who follows it. */
    private record Change(String id, int tenant, Kind kind, List<Integer> agents) {
    }

    private enum Kind {
        APPROVE("Approved"), REJECT("Rejected"), EXPIRE("Expired");

        final String status;

        Kind(String status) {
            this.status = status;
        }
    }

    private record Tenant(String id, String key, String approver) {
    }

    /**
     * The narrowest window: a replica commits a decision and dies before the backplane has it. Here that
     * replica cannot reach Redis (its path to Redis is cut), so the envelope waits in its memory when it
     * is killed. Another replica announces the decision again; before, the agent on replica 1 never
     * heard of it.
     */
    @Test
    @Order(1)
    void aDecisionWhoseReplicaDiesBeforePublishingItStillReachesAgentsElsewhere() throws Exception {
        try (TcpProxy redisPath = TcpProxy.start(cluster.redis().port())) {
            Replica doomed = cluster.startOther("doomed",
                    Map.of("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redisPath.uri("").getPort()));
            Tenant tenant = tenant();
            String change = readId(direct(cluster.replica(1), "POST", "/api/pending-changes", tenant.key(),
                    "{\"toolName\":\"update_invoice\",\"diff\":{\"operation\":\"DELETE\",\"entityType\":\"Invoice\"}}",
                    201));
            try (HubClient agent = HubClient.connect(cluster.replica(1).base(), "/hubs/mcp", tenant.key())) {
                agent.invokeVoid("SubscribeToPendingChange", change);
                redisPath.cut();
                direct(doomed, "POST", "/api/pending-changes/" + change + "/approve", tenant.approver(), "{}", 200);
                doomed.kill();
                Map<String, Object> pushed = agent.poll("PendingChangeApproved", Duration.ofSeconds(20));
                assertTrue(pushed != null && change.equals(pushed.get("pendingChangeId")),
                        "the agent on replica 1 heard of the decision its replica never published: " + pushed);
            }
        }
    }

    private static String direct(Replica replica, String method, String path, String credential, String body,
                                 int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(replica.base().resolve(path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), () -> method + " " + path + ": " + response.body());
        return response.body();
    }

    @Test
    @Order(2)
    void noDecisionIsLostWhileReplicasAreKilledAndRedisRestarts() throws Exception {
        long started = System.nanoTime();
        Report report = new Report();
        List<Tenant> tenants = List.of(tenant(), tenant());
        List<Map<String, String>> agentConfigs = new ArrayList<>();
        for (int agent = 0; agent < AGENTS; agent++) {
            agentConfigs.add(Map.of("base", fronts.get(agent % REPLICAS).uri("").toString(),
                    "key", tenants.get(agent % 2).key(), "transport", TRANSPORTS.get(agent / 2 % TRANSPORTS.size())));
        }
        int expiring = CHANGES / 5;
        int decided = CHANGES - expiring;
        double decisionSeconds = (double) decided / RATE;
        Ledger ledger = new Ledger();

        try (NodeScript agents = NodeScript.start("noloss-agents.mjs",
                Map.of("AGENTS", JSON.writeValueAsString(agentConfigs)));
             Events events = new Events(agents, ledger)) {
            events.awaitReady(Duration.ofSeconds(60));

            // Changes to decide, each followed by two of the three agents of its tenant; all subscribed first.
            List<Change> toDecide = create(tenants, 0, decided, null);
            subscribe(agents, toDecide);
            ledger.awaitSubscribed(toDecide.size() * 2, Duration.ofSeconds(60 + CHANGES / 20));
            // Changes that expire while the decisions and the faults go on; subscribed as they come.
            List<Change> toExpire = create(tenants, decided, expiring, decisionSeconds);
            subscribe(agents, toExpire);

            Faults faults = new Faults(report, decided);
            report.decisionsStarted = System.nanoTime();
            decideAll(tenants, toDecide, faults, report);
            report.decisionsEnded = System.nanoTime();
            faults.finish();

            List<Change> all = new ArrayList<>(toDecide);
            all.addAll(toExpire);
            Map<String, String> truth = awaitTerminal(all, Duration.ofSeconds(60));
            ledger.awaitEveryDecision(all, Duration.ofSeconds(90 + CHANGES / 20));
            TimeUnit.MILLISECONDS.sleep(1500); // late duplicates, if any, are counted too
            agents.send("stop");
            events.close();
            Files.createDirectories(Path.of("target", "faults"));
            Files.writeString(Path.of("target", "faults", "noloss-agents.log"), agents.stderr());
            agents.awaitSuccess(Duration.ofSeconds(30));

            report.complete(all, truth, ledger, Duration.ofNanos(System.nanoTime() - started));
            List<String> backplaneProblems = faults.backplaneAtTheEnd();
            report.write();
            assertEquals(List.of(), ledger.closed, "agent connections that ended for good");
            assertEquals(List.of(), report.wrong, "notifications with a status other than the change's");
            assertEquals(List.of(), report.missing, "changes an agent never heard the decision of");
            assertEquals(List.of(), report.unexpected, "notifications for changes the agent did not follow");
            assertEquals(List.of(), backplaneProblems, "backplane: nothing dropped, no failed publish while Redis was up");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Setup through the fronts

    private Tenant tenant() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode key = JSON.readTree(send(0, "POST", "/api/api-keys", "Bearer " + TestTokens.token("admin", tenant,
                Set.of("admin")), "{\"name\":\"agent\"}", 201).get().body());
        return new Tenant(tenant, key.path("key").asText(), TestTokens.token("carol", tenant, Set.of("approver")));
    }

    /**
     * Creates {@code count} changes numbered from {@code first}: tenants alternate; every fifth expires
     * (when {@code expireOverSeconds} is given: spread over that many seconds), the others are approved
     * or rejected in turn.
     */
    private List<Change> create(List<Tenant> tenants, int first, int count, Double expireOverSeconds) throws Exception {
        Semaphore inFlight = new Semaphore(CONCURRENT_REQUESTS);
        List<CompletableFuture<Change>> created = new ArrayList<>();
        for (int n = first; n < first + count; n++) {
            int tenant = n % 2;
            Kind kind = expireOverSeconds != null ? Kind.EXPIRE : n / 2 % 2 == 0 ? Kind.APPROVE : Kind.REJECT;
            String expiry = expireOverSeconds == null ? ""
                    : ",\"expiresInSeconds\":" + (1 + Math.round(expireOverSeconds * (n - first) / count));
            // Two of the tenant's three agents (tenant t has agents t, t + 2 and t + 4), in turn.
            int turn = n / 2 % 3;
            List<Integer> followers = List.of(tenant + 2 * turn, tenant + 2 * ((turn + 1) % 3));
            String body = "{\"toolName\":\"update_invoice\",\"diff\":{\"operation\":\"UPDATE\",\"entityType\":\"Invoice\","
                    + "\"entityId\":\"inv-" + n + "\"}" + expiry + "}";
            inFlight.acquire();
            created.add(send(n, "POST", "/api/pending-changes", "Bearer " + tenants.get(tenant).key(), body, 201)
                    .whenComplete((response, failure) -> inFlight.release())
                    .thenApply(response -> new Change(readId(response.body()), tenant, kind, followers)));
        }
        List<Change> changes = new ArrayList<>();
        for (CompletableFuture<Change> change : created) {
            changes.add(change.get(60, TimeUnit.SECONDS));
        }
        return changes;
    }

    private static String readId(String body) {
        try {
            return JSON.readTree(body).path("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    private static void subscribe(NodeScript agents, List<Change> changes) {
        Map<Integer, List<String>> byAgent = new TreeMap<>();
        for (Change change : changes) {
            for (int agent : change.agents()) {
                byAgent.computeIfAbsent(agent, a -> new ArrayList<>()).add(change.id());
            }
        }
        byAgent.forEach((agent, ids) -> {
            for (int from = 0; from < ids.size(); from += SUBSCRIBE_BATCH) {
                agents.send("subscribe " + agent + " " + String.join(",", ids.subList(from,
                        Math.min(ids.size(), from + SUBSCRIBE_BATCH))));
            }
        });
    }

    /**
     * Sends a request through front {@code n} mod 3, and through the next fronts again after a failure
     * (a killed replica, a refused connection, a 503) until it is answered {@code expected} (or 409 for a
     * decision, which an earlier attempt may have committed before its replica died).
     */
    private CompletableFuture<HttpResponse<String>> send(int n, String method, String path, String authorization,
                                                         String body, int expected) {
        CompletableFuture<HttpResponse<String>> result = new CompletableFuture<>();
        attempt(n, 0, method, path, authorization, body, expected, result);
        return result;
    }

    private void attempt(int n, int attempt, String method, String path, String authorization, String body,
                         int expected, CompletableFuture<HttpResponse<String>> result) {
        URI uri = fronts.get((n + attempt) % fronts.size()).uri(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            boolean decision = path.endsWith("/approve") || path.endsWith("/reject");
            if (response != null && (response.statusCode() == expected || decision && response.statusCode() == 409)) {
                result.complete(response);
            } else if (response != null && response.statusCode() < 500) {
                result.completeExceptionally(new AssertionError(method + " " + path + " answered "
                        + response.statusCode() + ": " + response.body()));
            } else if (attempt + 1 >= MAX_ATTEMPTS) {
                result.completeExceptionally(new AssertionError(method + " " + path + " failed " + MAX_ATTEMPTS
                        + " times; last: " + (response != null ? response.statusCode() : failure)));
            } else {
                retries.incrementAndGet();
                CompletableFuture.delayedExecutor(100L * Math.min(attempt + 1, 10), TimeUnit.MILLISECONDS).execute(() ->
                        attempt(n, attempt + 1, method, path, authorization, body, expected, result));
            }
        });
    }


    // ---------------------------------------------------------------------------------------------
    // Decisions, paced at RATE per second, with the faults set off by their progress

    private void decideAll(List<Tenant> tenants, List<Change> changes, Faults faults, Report report) throws Exception {
        Semaphore inFlight = new Semaphore(CONCURRENT_REQUESTS);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        long start = System.nanoTime();
        for (int n = 0; n < changes.size(); n++) {
            long due = start + (long) (n * 1e9 / RATE);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            faults.progress(n);
            Change change = changes.get(n);
            String path = "/api/pending-changes/" + change.id() + (change.kind() == Kind.APPROVE ? "/approve" : "/reject");
            String body = change.kind() == Kind.APPROVE ? "{\"executionResult\":{\"n\":" + n + "}}" : "{\"reason\":\"no " + n + "\"}";
            inFlight.acquire();
            answers.add(send(n, "POST", path, "Bearer " + tenants.get(change.tenant()).approver(), body, 200)
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (response != null && response.statusCode() == 409) {
                            report.confirmedByConflict.incrementAndGet();
                        }
                    }));
        }
        faults.progress(changes.size());
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            answer.get(120, TimeUnit.SECONDS);
        }
        report.retries = retries.get();
    }

    /**
     * The faults, run on a thread of their own as the decisions reach given fractions: replicas killed
     * in turn (slot 2, 3, 1, ...; never the last one serving) and replaced in the background, Redis
     * stopped and started once. The fronts route as a load balancer would ({@link #reroute()}).
     */
    private final class Faults {

        private record Step(double at, String what, Callable action) {
        }

        @FunctionalInterface
        private interface Callable {
            void run() throws Exception;
        }

        private final Report report;
        private final int total;
        private final List<Step> steps = new ArrayList<>();
        private final ExecutorService runner = Executors.newSingleThreadExecutor();
        private final ExecutorService replacements = Executors.newCachedThreadPool();
        private final List<Future<?>> pending = new CopyOnWriteArrayList<>();
        private final List<Future<?>> runnerSteps = new ArrayList<>();
        private final Set<Replica> startedUp = ConcurrentHashMap.newKeySet();
        private final Map<Integer, Replica> routes = new HashMap<>();
        private final AtomicInteger done = new AtomicInteger();
        private final Map<String, Double> failedAfterRedis = new ConcurrentHashMap<>();
        private final List<Replica> readyWhenRedisStopped = new CopyOnWriteArrayList<>();
        private final List<String> backplaneProblems = new CopyOnWriteArrayList<>();
        private volatile boolean redisStopped;
        private volatile boolean redisBack;
        private int next;

        Faults(Report report, int total) {
            this.report = report;
            this.total = total;
            startedUp.addAll(cluster.replicas());
            for (int slot = 0; slot < REPLICAS; slot++) {
                routes.put(slot, cluster.replica(slot + 1));
            }
            for (int k = 0; k < KILLS; k++) {
                int slot = (k + 1) % REPLICAS + 1; // 2, 3, 1, 2, ...
                double at = KILLS == 1 ? 0.25 : 0.08 + 0.84 * k / (KILLS - 1);
                steps.add(new Step(at, "kill -9 replica " + slot, () -> kill(slot)));
            }
            // Redis restarts once, half way.
            steps.add(new Step(0.4, "Redis stopped", this::stopRedis));
            steps.add(new Step(0.6, "Redis started", this::startRedis));
            steps.sort((a, b) -> Double.compare(a.at(), b.at()));
        }

        /**
         * Called by the decider before decision {@code n}: starts the steps now due, in order. A step
         * starts only once the one before has finished (the decider waits for it), so on a slow machine
         * the decisions do not all pass before the faults they should overlap.
         */
        void progress(int n) throws Exception {
            done.set(n);
            while (next < steps.size() && n >= steps.get(next).at() * total) {
                if (!runnerSteps.isEmpty()) {
                    runnerSteps.get(runnerSteps.size() - 1).get(120, TimeUnit.SECONDS);
                }
                Step step = steps.get(next++);
                Future<?> started = runner.submit(() -> {
                    int from = done.get();
                    long began = System.nanoTime();
                    step.action().run();
                    report.events.add(String.format("%s (%d ms): decisions %d to %d of %d were starting meanwhile",
                            step.what(), (System.nanoTime() - began) / 1_000_000, from, done.get(), total));
                    return null;
                });
                runnerSteps.add(started);
                pending.add(started);
            }
        }

        private void kill(int slot) throws Exception {
            // A replica that serves (a replacement may still be starting), and never the last one.
            Replica victim = awaitServing(slot);
            awaitReadyOtherThan(victim);
            recordBackplane(victim, "before kill");
            victim.kill();
            report.kills.incrementAndGet();
            reroute();
            pending.add(replacements.submit(() -> {
                Replica replacement = cluster.replace(slot);
                replacement.metrics(); // the first scrape of a replica is slow: not during a fault
                startedUp.add(replacement);
                report.replacements.incrementAndGet();
                reroute();
                return null;
            }));
        }

        private Replica awaitServing(int slot) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!serving(cluster.replica(slot))) {
                assertTrue(System.nanoTime() < deadline, "replica " + slot + " does not serve");
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return cluster.replica(slot);
        }

        private void awaitReadyOtherThan(Replica victim) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (cluster.replicas().stream().noneMatch(r -> r != victim && serving(r))) {
                assertTrue(System.nanoTime() < deadline, "no replica but the victim is serving");
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }

        /**
         * Alive and started up (ready once): readiness itself is DOWN on every replica while Redis is
         * away, yet they serve, and a load balancer with no ready endpoint left keeps sending to them.
         */
        private boolean serving(Replica replica) {
            return replica.isAlive() && startedUp.contains(replica);
        }

        /**
         * As a load balancer: a front whose replica died goes to its own slot's replacement when that
         * is ready, else to a ready replica, else (Redis away: none is ready) to one that serves. A front
         * never leaves a replica that still serves: Server-Sent Events and Long Polling need every
         * request of a connection on one replica (sticky sessions), and the clients keep connections
         * open to where the front sent them before.
         */
        private synchronized void reroute() {
            List<Replica> replicas = cluster.replicas();
            List<Replica> ready = replicas.stream().filter(r -> serving(r) && r.readiness() == 200).toList();
            List<Replica> candidates = ready.isEmpty() ? replicas.stream().filter(this::serving).toList() : ready;
            for (int slot = 0; slot < replicas.size(); slot++) {
                Replica current = routes.get(slot);
                if (current != null && serving(current)) {
                    continue;
                }
                Replica own = replicas.get(slot);
                Replica target = candidates.contains(own) ? own : candidates.isEmpty() ? null : candidates.get(0);
                if (target != null) {
                    fronts.get(slot).retarget(target.httpPort());
                    routes.put(slot, target);
                }
            }
        }

        private void stopRedis() throws Exception {
            for (Replica replica : cluster.replicas()) {
                if (replica.isAlive() && replica.readiness() == 200) {
                    recordBackplane(replica, "before Redis stopped");
                    readyWhenRedisStopped.add(replica);
                }
            }
            redisStopped = true;
            cluster.redis().stop();
            report.redisStopDecisions = done.get();
            report.redisStoppedNanos = System.nanoTime();
        }

        private void startRedis() throws Exception {
            long outage = System.nanoTime() - report.redisStoppedNanos;
            if (outage < REDIS_OUTAGE_AT_LEAST.toNanos()) {
                TimeUnit.NANOSECONDS.sleep(REDIS_OUTAGE_AT_LEAST.toNanos() - outage);
            }
            cluster.redis().start();
            report.redisStartDecisions = done.get();
            report.redisStartedNanos = System.nanoTime();
            report.redisRestarts.incrementAndGet();
            // Once a replica is connected again (its publisher reconnects within a retry interval of its
            // subscriber), its publishes must not fail any more.
            for (Replica replica : readyWhenRedisStopped) {
                if (awaitReady(replica)) {
                    failedAfterRedis.put(replica.name(), settledFailures(replica));
                }
            }
            redisBack = true;
        }

        private boolean awaitReady(Replica replica) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (replica.isAlive() && System.nanoTime() < deadline) {
                if (replica.readiness() == 200) {
                    return true;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return false;
        }

        /** {@code signalr_backplane_failed_total} once it stopped growing for a second (or after 10 s). */
        private double settledFailures(Replica replica) throws Exception {
            double before = replica.metric("signalr_backplane_failed_total");
            for (int i = 0; i < 10 && replica.isAlive(); i++) {
                TimeUnit.SECONDS.sleep(1);
                double now = replica.metric("signalr_backplane_failed_total");
                if (now == before) {
                    return now;
                }
                before = now;
            }
            return before;
        }

        /**
         * Dropped publishes must stay 0; failed ones may only grow while Redis is down (a replica that
         * started after Redis came back, or before it ever stopped, has none).
         */
        private void recordBackplane(Replica replica, String when) throws Exception {
            String metrics = replica.metrics();
            double dropped = Replica.metric(metrics, "signalr_backplane_dropped_total");
            double failed = Replica.metric(metrics, "signalr_backplane_failed_total");
            report.failedPublishes.merge(replica.name(), failed, Math::max);
            report.droppedPublishes.merge(replica.name(), dropped, Math::max);
            if (dropped != 0) {
                backplaneProblems.add(replica.name() + " dropped " + dropped + " envelopes (" + when + ")");
            }
            if (!redisStopped && failed != 0) {
                backplaneProblems.add(replica.name() + " failed " + failed + " publishes while Redis was up (" + when + ")");
            } else if (redisBack && failed > failedAfterRedis.getOrDefault(replica.name(), 0.0)) {
                backplaneProblems.add(replica.name() + " failed " + (failed - failedAfterRedis.getOrDefault(replica.name(),
                        0.0)) + " publishes after Redis was back (" + when + ")");
            }
        }

        /** Waits for every step and replacement, routes every front to its own replica again. */
        void finish() throws Exception {
            for (int i = 0; i < pending.size(); i++) {
                pending.get(i).get(180, TimeUnit.SECONDS);
            }
            runner.shutdown();
            replacements.shutdown();
            reroute();
            for (Replica replica : cluster.replicas()) {
                replica.awaitReady(Duration.ofSeconds(60));
            }
        }

        /** The backplane's counters of every replica at the end; what went wrong with them, if anything. */
        List<String> backplaneAtTheEnd() throws Exception {
            for (Replica replica : cluster.replicas()) {
                recordBackplane(replica, "at the end");
            }
            report.writeBackplane();
            return backplaneProblems;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // What the agents received

    /** Every notification each agent received: agent -> change id -> statuses, in arrival order. */
    private static final class Ledger {

        final Map<Integer, Map<String, List<String>>> received = new ConcurrentHashMap<>();
        final AtomicInteger subscribed = new AtomicInteger();
        final Map<Integer, Integer> reconnects = new ConcurrentHashMap<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        final AtomicLong notifications = new AtomicLong();

        void decision(int agent, String id, String status) {
            received.computeIfAbsent(agent, a -> new ConcurrentHashMap<>())
                    .computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(status);
            notifications.incrementAndGet();
        }

        void awaitSubscribed(int count, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (subscribed.get() < count && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertEquals(count, subscribed.get(), "subscriptions accepted before the decisions began");
        }

        boolean heardEveryDecision(List<Change> changes) {
            for (Change change : changes) {
                for (int agent : change.agents()) {
                    if (!received.getOrDefault(agent, Map.of()).containsKey(change.id())) {
                        return false;
                    }
                }
            }
            return true;
        }

        void awaitEveryDecision(List<Change> changes, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (!heardEveryDecision(changes) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    /** Reads the agents' events into the ledger on a thread of its own. */
    private static final class Events implements AutoCloseable {

        private final NodeScript agents;
        private final Ledger ledger;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final Thread reader;
        private volatile boolean closed;

        Events(NodeScript agents, Ledger ledger) {
            this.agents = agents;
            this.ledger = ledger;
            this.reader = new Thread(this::read, "noloss-agent-events");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            while (!closed) {
                JsonNode event = agents.poll(Duration.ofMillis(200));
                if (event == null) {
                    continue;
                }
                switch (event.path("event").asText()) {
                    case "ready" -> ready.countDown();
                    case "subscribed" -> ledger.subscribed.addAndGet(event.path("count").asInt());
                    case "decision" -> ledger.decision(event.path("agent").asInt(), event.path("id").asText(),
                            event.path("status").asText());
                    case "reconnected" -> ledger.reconnects.merge(event.path("agent").asInt(), 1, Integer::sum);
                    case "closed" -> ledger.closed.add("agent " + event.path("agent").asInt() + ": "
                            + event.path("error").asText());
                    default -> throw new IllegalStateException("unexpected event " + event);
                }
            }
        }

        void awaitReady(Duration within) throws InterruptedException {
            assertTrue(ready.await(within.toMillis(), TimeUnit.MILLISECONDS), () -> "agents not connected; stderr:\n"
                    + agents.stderr());
        }

        @Override
        public void close() throws InterruptedException {
            if (!closed) {
                TimeUnit.MILLISECONDS.sleep(500); // what the agents printed last is read too
                closed = true;
                reader.join(5000);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The truth: PostgreSQL

    private static Map<String, String> awaitTerminal(List<Change> changes, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Map<String, String> statuses = statuses(changes);
            long pending = statuses.values().stream().filter("Pending"::equals).count();
            if (pending == 0 && statuses.size() == changes.size()) {
                return statuses;
            }
            assertTrue(System.nanoTime() < deadline, pending + " changes still Pending, "
                    + (changes.size() - statuses.size()) + " missing");
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private static Map<String, String> statuses(List<Change> changes) throws Exception {
        Map<String, String> statuses = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(cluster.database().jdbcUrl(), TestDatabase.USER, "");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id::text, status FROM pending_change WHERE id = ANY (?::uuid[])")) {
            Array ids = connection.createArrayOf("text", changes.stream().map(Change::id).toArray());
            query.setArray(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    statuses.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return statuses;
    }

    // ---------------------------------------------------------------------------------------------
    // The counts

    private static final class Report {

        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicInteger kills = new AtomicInteger();
        final AtomicInteger replacements = new AtomicInteger();
        final AtomicInteger redisRestarts = new AtomicInteger();
        final AtomicInteger confirmedByConflict = new AtomicInteger();
        final Map<String, Double> failedPublishes = new ConcurrentHashMap<>();
        final Map<String, Double> droppedPublishes = new ConcurrentHashMap<>();
        final List<String> wrong = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        volatile int retries;
        volatile long decisionsStarted;
        volatile long decisionsEnded;
        volatile int redisStopDecisions;
        volatile int redisStartDecisions;
        volatile long redisStoppedNanos;
        volatile long redisStartedNanos;

        void complete(List<Change> changes, Map<String, String> truth, Ledger ledger, Duration took) {
            Map<String, Long> byStatus = new TreeMap<>();
            truth.values().forEach(status -> byStatus.merge(status, 1L, Long::sum));
            int expected = 0;
            long duplicates = 0;
            Map<String, Change> byId = new HashMap<>();
            for (Change change : changes) {
                byId.put(change.id(), change);
                String status = truth.get(change.id());
                for (int agent : change.agents()) {
                    expected++;
                    List<String> heard = ledger.received.getOrDefault(agent, Map.of()).get(change.id());
                    if (heard == null) {
                        missing.add("agent " + agent + " never heard of " + change.id() + " (" + status + ")");
                        continue;
                    }
                    duplicates += heard.size() - 1;
                    if (heard.stream().anyMatch(s -> !s.equals(status))) {
                        wrong.add("agent " + agent + " heard " + heard + " for " + change.id() + ", which is " + status);
                    }
                }
            }
            ledger.received.forEach((agent, heard) -> heard.keySet().forEach(id -> {
                Change change = byId.get(id);
                if (change == null || !change.agents().contains(agent)) {
                    unexpected.add("agent " + agent + " heard of " + id);
                }
            }));
            double decisionSeconds = (decisionsEnded - decisionsStarted) / 1e9;
            int decided = (int) changes.stream().filter(c -> c.kind() != Kind.EXPIRE).count();
            lines.add(String.format("changes %d: %s (the database's final status)", changes.size(), byStatus));
            lines.add(String.format("decisions %d in %.1f s (%.0f/s), %d requests retried through another front, "
                    + "%d decisions confirmed by a 409 (committed before their replica died)", decided, decisionSeconds,
                    decided / decisionSeconds, retries, confirmedByConflict.get()));
            if (redisStartedNanos > 0) {
                int during = redisStartDecisions - redisStopDecisions;
                double outage = (redisStartedNanos - redisStoppedNanos) / 1e9;
                lines.add(String.format("Redis down %.1f s while %d decisions started (%.0f/s)", outage, during,
                        during / outage));
            }
            lines.add(String.format("faults: %d kill -9, %d replicas started in their place, %d Redis restart; agents "
                    + "reconnected %d times (by agent: %s); connections ended for good: %s", kills.get(), replacements.get(),
                    redisRestarts.get(), ledger.reconnects.values().stream().mapToInt(Integer::intValue).sum(),
                    new TreeMap<>(ledger.reconnects), ledger.closed));
            lines.addAll(events);
            lines.add(String.format("notifications: %d expected (change x following agent), %d received, %d duplicates "
                            + "(same status), %d missing, %d with a wrong status, %d for changes not followed", expected,
                    ledger.notifications.get(), duplicates, missing.size(), wrong.size(), unexpected.size()));
            if (!missing.isEmpty()) {
                Map<String, Long> byAgent = new TreeMap<>();
                missing.forEach(line -> byAgent.merge(line.substring(0, line.indexOf(" never")), 1L, Long::sum));
                lines.add("missing by agent: " + byAgent);
            }
            lines.add(String.format("took %.1f s in all (3 replicas, %d agents, %d per second)", took.toMillis() / 1000.0,
                    AGENTS, RATE));
        }

        void writeBackplane() {
            lines.add("backplane: failed publishes (Redis down) by replica " + new TreeMap<>(failedPublishes)
                    + ", dropped " + new TreeMap<>(droppedPublishes));
        }

        void write() throws Exception {
            Path file = Path.of("target", "faults", "no-loss.txt");
            Files.createDirectories(file.getParent());
            List<String> out = new ArrayList<>();
            out.add("No lost decision, " + java.time.Instant.now());
            out.addAll(lines);
            Files.write(file, out);
            out.forEach(line -> System.out.println("NOLOSS " + line));
        }
    }

}
