package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat fan-out: M people (each their own user) join one workflow; S of them send at a total rate R
 * for a step of T seconds; every message reaches all M, senders included. The text carries the step
 * and the send time, so the latency of each delivery is exact. Steps run at the given rates in order
 * and stop at the first that does not hold (p99 ≥ 100 ms or a delivery missing); the answer is the
 * highest rate that held, in deliveries per second.
 */
final class FanoutScenario {
    private static final double P99_LIMIT_MS = 100;
    private final Bench bench;
    private final int members;
    private final int senders;
    private final List<Integer> rates;
    private final int stepSeconds;
    private volatile int step = -1;
    private volatile Latencies latencies = new Latencies();
    private final AtomicLong delivered = new AtomicLong();

    FanoutScenario(Bench bench, int members, int senders, List<Integer> rates, int stepSeconds) {
        this.bench = bench;
        this.members = members;
        this.senders = senders;
        this.rates = rates;
        this.stepSeconds = stepSeconds;
    }

    JsonObject run() {
        URI replica = bench.replicas.get(0);
        String workflow = "bench-fanout-" + System.nanoTime();
        String[] failure = new String[1];
        List<HubClient> clients = java.util.Collections.synchronizedList(new ArrayList<>());
        HubClient.Listener listener = (client, target, record, at) -> {
            if ("ReceiveMessage".equals(target)) {
                String content = Json.string(record, "content");
                // content: f:<step>:<sent nanoTime>
                if (content != null && content.startsWith("f:")) {
                    int colon = content.indexOf(':', 2);
                    if (Integer.parseInt(content, 2, colon, 10) == step) {
                        latencies.add(at - Long.parseLong(content, colon + 1, content.length(), 10));
                        delivered.incrementAndGet();
                    }
                }
            }
        };
        long joinStart = System.nanoTime();
        int joined = Bench.await(bench.bounded(members, 50, i -> bench.connect(replica, "/hubs/chat",
                bench.tokens.token("bench-member-" + i, List.of()), listener)
                .compose(client -> client.invoke("JoinWorkflow", Json.quote(workflow)).map(ok -> clients.add(client))), failure),
                Duration.ofSeconds(300));
        double joinSeconds = (System.nanoTime() - joinStart) / 1e9;
        if (joined != members) {
            throw new IllegalStateException(joined + " of " + members + " members joined: " + failure[0]);
        }
        Bench.sleep(2000); // the UserJoined announcements settle
        JsonObject result = new JsonObject().put("scenario", "fanout").put("members", members).put("senders", senders)
                .put("joined_per_s", Math.round(members / joinSeconds));
        io.vertx.core.json.JsonArray steps = new io.vertx.core.json.JsonArray();
        Integer best = null;
        for (int s = 0; s < rates.size(); s++) {
            int rate = rates.get(s);
            latencies = new Latencies();
            delivered.set(0);
            step = s;
            Machine.Reading from = bench.machine.read();
            int sent = send(clients.subList(0, senders), s, rate);
            JsonObject cpu = Machine.cpu(from, bench.machine.read());
            long expected = (long) sent * members;
            PushScenario.waitFor(() -> delivered.get() >= expected, 5_000);
            Latencies stepLatencies = latencies;
            boolean held = delivered.get() >= expected && stepLatencies.millis(0.99) < P99_LIMIT_MS;
            steps.add(new JsonObject().put("messages_per_s", rate).put("sent", sent).put("deliveries_expected", expected)
                    .put("delivered", delivered.get()).put("deliveries_per_s", (long) rate * members)
                    .put("latency", stepLatencies.json()).put("cpu", cpu).put("held", held));
            if (!held) {
                break;
            }
            best = rate * members;
            Bench.sleep(1000);
        }
        bench.closeAll();
        return result.put("steps", steps).put("best_deliveries_per_s", best);
    }

    /** Sends at {@code rate} messages per second in total, spread round-robin over the senders. */
    private int send(List<HubClient> from, int stepIndex, int rate) {
        int total = rate * stepSeconds;
        long periodNanos = 1_000_000_000L / rate;
        long begin = System.nanoTime();
        int[] next = {0};
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        long timer = bench.vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] < total && begin + next[0] * periodNanos <= now) {
                HubClient sender = from.get(next[0] % from.size());
                sender.invoke("SendMessage", Json.quote("f:" + stepIndex + ":" + System.nanoTime()));
                next[0]++;
            }
            if (next[0] == total) {
                done.tryComplete();
            }
        });
        Bench.await(done.future(), Duration.ofSeconds(stepSeconds + 30L));
        bench.vertx.cancelTimer(timer);
        return total;
    }
}
