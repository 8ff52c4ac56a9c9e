package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Approve → push. N agents connect to the last replica and subscribe, each to its own pending changes;
 * approvals go to the first replica over REST at a fixed rate (open loop: a request is started on
 * schedule whether or not earlier ones have answered). Per approval: request start → push at the
 * agent, and the approve round trip, after {@code warmUpSeconds} of approvals at the same rate. With
 * two replicas every push crosses the Redis backplane. A push
 * that has not arrived 5 s after the last approval is lost.
 */
final class PushScenario {
    private final Bench bench;
    private final int agents;
    private final int rate;
    private final int seconds;
    private final int warmUpSeconds;

    PushScenario(Bench bench, int agents, int rate, int seconds, int warmUpSeconds) {
        this.bench = bench;
        this.agents = agents;
        this.rate = rate;
        this.seconds = seconds;
        this.warmUpSeconds = warmUpSeconds;
    }

    JsonObject run() {
        URI decider = bench.replicas.get(0);
        URI agentReplica = bench.replicas.get(bench.replicas.size() - 1);
        // the JIT compiles the approve path during the warm-up: without one, the figures are the compiler's
        int warmUp = Math.max(rate * warmUpSeconds, 20);
        int measured = rate * seconds;
        int total = warmUp + measured;
        String[] failure = new String[1];

        long createStart = System.nanoTime();
        String[] ids = new String[total];
        int created = Bench.await(bench.bounded(total, 16, i -> bench.retryingWhileUnavailable(() -> bench.rest
                .post(decider, "/api/pending-changes", "X-Api-Key", bench.apiKey,
                        "{\"toolName\":\"bench\",\"description\":\"bench " + i + "\",\"diff\":{\"operation\":\"UPDATE\",\"entityType\":\"Row\",\"entityId\":\"" + i + "\",\"before\":{\"v\":1},\"after\":{\"v\":2}}}"))
                .map(r -> {
                    if (r.status() != 201) {
                        throw new IllegalStateException("create answered " + r.status() + ": " + r.body());
                    }
                    ids[i] = Json.string(r.body(), "id");
                    return r;
                }), failure), Duration.ofSeconds(300));
        double createSeconds = (System.nanoTime() - createStart) / 1e9;
        if (created != total) {
            throw new IllegalStateException("created " + created + " of " + total + " changes: " + failure[0]);
        }
        changeIds = ids;

        Map<String, Long> pushedAt = new ConcurrentHashMap<>();
        HubClient.Listener listener = (client, target, record, at) -> {
            if ("PendingChangeApproved".equals(target)) {
                String id = Json.string(record, "pendingChangeId");
                if (id != null) {
                    pushedAt.putIfAbsent(id, at);
                }
            }
        };
        // agent a holds changes a, a + agents, a + 2 * agents, ...
        Machine.Reading connectFrom = bench.machine.read();
        long connectStart = System.nanoTime();
        int subscribed = Bench.await(bench.bounded(agents, 64, a -> bench.connect(agentReplica, "/hubs/mcp", bench.apiKey, listener)
                .compose(client -> {
                    List<Future<String>> subscriptions = new ArrayList<>();
                    for (int c = a; c < total; c += agents) {
                        subscriptions.add(client.invoke("SubscribeToPendingChange", Json.quote(ids[c])));
                    }
                    return Future.all(subscriptions);
                }), failure), Duration.ofSeconds(300));
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        JsonObject connectCpu = Machine.cpu(connectFrom, bench.machine.read());
        if (subscribed != agents) {
            throw new IllegalStateException(subscribed + " of " + agents + " agents connected and subscribed: " + failure[0]);
        }

        Latencies toPush = new Latencies();
        Latencies roundTrip = new Latencies();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long[] started = new long[total];
        boolean[] approved = new boolean[total];
        approveAtRate(0, warmUp, started, approved, null, refused, errors);
        waitFor(() -> answered(approved, 0, warmUp, pushedAt, ids), 10_000);
        refused.set(0);
        errors.set(0);
        Machine.Reading from = bench.machine.read();
        approveAtRate(warmUp, total, started, approved, roundTrip, refused, errors);
        JsonObject cpu = Machine.cpu(from, bench.machine.read());
        waitFor(() -> answered(approved, warmUp, total, pushedAt, ids), 5_000);
        int lost = 0;
        int accepted = 0;
        for (int i = warmUp; i < total; i++) {
            if (approved[i]) {
                accepted++;
                Long at = pushedAt.get(ids[i]);
                if (at == null) {
                    lost++;
                } else {
                    toPush.add(at - started[i]);
                }
            }
        }
        bench.closeAll();
        return new JsonObject().put("scenario", "push").put("replicas", bench.replicas.size())
                .put("agents", agents).put("rate_per_s", rate).put("seconds", seconds).put("warm_up_approvals", warmUp)
                .put("setup", new JsonObject().put("changes_created_per_s", Math.round(total / createSeconds))
                        .put("agents_connected_and_subscribed_per_s", Math.round(agents / connectSeconds))
                        .put("cpu_while_connecting", connectCpu))
                .put("approvals", measured).put("accepted", accepted).put("refused_503", refused.get())
                .put("errors", errors.get()).put("lost_pushes", lost)
                .put("request_to_push", toPush.json()).put("approve_round_trip", roundTrip.json()).put("cpu", cpu);
    }

    /** Starts approvals [from, to) on schedule, rate per second, and waits for their answers (bounded). */
    private void approveAtRate(int from, int to, long[] started, boolean[] approved, Latencies roundTrip,
                               AtomicInteger refused, AtomicInteger errors) {
        AtomicInteger answered = new AtomicInteger();
        long begin = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        int[] next = {from};
        io.vertx.core.Promise<Void> allSent = io.vertx.core.Promise.promise();
        long timer = bench.vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] < to && begin + (next[0] - from) * periodNanos <= now) {
                int i = next[0]++;
                started[i] = System.nanoTime();
                bench.rest.post(bench.replicas.get(0), "/api/pending-changes/" + idOf(i) + "/approve", "Authorization",
                        Rest.bearer(bench.approverToken), "{}").onComplete(r -> {
                    long end = System.nanoTime();
                    if (r.succeeded() && r.result().status() == 200) {
                        approved[i] = true;
                        if (roundTrip != null) {
                            roundTrip.add(end - started[i]);
                        }
                    } else if (r.succeeded() && r.result().status() == 503) {
                        refused.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                    answered.incrementAndGet();
                });
            }
            if (next[0] == to) {
                allSent.tryComplete();
            }
        });
        Bench.await(allSent.future(), Duration.ofSeconds((to - from) / rate + 60L));
        bench.vertx.cancelTimer(timer);
        waitFor(() -> answered.get() == to - from, 30_000);
    }

    private String[] changeIds;

    private String idOf(int i) {
        return changeIds[i];
    }

    private static boolean answered(boolean[] approved, int from, int to, Map<String, Long> pushedAt, String[] ids) {
        for (int i = from; i < to; i++) {
            if (approved[i] && !pushedAt.containsKey(ids[i])) {
                return false;
            }
        }
        return true;
    }

    static void waitFor(java.util.function.BooleanSupplier condition, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Bench.sleep(20);
        }
    }
}
