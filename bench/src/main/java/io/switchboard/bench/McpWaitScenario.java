package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MCP agents waiting for decisions. N agents, each with an MCP session of its own on the last replica,
 * wait in one tool call each (event-stream answers): even agents in {@code propose_change}, odd ones in
 * {@code await_decision} on a change made over REST. Approvals then go to the first replica over REST
 * at a fixed rate (open loop). Per approval: approve answered → tool result at the agent, and the
 * approval's start → result. A result that has not arrived 5 s after the last approval is lost.
 *
 * <p>Memory per waiting call, two ways: the RSS of the replica holding the calls with every call
 * waiting, less its RSS before the sessions were made; and its live heap (after a full collection) with
 * every call waiting, less its live heap once the calls were answered and their connections closed.
 * A warm-up round of the same size runs first and is not counted, so that neither the code loaded and
 * compiled for the first calls nor the heap the young generation grows into for that much traffic is
 * charged to the calls. Each round has its own connections, closed at its end.
 */
final class McpWaitScenario {
    private final Bench bench;
    private final int agents;
    private final int rate;
    /** Seconds to hold still before each round and with every call waiting, so that a profiler or a heap
     *  histogram can look at the replica in both states (0 in a measuring run). */
    private final int holdSeconds;
    /** Tool calls answered 503 (the replica at capacity) and made again after Retry-After. */
    private final AtomicInteger busyAnswers = new AtomicInteger();

    McpWaitScenario(Bench bench, int agents, int rate, int holdSeconds) {
        this.bench = bench;
        this.agents = agents;
        this.rate = rate;
        this.holdSeconds = holdSeconds;
    }

    JsonObject run() {
        String[] keys = keys();
        int warmUp = agents;
        JsonObject warmedUp = round("mcp-warm-up-", warmUp, keys);
        JsonObject measured = round("mcp-bench-", agents, keys);
        return measured.put("warm_up", new JsonObject().put("agents", warmUp)
                .put("lost_pushes", warmedUp.getInteger("lost_pushes")).put("errors", warmedUp.getInteger("errors"))
                // The first round also pays for the heap the young generation grows into: shown, not counted.
                .put("kib_per_waiting_call", warmedUp.getValue("kib_per_waiting_call")));
    }

    /** One round: {@code agents} sessions wait in a tool call each, then all are approved at the rate. */
    private JsonObject round(String prefix, int agents, String[] keys) {
        // One connection per waiting call: a Streamable HTTP answer holds its connection open.
        HttpClient http = bench.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(agents + 16).setMaxWaitQueueSize(-1));
        URI decider = bench.replicas.get(0);
        int agentReplicaIndex = bench.replicas.size() - 1;
        URI agentReplica = bench.replicas.get(agentReplicaIndex);
        String[] failure = new String[1];
        hold(prefix + ": before the sessions");
        long rssBefore = bench.machine.serviceRssKib(agentReplicaIndex);

        String[] sessions = new String[agents];
        int initialized = Bench.await(bench.bounded(agents, 32, a -> post(http, agentReplica, keys[a % keys.length], null,
                new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize").put("params",
                        new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
                                .put("clientInfo", new JsonObject().put("name", "bench").put("version", "1"))))
                .map(session -> sessions[a] = session), failure), Duration.ofSeconds(120));
        if (initialized != agents) {
            throw new IllegalStateException(initialized + " of " + agents + " MCP sessions made: " + failure[0]);
        }

        // Odd agents wait on a change made over REST; even ones propose theirs in the tool call.
        String[] ids = new String[agents];
        int created = Bench.await(bench.bounded(agents / 2, 16, k -> {
            int a = 2 * k + 1;
            return bench.retryingWhileUnavailable(() -> bench.rest.post(decider, "/api/pending-changes", "X-Api-Key",
                            keys[a % keys.length], change(prefix + a)))
                    .map(r -> ids[a] = Json.string(r.body(), "id"));
        }, failure), Duration.ofSeconds(120));
        if (created != agents / 2) {
            throw new IllegalStateException("created " + created + " of " + agents / 2 + " changes: " + failure[0]);
        }

        Map<String, Long> resultAt = new ConcurrentHashMap<>();
        Map<String, String> resultStatus = new ConcurrentHashMap<>();
        AtomicInteger waitingStreams = new AtomicInteger();
        for (int a = 0; a < agents; a++) {
            int agent = a;
            JsonObject arguments = agent % 2 == 1
                    ? new JsonObject().put("pendingChangeId", ids[agent]).put("waitSeconds", 300)
                    : new JsonObject(change(prefix + agent)).put("waitSeconds", 300);
            String tool = agent % 2 == 1 ? "await_decision" : "propose_change";
            String toolName = prefix + agent;
            callStreaming(http, agentReplica, keys[agent % keys.length], sessions[agent], tool, arguments, waitingStreams,
                    result -> {
                        resultAt.putIfAbsent(toolName, System.nanoTime());
                        resultStatus.put(toolName, result.getJsonObject("structuredContent", new JsonObject())
                                .getString("status", "?"));
                    });
        }
        PushScenario.waitFor(() -> waitingStreams.get() == agents, 60_000);
        // The proposals of the even agents, found by their tool names (the tool call answers only at the decision).
        PushScenario.waitFor(() -> pendingIds(decider, prefix, ids) == agents, 60_000);
        Bench.sleep(500);
        long rssWaiting = bench.machine.serviceRssKib(agentReplicaIndex);
        hold(prefix + ": every call waiting");
        long liveWaiting = bench.machine.liveHeapKib(agentReplicaIndex);

        Latencies fromResponse = new Latencies();
        Latencies fromRequest = new Latencies();
        long[] started = new long[agents];
        long[] answered = new long[agents];
        AtomicInteger errors = new AtomicInteger();
        Machine.Reading from = bench.machine.read();
        approveAtRate(decider, agents, ids, started, answered, errors);
        JsonObject cpu = Machine.cpu(from, bench.machine.read());
        PushScenario.waitFor(() -> resultAt.size() >= agents - errors.get(), 5_000);
        int lost = 0;
        int notApproved = 0;
        for (int a = 0; a < agents; a++) {
            if (answered[a] == 0) {
                continue;
            }
            Long at = resultAt.get(prefix + a);
            if (at == null) {
                lost++;
                continue;
            }
            if (!"Approved".equals(resultStatus.get(prefix + a))) {
                notApproved++;
            }
            fromResponse.add(Math.max(0, at - answered[a]));
            fromRequest.add(at - started[a]);
        }
        Bench.await(http.close(), Duration.ofSeconds(30));
        Bench.sleep(1000);
        long liveAnswered = bench.machine.liveHeapKib(agentReplicaIndex);
        Double liveKibPerCall = liveWaiting < 0 || liveAnswered < 0 ? null
                : Math.round((liveWaiting - liveAnswered) * 10.0 / agents) / 10.0;
        return new JsonObject().put("scenario", "mcp").put("replicas", bench.replicas.size())
                .put("agents", agents).put("rate_per_s", rate).put("api_keys", keys.length)
                .put("agent_replica_rss_kib", new JsonObject().put("before", rssBefore).put("waiting", rssWaiting))
                .put("kib_per_waiting_call", Math.round((rssWaiting - rssBefore) * 10.0 / agents) / 10.0)
                .put("agent_replica_live_heap_kib", new JsonObject().put("waiting", liveWaiting).put("answered", liveAnswered))
                .put("live_heap_kib_per_waiting_call", liveKibPerCall)
                .put("approvals", agents).put("errors", errors.get() + notApproved).put("lost_pushes", lost)
                .put("tool_calls_answered_503_then_retried", busyAnswers.getAndSet(0))
                .put("approve_response_to_result", fromResponse.json())
                .put("approve_request_to_result", fromRequest.json()).put("cpu", cpu);
    }

    private void hold(String state) {
        if (holdSeconds > 0) {
            System.err.println("[mcp] holding " + holdSeconds + " s, " + state);
            Bench.sleep(holdSeconds * 1000L);
        }
    }

    /** Enough API keys that none holds more waiting calls than the default limit per key (1,000). */
    private String[] keys() {
        int count = Math.max(1, (agents + 999) / 1000);
        String[] keys = new String[count];
        keys[0] = bench.apiKey;
        String admin = bench.tokens.token("bench-admin", java.util.List.of("admin"));
        for (int k = 1; k < count; k++) {
            Rest.Response created = Bench.await(bench.rest.post(bench.replicas.get(0), "/api/api-keys", "Authorization",
                    Rest.bearer(admin), "{\"name\":\"bench-" + k + "\"}"), Duration.ofSeconds(30));
            keys[k] = Json.string(created.body(), "key");
        }
        return keys;
    }

    private static String change(String toolName) {
        return "{\"toolName\":\"" + toolName + "\",\"diff\":{\"operation\":\"UPDATE\",\"entityType\":\"Row\","
                + "\"entityId\":\"1\",\"before\":{\"v\":1},\"after\":{\"v\":2}}}";
    }

    /** Fills in the ids of the changes the even agents proposed; how many ids are known now. */
    private int pendingIds(URI decider, String prefix, String[] ids) {
        for (int page = 0; ; page++) {
            Rest.Response listed = Bench.await(bench.rest.send(HttpMethod.GET, decider,
                    "/api/pending-changes?status=Pending&size=100&page=" + page, "Authorization",
                    Rest.bearer(bench.approverToken), null), Duration.ofSeconds(30));
            JsonArray items = new JsonObject(listed.body()).getJsonArray("items");
            for (Object item : items) {
                JsonObject change = (JsonObject) item;
                String name = change.getString("toolName");
                if (name.startsWith(prefix)) {
                    ids[Integer.parseInt(name.substring(prefix.length()))] = change.getString("id");
                }
            }
            if (items.size() < 100) {
                break;
            }
        }
        int known = 0;
        for (String id : ids) {
            known += id == null ? 0 : 1;
        }
        return known;
    }

    private void approveAtRate(URI decider, int agents, String[] ids, long[] started, long[] answered,
                               AtomicInteger errors) {
        AtomicInteger done = new AtomicInteger();
        long begin = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        int[] next = {0};
        Promise<Void> allSent = Promise.promise();
        long timer = bench.vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] < agents && begin + next[0] * periodNanos <= now) {
                int a = next[0]++;
                started[a] = System.nanoTime();
                bench.rest.post(decider, "/api/pending-changes/" + ids[a] + "/approve", "Authorization",
                        Rest.bearer(bench.approverToken), "{}").onComplete(r -> {
                    if (r.succeeded() && r.result().status() == 200) {
                        answered[a] = System.nanoTime();
                    } else {
                        errors.incrementAndGet();
                    }
                    done.incrementAndGet();
                });
            }
            if (next[0] == agents) {
                allSent.tryComplete();
            }
        });
        Bench.await(allSent.future(), Duration.ofSeconds(agents / rate + 60L));
        bench.vertx.cancelTimer(timer);
        PushScenario.waitFor(() -> done.get() == agents, 30_000);
    }

    /** Initializes: the session id the answer's header names. */
    private Future<String> post(HttpClient http, URI replica, String key, String session, JsonObject message) {
        return http.request(options(replica, key, session))
                .compose(request -> request.send(Buffer.buffer(message.encode())))
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("initialize answered " + response.statusCode() + ": " + body);
                    }
                    return response.getHeader("Mcp-Session-Id");
                }));
    }

    /** A tools/call whose event-stream answer is read as it comes; {@code onResult} gets the result. */
    private void callStreaming(HttpClient http, URI replica, String key, String session, String tool, JsonObject arguments,
                               AtomicInteger waiting, java.util.function.Consumer<JsonObject> onResult) {
        JsonObject call = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
                .put("params", new JsonObject().put("name", tool).put("arguments", arguments));
        http.request(options(replica, key, session)).compose(request -> request.send(Buffer.buffer(call.encode())))
                .onSuccess(response -> {
                    if (response.statusCode() == 503) {
                        // At capacity: a client waits for Retry-After (1 s) and calls again.
                        busyAnswers.incrementAndGet();
                        response.body().onComplete(ignored -> bench.vertx.setTimer(1000, id ->
                                callStreaming(http, replica, key, session, tool, arguments, waiting, onResult)));
                        return;
                    }
                    waiting.incrementAndGet();
                    StringBuilder buffered = new StringBuilder();
                    response.handler(chunk -> {
                        buffered.append(chunk.toString());
                        int end;
                        while ((end = buffered.indexOf("\n\n")) >= 0) {
                            String event = buffered.substring(0, end);
                            buffered.delete(0, end + 2);
                            for (String line : event.split("\n")) {
                                if (line.startsWith("data: ")) {
                                    JsonObject message = new JsonObject(line.substring(6));
                                    if (message.containsKey("result")) {
                                        onResult.accept(message.getJsonObject("result"));
                                    }
                                }
                            }
                        }
                    });
                });
    }

    private static RequestOptions options(URI replica, String key, String session) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Api-Key", key)
                .add("Content-Type", "application/json").add("Accept", "application/json, text/event-stream");
        if (session != null) {
            headers.add("Mcp-Session-Id", session);
        }
        return new RequestOptions().setMethod(HttpMethod.POST).setHost(replica.getHost()).setPort(replica.getPort())
                .setURI("/mcp").setHeaders(headers);
    }
}
