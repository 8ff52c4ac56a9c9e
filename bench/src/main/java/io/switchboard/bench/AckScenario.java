package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * SendMessage acknowledgement: one person alone in a workflow sends N messages one after another
 * (after a warm-up); each round trip includes storing the message in PostgreSQL and the
 * ReceiveMessage that precedes the Completion.
 */
final class AckScenario {
    private final Bench bench;
    private final int count;

    AckScenario(Bench bench, int count) {
        this.bench = bench;
        this.count = count;
    }

    JsonObject run() {
        HubClient client = Bench.await(bench.connect(bench.replicas.get(0), "/hubs/chat",
                bench.tokens.token("bench-acker", List.of()), (c, t, r, at) -> { }), Duration.ofSeconds(30));
        Bench.await(client.invoke("JoinWorkflow", Json.quote("bench-ack-" + System.nanoTime())), Duration.ofSeconds(30));
        int warmUp = Math.max(20, count / 5);
        for (int i = 0; i < warmUp; i++) {
            Bench.await(client.invoke("SendMessage", Json.quote("warm-up " + i)), Duration.ofSeconds(30));
        }
        Latencies latencies = new Latencies();
        Machine.Reading from = bench.machine.read();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Bench.await(client.invoke("SendMessage", Json.quote("message " + i)), Duration.ofSeconds(30));
            latencies.add(System.nanoTime() - start);
        }
        JsonObject cpu = Machine.cpu(from, bench.machine.read());
        bench.closeAll();
        return new JsonObject().put("scenario", "ack").put("messages", count).put("round_trip", latencies.json()).put("cpu", cpu);
    }
}
