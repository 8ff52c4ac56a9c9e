package io.switchboard.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.Replica;
import io.switchboard.testing.ReplicaCluster;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The soak (docs/faults.md, "Soak"): two packaged replicas sharing PostgreSQL and a redis-server of
 * their own, under mixed traffic for {@code -Dsoak.minutes} (default 1, the short version in
 * {@code ./mvnw verify}; {@code .ci/soak --minutes 60} is the long run): people chatting, agents
 * connecting, proposing and being decided, API keys created and revoked, connections dropped and
 * opened again, a replica restarted every {@code -Dsoak.restart-every-seconds} (default 600, and at
 * least once per run), Redis restarted once. Every {@code -Dsoak.sample-seconds} (default 60, 20 in a
 * run under 10 minutes) each replica is sampled: heap after a full GC, RSS, threads, open file
 * descriptors, Redis keys, and the database rows that should be gone. At the end the samples of each
 * replica process must be flat, and no acknowledged message or decision may be missing. Samples go
 * to {@code target/faults/soak.tsv} and the summary ({@code SOAK}) to the output.
 */
class SoakIT {

    private static final int MINUTES = Integer.getInteger("soak.minutes", 1);
    private static final int RESTART_EVERY_SECONDS = Integer.getInteger("soak.restart-every-seconds",
            Math.min(600, MINUTES * 60 / 2));
    private static final int SAMPLE_SECONDS = Integer.getInteger("soak.sample-seconds", MINUTES < 10 ? 20 : 60);
    private static final int PEOPLE = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Growth allowed between a process's middle sample and its last. */
    private static final long HEAP_GROWTH_BYTES = 24L << 20;
    private static final long RSS_GROWTH_BYTES = 96L << 20;
    private static final int THREAD_GROWTH = 20;
    private static final int FD_GROWTH = 40;
    private static final int REDIS_KEY_GROWTH = 20;

    private final String tenant = "soak-" + UUID.randomUUID().toString().substring(0, 8);
    /** Every token outlives the run and its checks (an hour's tokens expired under the hour's last check). */
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(MINUTES + 30L);
    private final String approver = TestTokens.token("soak-approver", tenant, Set.of("approver"), TOKEN_LIFETIME);
    private final String admin = TestTokens.token("soak-admin", tenant, Set.of("admin"), TOKEN_LIFETIME);
    private final AtomicInteger turn = new AtomicInteger();
    /** Acknowledged messages by workflow: each must be in the history at the end. */
    private final Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
    /** Decisions answered 200, by change id: "Approved" or "Rejected". */
    private final Map<String, String> decided = new ConcurrentHashMap<>();
    private final AtomicLong failedOperations = new AtomicLong();
    private final AtomicInteger restarts = new AtomicInteger();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    /** Every replica process of the run, restarted ones included, for their logs. */
    private final Map<Long, Replica> processes = new ConcurrentHashMap<>();

    private record Sample(long second, String replica, long pid, long heapAfterGc, long rss, int threads, int fds,
                          long redisKeys, long unannouncedDecisions, long loginFailureRows) {
    }

    @Test
    void nothingLeaksAndNothingIsLost() throws Exception {
        try (ReplicaCluster cluster = ReplicaCluster.start("soak", 2)) {
            long start = System.nanoTime();
            long end = start + TimeUnit.MINUTES.toNanos(MINUTES);
            long nextSample = start;
            long nextRestart = start + TimeUnit.SECONDS.toNanos(RESTART_EVERY_SECONDS);
            long redisRestartAt = start + TimeUnit.MINUTES.toNanos(MINUTES) * 2 / 3;
            boolean redisRestarted = false;
            List<Person> people = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                people.add(new Person("soak-person-" + i, "workflow-" + (i % 2)));
            }
            Agent agent = new Agent();
            try {
                while (System.nanoTime() < end) {
                    if (System.nanoTime() >= nextSample) {
                        sample(cluster, (System.nanoTime() - start) / 1_000_000_000L);
                        nextSample += TimeUnit.SECONDS.toNanos(SAMPLE_SECONDS);
                    }
                    if (System.nanoTime() >= nextRestart) {
                        // Slot 2 then slot 1 and so on: a graceful stop (SIGTERM), as a rolling deploy does.
                        int slot = 2 - restarts.getAndIncrement() % 2;
                        cluster.replica(slot).terminate();
                        cluster.replica(slot).awaitExit(Duration.ofSeconds(30));
                        cluster.replace(slot).awaitReady(Duration.ofSeconds(90));
                        nextRestart += TimeUnit.SECONDS.toNanos(RESTART_EVERY_SECONDS);
                    }
                    if (!redisRestarted && System.nanoTime() >= redisRestartAt) {
                        cluster.redis().stop();
                        Thread.sleep(1_000);
                        cluster.redis().start();
                        redisRestarted = true;
                    }
                    Replica replica = cluster.replica(1 + turn.incrementAndGet() % 2);
                    for (Person person : people) {
                        person.act(replica);
                    }
                    agent.act(replica);
                    Thread.sleep(50);
                }
            } finally {
                people.forEach(Person::close);
                agent.close();
            }
            // Quiet: what is in flight settles, then the last sample.
            Thread.sleep(5_000);
            sample(cluster, (System.nanoTime() - start) / 1_000_000_000L);
            String report = report();
            System.out.println(report);
            Files.createDirectories(Path.of("target", "faults"));
            Files.writeString(Path.of("target", "faults", "soak.tsv"), table());
            assertNothingLost(cluster);
            assertFlat();
            assertNoErrorLogged();
            assertTrue(redisRestarted, "Redis was restarted once");
            assertTrue(restarts.get() >= 1, "a replica was restarted");
        }
    }

    /** A person in a workflow, who sends a message each turn and now and then drops the connection. */
    private final class Person implements AutoCloseable {

        private final String token;
        private final String workflow;
        private HubClient client;
        private int sent;

        Person(String id, String workflow) {
            this.token = TestTokens.token(id, tenant, Set.of(), TOKEN_LIFETIME);
            this.workflow = workflow;
        }

        void act(Replica replica) {
            try {
                if (client == null || sent % 25 == 24) {
                    close();
                    client = HubClient.connectKeepingNoIdleConnection(replica.base(), "/hubs/chat", token);
                    client.invoke(Map.class, "JoinWorkflow", workflow);
                }
                String text = "soak " + UUID.randomUUID();
                client.invoke(Map.class, "SendMessage", text);
                acknowledged.computeIfAbsent(workflow, ignored -> new CopyOnWriteArrayList<>()).add(text);
            } catch (RuntimeException failed) {
                // A replica restarting, Redis away: the message is not acknowledged; connect again next turn.
                failedOperations.incrementAndGet();
                close();
            } finally {
                sent++;
            }
        }

        @Override
        public void close() {
            closeQuietly(client);
            client = null;
        }
    }

    /** An agent with an API key: proposes, is decided, and gets a new key (the old one revoked) now and then. */
    private final class Agent implements AutoCloseable {

        private String keyId;
        private String key;
        private HubClient client;
        private int proposed;

        void act(Replica replica) {
            try {
                if (key == null || proposed % 20 == 19) {
                    close();
                    if (keyId != null) {
                        call(replica, "DELETE", "/api/api-keys/" + keyId, admin, null, 204);
                    }
                    JsonNode created = JSON.readTree(call(replica, "POST", "/api/api-keys", admin,
                            "{\"name\":\"soak-agent\"}", 201));
                    keyId = created.get("id").asText();
                    key = created.get("key").asText();
                }
                if (client == null) {
                    client = HubClient.connectKeepingNoIdleConnection(replica.base(), "/hubs/mcp", key);
                }
                String id = JSON.readTree(call(replica, "POST", "/api/pending-changes", key,
                        "{\"toolName\":\"soak\",\"diff\":{\"operation\":\"UPDATE\",\"entityType\":\"Invoice\","
                                + "\"before\":{\"amount\":1},\"after\":{\"amount\":2}}}", 201)).get("id").asText();
                client.invokeVoid("SubscribeToPendingChange", id);
                boolean approve = proposed % 2 == 0;
                call(replica, "POST", "/api/pending-changes/" + id + (approve ? "/approve" : "/reject"), approver,
                        approve ? "{}" : "{\"reason\":\"soak\"}", 200);
                decided.put(id, approve ? "Approved" : "Rejected");
            } catch (IOException | InterruptedException | RuntimeException failed) {
                failedOperations.incrementAndGet();
                close();
            } finally {
                proposed++;
            }
        }

        @Override
        public void close() {
            closeQuietly(client);
            client = null;
        }
    }

    private static void closeQuietly(HubClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // already gone with its replica
            }
        }
    }

    private static String call(Replica replica, String method, String path, String credential, String body,
                               int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(replica.base().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.header(credential.startsWith("sb_") ? "X-Api-Key" : "Authorization",
                credential.startsWith("sb_") ? credential : "Bearer " + credential);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private void sample(ReplicaCluster cluster, long second) throws Exception {
        long redisKeys = redisKeys(cluster.redis().port());
        long unannounced;
        long loginFailures;
        try (Connection db = DriverManager.getConnection(cluster.database().jdbcUrl(), TestDatabase.USER, "")) {
            unannounced = count(db, "SELECT count(*) FROM pending_change WHERE announce_due_at IS NOT NULL");
            loginFailures = count(db, "SELECT count(*) FROM login_failure");
        }
        for (Replica replica : cluster.replicas()) {
            long pid = replica.pid();
            processes.put(pid, replica);
            // Heap after GC: a full collection first (jcmd), then the heap in use.
            new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
            long heap = heapUsed(replica.metrics());
            String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
            long rss = field(status, "VmRSS") * 1024;
            int threads = (int) field(status, "Threads");
            int fds;
            try (var listing = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
                fds = (int) listing.count();
            }
            samples.add(new Sample(second, replica.name(), pid, heap, rss, threads, fds, redisKeys, unannounced,
                    loginFailures));
        }
    }

    private static long heapUsed(String metrics) {
        long used = 0;
        Matcher line = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+-]+)$")
                .matcher(metrics);
        while (line.find()) {
            used += (long) Double.parseDouble(line.group(1));
        }
        return used;
    }

    private static long field(String procStatus, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + ":\\s+([0-9]+)").matcher(procStatus);
        return value.find() ? Long.parseLong(value.group(1)) : -1;
    }

    private static long count(Connection db, String query) throws Exception {
        try (ResultSet rows = db.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** DBSIZE of the soak's own redis-server, in RESP. */
    private static long redisKeys(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$6\r\nDBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                answer.append((char) c);
            }
            return Long.parseLong(answer.toString().trim().substring(1));
        } catch (IOException | RuntimeException away) {
            return -1;
        }
    }

    private void assertNothingLost(ReplicaCluster cluster) throws Exception {
        Replica replica = cluster.replica(1);
        List<String> missing = new ArrayList<>();
        // The history API pages back from the latest; the table holds the whole of it.
        try (Connection db = DriverManager.getConnection(cluster.database().jdbcUrl(), TestDatabase.USER, "")) {
            for (Map.Entry<String, List<String>> workflow : acknowledged.entrySet()) {
                Set<String> stored = new java.util.HashSet<>();
                try (var query = db.prepareStatement(
                        "SELECT content FROM chat_message WHERE tenant_id = ? AND workflow_id = ?")) {
                    query.setString(1, tenant);
                    query.setString(2, workflow.getKey());
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            stored.add(rows.getString(1));
                        }
                    }
                }
                workflow.getValue().stream().filter(text -> !stored.contains(text)).forEach(missing::add);
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged messages missing from the history, such as "
                + missing.subList(0, Math.min(5, missing.size())));
        Map<String, String> wrong = new HashMap<>();
        for (Map.Entry<String, String> decision : decided.entrySet()) {
            String status = JSON.readTree(call(replica, "GET", "/api/pending-changes/" + decision.getKey(), approver,
                    null, 200)).get("status").asText();
            if (!status.equals(decision.getValue())) {
                wrong.put(decision.getKey(), status);
            }
        }
        assertEquals(Map.of(), wrong, "decisions answered 200 whose change has another status");
        assertTrue(decided.size() > 0 && !acknowledged.isEmpty(), "the soak did some work");
    }

    /** A replica's log is JSON lines in production: no line of the run may be at ERROR. */
    private void assertNoErrorLogged() throws IOException {
        List<String> errors = new ArrayList<>();
        for (Replica replica : processes.values()) {
            replica.logText().lines().filter(line -> line.contains("\"level\":\"ERROR\""))
                    .map(line -> replica.name() + ": " + line).forEach(errors::add);
        }
        assertTrue(errors.isEmpty(), "the replicas logged at ERROR:\n" + String.join("\n", errors));
    }

    /** For each replica process sampled at least three times, its last sample against its middle one. */
    private void assertFlat() {
        List<String> grew = new ArrayList<>();
        Map<Long, List<Sample>> byProcess = new HashMap<>();
        samples.forEach(sample -> byProcess.computeIfAbsent(sample.pid(), ignored -> new ArrayList<>()).add(sample));
        for (List<Sample> process : byProcess.values()) {
            if (process.size() < 3) {
                continue; // a process sampled too seldom to have a warmed-up sample and a later one
            }
            // The baseline is the middle sample: pools and caches fill in the first half; a leak goes on growing.
            Sample first = process.get(process.size() / 2);
            Sample last = process.get(process.size() - 1);
            check(grew, last, "heap after GC", first.heapAfterGc(), last.heapAfterGc(), HEAP_GROWTH_BYTES);
            check(grew, last, "RSS", first.rss(), last.rss(), RSS_GROWTH_BYTES);
            check(grew, last, "threads", first.threads(), last.threads(), THREAD_GROWTH);
            check(grew, last, "file descriptors", first.fds(), last.fds(), FD_GROWTH);
        }
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        check(grew, last, "Redis keys", first.redisKeys(), last.redisKeys(), REDIS_KEY_GROWTH);
        assertEquals(0, last.unannouncedDecisions(), "decisions still waiting for their announcement at the end");
        assertTrue(grew.isEmpty(), String.join("\n", grew));
        assertTrue(byProcess.values().stream().anyMatch(process -> process.size() >= 3),
                "at least one replica process was sampled three times");
    }

    private static void check(List<String> grew, Sample at, String what, long first, long last, long allowed) {
        if (last - first > allowed) {
            grew.add(at.replica() + ": " + what + " grew from " + first + " to " + last + " (allowed " + allowed + ")");
        }
    }

    private String report() {
        return "SOAK minutes=" + MINUTES + " messages=" + acknowledged.values().stream().mapToInt(List::size).sum()
                + " decisions=" + decided.size() + " failed-operations=" + failedOperations.get()
                + " replica-restarts=" + restarts.get() + "\n" + table();
    }

    private String table() {
        StringBuilder table = new StringBuilder(
                "second\treplica\tpid\theap_after_gc_mib\trss_mib\tthreads\tfds\tredis_keys\tunannounced\tlogin_failure_rows\n");
        for (Sample s : samples) {
            table.append(s.second()).append('\t').append(s.replica()).append('\t').append(s.pid()).append('\t')
                    .append(s.heapAfterGc() >> 20).append('\t').append(s.rss() >> 20).append('\t')
                    .append(s.threads()).append('\t').append(s.fds()).append('\t').append(s.redisKeys()).append('\t')
                    .append(s.unannouncedDecisions()).append('\t').append(s.loginFailureRows()).append('\n');
        }
        return table.toString();
    }
}
