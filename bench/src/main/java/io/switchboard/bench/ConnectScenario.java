package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;

/**
 * Idle connections: C agents open the WebSocket (negotiation skipped) and complete the handshake, 200
 * at a time; then they hold for H seconds with keep-alives only. Connect rate, the service's resident
 * memory before, connected and at the end, per connection, and its CPU while holding.
 */
final class ConnectScenario {
    private final Bench bench;
    private final int connections;
    private final int holdSeconds;

    ConnectScenario(Bench bench, int connections, int holdSeconds) {
        this.bench = bench;
        this.connections = connections;
        this.holdSeconds = holdSeconds;
    }

    JsonObject run() {
        URI replica = bench.replicas.get(bench.replicas.size() - 1);
        String[] failure = new String[1];
        long rssBefore = bench.machine.serviceRssKib();
        Machine.Reading from = bench.machine.read();
        long start = System.nanoTime();
        int connected = Bench.await(bench.bounded(connections, 200,
                i -> bench.connect(replica, "/hubs/mcp", bench.apiKey, (c, t, r, at) -> { }), failure), Duration.ofSeconds(300));
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonObject connectCpu = Machine.cpu(from, bench.machine.read());
        Bench.sleep(1000);
        long rssConnected = bench.machine.serviceRssKib();
        Machine.Reading holdFrom = bench.machine.read();
        Bench.sleep(holdSeconds * 1000L);
        JsonObject holdCpu = Machine.cpu(holdFrom, bench.machine.read());
        long rssEnd = bench.machine.serviceRssKib();
        long stillOpen = bench.open.stream().filter(c -> !c.closed).count();
        bench.closeAll();
        return new JsonObject().put("scenario", "connect").put("connections", connections).put("connected", connected)
                .put("first_failure", failure[0]).put("connects_per_s", Math.round(connected / seconds))
                .put("cpu_while_connecting", connectCpu).put("hold_seconds", holdSeconds).put("open_after_hold", stillOpen)
                .put("rss_kib", new JsonObject().put("before", rssBefore).put("connected", rssConnected).put("end", rssEnd))
                .put("kib_per_connection", connected == 0 ? null : Math.round((rssConnected - rssBefore) * 10.0 / connected) / 10.0)
                .put("cpu_holding", holdCpu);
    }
}
