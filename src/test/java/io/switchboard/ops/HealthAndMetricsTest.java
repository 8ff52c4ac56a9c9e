package io.switchboard.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.arc.All;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.signalr.server.HubFilter;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Probes and metrics on the management interface, not on the client port. */
@QuarkusTest
class HealthAndMetricsTest {

    // The management root path (/q) is already part of the injected URL.
    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource("/")
    URI base;

    @Inject
    @All
    List<HubFilter> hubFilters;

    @Test
    void livenessReadinessAndStartupAreUp() {
        given().get(health + "/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get(health + "/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get(health + "/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database connections health check")));
    }

    @Test
    void theOpenApiDocumentDescribesTheRestApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/pending-changes/{id}/approve"))
                .body(containsString("/api/api-keys"))
                .body(containsString("/api/workflows/{workflowId}/messages"));
    }

    @Test
    void readinessIncludesTheBackplaneAndTheShutdownState() {
        given().get(health + "/ready").then().statusCode(200)
                .body("checks.name", hasItem("Redis backplane"))
                .body("checks.name", hasItem("Hubs accepting connections"));
    }

    @Test
    void healthIsNotServedOnTheClientPort() {
        given().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void metricsCountConnectionsHandshakesInvocationsAndPushes() {
        try (HubClient client = HubClient.connect(base, "/hubs/chat", TestTokens.user("metrics-user", "tenant-m"))) {
            client.invoke(Map.class, "SendMessage", "counted");
            client.next("ReceiveMessage");
            given().get(metrics.toString()).then().statusCode(200)
                    .body(containsString("signalr_connections{hub=\"chat\",transport=\"WebSockets\"}"))
                    .body(containsString("signalr_handshakes_total{hub=\"chat\",outcome=\"ok\"}"))
                    .body(containsString("signalr_invocations_total{hub=\"chat\",method=\"SendMessage\",outcome=\"ok\"}"))
                    .body(containsString("signalr_messages_pushed_total{hub=\"chat\"}"))
                    // A percentile histogram: buckets Prometheus can aggregate over replicas.
                    .body(containsString("signalr_push_latency_seconds_bucket{hub=\"chat\",le="))
                    .body(containsString("signalr_push_latency_seconds_count{hub=\"chat\"}"));
        }
    }

    @Test
    void hubFiltersRunInTheirPriorityOrderCapacityOutermost() {
        // The order the engine applies them in (HubRegistry takes the same @All list), the first outermost.
        assertEquals(List.of("CapacityHubFilter", "DatabaseOutageHubFilter"),
                hubFilters.stream().map(filter -> filter.getClass().getSimpleName().replace("_Subclass", "")).toList());
    }

    @Test
    void aFailedHandshakeIsCountedByOutcome() {
        try (RawHubSocket socket = RawHubSocket.open(base, "/hubs/chat", TestTokens.user("bad-handshake", "tenant-m"))) {
            socket.send("{\"protocol\":\"carrier-pigeon\",\"version\":1}" + RawHubSocket.RS);
            socket.next();
            given().get(metrics.toString()).then().statusCode(200)
                    .body(containsString("signalr_handshakes_total{hub=\"chat\",outcome=\"failed\"}"));
        }
    }

    @Test
    void metricsShowPendingChangesAndRestLatencyBuckets() {
        given().get("/api/pending-changes/not-a-uuid").then().statusCode(401);
        given().get(metrics.toString()).then().statusCode(200)
                .body(containsString("switchboard_pending_changes{status=\"Pending\"}"))
                .body(containsString("switchboard_pending_changes_transitions_total{status=\"Approved\"}"))
                .body(containsString("http_server_requests_seconds_bucket{"));
    }
}
