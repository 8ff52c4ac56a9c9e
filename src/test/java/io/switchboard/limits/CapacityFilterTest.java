package io.switchboard.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.switchboard.signalr.server.ProblemJsonRenderer;
import io.switchboard.signalr.transport.RefusalResponses;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Past capacity, REST and negotiate are refused at once with 503 and Retry-After, and the work
 * already in progress is unaffected; places free up as responses end.
 */
class CapacityFilterTest {

    private Vertx vertx;
    private HttpServer server;
    private Capacity capacity;
    private final List<RoutingContext> held = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        LimitsConfig limits = new SmallRyeConfigBuilder().withMapping(LimitsConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("switchboard.limits.max-in-progress", "2"), "test", 500))
                .build().getConfigMapping(LimitsConfig.class);
        capacity = new Capacity(limits, OptionalInt.empty(), new SimpleMeterRegistry());
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new CapacityFilter(capacity, new RefusalResponses(new ProblemJsonRenderer())).register(router);
        // Stands in for endpoints that take their time: the test ends their responses itself.
        router.route("/api/slow").handler(held::add);
        router.route("/hubs/chat/negotiate").handler(context -> context.response().end("{}"));
        router.route("/api/fast").handler(context -> context.response().end("ok"));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + server.actualPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHeld(int count) throws InterruptedException {
        for (int i = 0; i < 100 && held.size() < count; i++) {
            Thread.sleep(20);
        }
        assertEquals(count, held.size());
    }

    @Test
    void pastCapacityRestAndNegotiateAre503WithRetryAfterAndPlacesFreeUpAsResponsesEnd() throws Exception {
        CompletableFuture<HttpResponse<String>> first = get("/api/slow");
        CompletableFuture<HttpResponse<String>> second = get("/api/slow");
        awaitHeld(2);

        for (String path : List.of("/api/fast", "/hubs/chat/negotiate")) {
            HttpResponse<String> refused = get(path).get(5, TimeUnit.SECONDS);
            assertEquals(503, refused.statusCode(), path);
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(null));
            assertTrue(refused.body().contains("\"status\":503"), refused.body());
        }

        held.get(0).response().end("done");
        HttpResponse<?> oneOfThem = (HttpResponse<?>) CompletableFuture.anyOf(first, second).get(5, TimeUnit.SECONDS);
        assertEquals(200, oneOfThem.statusCode(), "accepted work is not disturbed");
        assertEquals(200, get("/api/fast").get(5, TimeUnit.SECONDS).statusCode(), "a place freed up");

        held.get(1).response().end("done");
        assertEquals(200, first.get(5, TimeUnit.SECONDS).statusCode());
        assertEquals(200, second.get(5, TimeUnit.SECONDS).statusCode());
        for (int i = 0; i < 100 && capacity.inProgress() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, capacity.inProgress());
    }

    @Test
    void aClientThatLeavesGivesItsPlaceBack() throws Exception {
        CompletableFuture<HttpResponse<String>> leaving = get("/api/slow");
        awaitHeld(1);
        held.get(0).request().connection().close();
        for (int i = 0; i < 100 && capacity.inProgress() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, capacity.inProgress());
        leaving.handle((response, error) -> null).get(5, TimeUnit.SECONDS);
    }

    @Test
    void hubInvocationsCountAgainstCapacityButAreNeverRefused() throws Exception {
        CapacityHubFilter invocations = new CapacityHubFilter(capacity);
        // Three invocations at once on a capacity of 2: accepted work may go past the limit.
        int whileRunning = (int) invocations.invoke(null, () -> invocations.invoke(null, () -> invocations.invoke(null,
                () -> {
                    assertEquals(3, capacity.inProgress());
                    return get("/api/fast").get(5, TimeUnit.SECONDS).statusCode();
                })));
        assertEquals(503, whileRunning);
        assertThrows(IllegalStateException.class, () -> invocations.invoke(null, () -> {
            throw new IllegalStateException("a failed invocation gives its place back too");
        }));
        assertEquals(0, capacity.inProgress());
        assertEquals(200, get("/api/fast").get(5, TimeUnit.SECONDS).statusCode());
    }
}
