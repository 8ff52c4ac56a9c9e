package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The load driver of bench/run.sh (which starts the service and passes its addresses). Usage:
 *
 * <pre>
 * java -jar switchboard-bench.jar --replicas http://127.0.0.1:18081[,http://127.0.0.1:18082]
 *      --metrics http://127.0.0.1:19081[,...] --pids 1234[,5678] --private-key keys/test-only-jwt-private.pem
 *      --issuer https://switchboard.bench --out results.json [--scenarios push,connect,fanout,ack]
 *      [--push-agents 1000 --push-rate 200 --push-seconds 10 --push-warm-up-s 5] [--connect-count 5000 --connect-hold-s 10]
 *      [--fanout-members 1000 --fanout-senders 10 --fanout-rates 40,60,80,100 --fanout-step-s 5]
 *      [--ack-count 1000] [--mcp-agents 1000 --mcp-rate 200 --mcp-hold-s 0] [--http-connections 16] [--deadline-s 900] [--label text]
 * </pre>
 *
 * Exit code 0 when every scenario ran and nothing was lost, 1 otherwise, 3 past the deadline.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        int deadline = options.integer("deadline-s", 900);
        Thread watchdog = new Thread(() -> {
            Bench.sleep(deadline * 1000L);
            System.err.println("bench: deadline of " + deadline + " s reached, stopping");
            Runtime.getRuntime().halt(3);
        }, "deadline");
        watchdog.setDaemon(true);
        watchdog.start();

        List<URI> replicas = options.list("replicas", "http://127.0.0.1:8080").stream().map(URI::create).toList();
        List<URI> metrics = options.list("metrics", "").stream().map(URI::create).toList();
        List<Long> pids = options.list("pids", "").stream().map(Long::parseLong).toList();
        String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Tokens tokens = new Tokens(Path.of(options.required("private-key")), options.string("issuer", "https://switchboard.bench"), tenant);
        int httpConnections = options.integer("http-connections", 16);
        if (httpConnections < 1) {
            throw new IllegalArgumentException("--http-connections must be at least 1, got " + httpConnections);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        JsonArray results = new JsonArray();
        boolean clean = true;
        try (Bench bench = new Bench(vertx, replicas, metrics, new Machine(pids), tokens, tenant,
                httpConnections)) {
            bench.credentials();
            for (String scenario : options.list("scenarios", "push,connect,fanout,ack")) {
                System.err.println("bench: " + scenario + " ...");
                JsonObject result;
                try {
                    result = switch (scenario) {
                        case "push" -> new PushScenario(bench, options.integer("push-agents", 1000),
                                options.integer("push-rate", 200), options.integer("push-seconds", 10),
                                options.integer("push-warm-up-s", 5)).run();
                        case "connect" -> new ConnectScenario(bench, options.integer("connect-count", 5000),
                                options.integer("connect-hold-s", 10)).run();
                        case "fanout" -> new FanoutScenario(bench, options.integer("fanout-members", 1000),
                                options.integer("fanout-senders", 10), options.integers("fanout-rates", "40,60,80,100"),
                                options.integer("fanout-step-s", 5)).run();
                        case "ack" -> new AckScenario(bench, options.integer("ack-count", 1000)).run();
                        case "mcp" -> new McpWaitScenario(bench, options.integer("mcp-agents", 1000),
                                options.integer("mcp-rate", 200), options.integer("mcp-hold-s", 0)).run();
                        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                    };
                } catch (RuntimeException e) {
                    result = new JsonObject().put("scenario", scenario).put("error", String.valueOf(e.getMessage()));
                    bench.closeAll();
                }
                clean &= !result.containsKey("error") && result.getInteger("lost_pushes", 0) == 0
                        && result.getInteger("errors", 0) == 0;
                results.add(result);
            }
            JsonObject backplane = bench.backplane();
            clean &= backplane.getDouble("signalr_backplane_failed_total", 0.0) == 0
                    && backplane.getDouble("signalr_backplane_dropped_total", 0.0) == 0;
            JsonObject report = new JsonObject().put("label", options.string("label", ""))
                    .put("at", Instant.now().toString()).put("replicas", replicas.size())
                    .put("results", results).put("backplane", backplane);
            String out = options.string("out", "");
            if (!out.isEmpty()) {
                Path path = Path.of(out);
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                Files.writeString(path, report.encodePrettily() + "\n");
            }
            System.out.print(Report.table(report));
        }
        System.exit(clean ? 0 : 1);
    }
}
