package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What every scenario shares: the Vert.x instance, the HTTP and WebSocket clients, the replicas'
 * addresses, the tenant's credentials and the machine readings. Scenarios run one after another on
 * the main thread, which only waits; all I/O runs on the driver's event loop.
 */
final class Bench implements AutoCloseable {
    final Vertx vertx;
    final Rest rest;
    final WebSocketClient sockets;
    final List<URI> replicas;
    final List<URI> metrics;
    final Machine machine;
    final Tokens tokens;
    final String tenant;
    final Set<HubClient> open = ConcurrentHashMap.newKeySet();
    String apiKey;
    String approverToken;

    /** {@code httpConnections} bounds the REST requests in flight (the rest wait in the client). */
    Bench(Vertx vertx, List<URI> replicas, List<URI> metrics, Machine machine, Tokens tokens, String tenant,
          int httpConnections) {
        this.vertx = vertx;
        this.replicas = replicas;
        this.metrics = metrics;
        this.machine = machine;
        this.tokens = tokens;
        this.tenant = tenant;
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(httpConnections).setMaxWaitQueueSize(-1));
        this.rest = new Rest(http);
        this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setConnectTimeout(10_000).setMaxMessageSize(4 * 1024 * 1024));
        vertx.setPeriodic(1000, id -> {
            long now = System.nanoTime();
            open.forEach(client -> client.keepAlive(now));
        });
    }

    /** An admin creates the tenant's API key for the agents; an approver's token approves. */
    void credentials() {
        String admin = tokens.token("bench-admin", List.of("admin"));
        Rest.Response created = await(rest.post(replicas.get(0), "/api/api-keys", "Authorization", Rest.bearer(admin),
                "{\"name\":\"bench\"}"), Duration.ofSeconds(30));
        if (created.status() != 201) {
            throw new IllegalStateException("creating an API key answered " + created.status() + ": " + created.body());
        }
        apiKey = Json.string(created.body(), "key");
        approverToken = tokens.token("bench-approver", List.of("approver"));
    }

    Future<HubClient> connect(URI replica, String hub, String token, HubClient.Listener listener) {
        return HubClient.connect(sockets, replica, hub, token, listener).onSuccess(open::add);
    }

    /**
     * Runs {@code count} asynchronous tasks with at most {@code concurrency} in flight; the future
     * holds how many succeeded. Failures are counted, the first is kept in {@code firstFailure}.
     */
    Future<Integer> bounded(int count, int concurrency, IntFunction<Future<?>> task, String[] firstFailure) {
        Promise<Integer> done = Promise.promise();
        int[] next = {0};
        int[] finished = {0};
        int[] succeeded = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (next[0] < count && next[0] - finished[0] < concurrency) {
                int i = next[0]++;
                Future<?> f;
                try {
                    f = task.apply(i);
                } catch (RuntimeException e) {
                    f = Future.failedFuture(e);
                }
                f.onComplete(r -> {
                    finished[0]++;
                    if (r.succeeded()) {
                        succeeded[0]++;
                    } else if (firstFailure[0] == null) {
                        firstFailure[0] = String.valueOf(r.cause().getMessage());
                    }
                    if (finished[0] == count) {
                        done.complete(succeeded[0]);
                    } else {
                        pump[0].run();
                    }
                });
            }
        };
        if (count == 0) {
            return Future.succeededFuture(0);
        }
        vertx.runOnContext(v -> pump[0].run());
        return done.future();
    }

    /**
     * Sends {@code call} again one second after each {@code 503}, at most 30 times: set-up requests meet
     * a replica that was given a small capacity (its Retry-After is 1 s).
     */
    Future<Rest.Response> retryingWhileUnavailable(Supplier<Future<Rest.Response>> call) {
        return retryingWhileUnavailable(call, 30);
    }

    private Future<Rest.Response> retryingWhileUnavailable(Supplier<Future<Rest.Response>> call, int attemptsLeft) {
        return call.get().compose(response -> {
            if (response.status() != 503 || attemptsLeft <= 1) {
                return Future.succeededFuture(response);
            }
            Promise<Rest.Response> retried = Promise.promise();
            vertx.setTimer(1000, id -> retryingWhileUnavailable(call, attemptsLeft - 1).onComplete(retried));
            return retried.future();
        });
    }

    /** Closes every hub connection opened so far and waits for the closes (bounded). */
    void closeAll() {
        List<Future<Void>> closing = new ArrayList<>();
        open.forEach(client -> closing.add(client.close()));
        open.clear();
        try {
            Future.join(closing).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            // some did not confirm the close: the service's close timeout handles them
        }
    }

    /** The service's backplane counters summed over replicas (Prometheus text of the management port). */
    JsonObject backplane() {
        JsonObject out = new JsonObject();
        for (URI uri : metrics) {
            Rest.Response response;
            try {
                response = await(rest.send(io.vertx.core.http.HttpMethod.GET, uri, "/q/metrics", "Accept", "text/plain", null),
                        Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                continue;
            }
            for (String line : response.body().split("\n")) {
                if (line.startsWith("signalr_backplane_") && !line.startsWith("#")) {
                    String[] parts = line.split(" ");
                    String name = parts[0].replaceAll("\\{.*}", "");
                    if (name.endsWith("_total")) {
                        out.put(name, out.getDouble(name, 0.0) + Double.parseDouble(parts[parts.length - 1]));
                    }
                }
            }
        }
        return out;
    }

    static <T> T await(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closeAll();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
