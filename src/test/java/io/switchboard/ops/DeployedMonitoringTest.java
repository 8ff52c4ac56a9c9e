package io.switchboard.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the alert rules under deploy/ parse, and every Switchboard metric they
 * query is one the application exports on /q/metrics.
 */
@QuarkusTest
class DeployedMonitoringTest {

    private static final Path DASHBOARD = Path.of("deploy", "grafana", "switchboard-dashboard.json");
    private static final Path ALERTS = Path.of("deploy", "prometheus", "switchboard-alerts.yaml");
    private static final Pattern METRIC = Pattern.compile("\\b((?:signalr|switchboard|http_server)_[a-z_]+)\\b");

    /**
     * The backplane's metrics exist only on replicas that coordinate through Redis, which this test's
     * single replica does not: MultiReplicaIT checks them on Redis-backed replicas.
     */
    private static final String REDIS_ONLY = "signalr_backplane_";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource("/")
    URI base;

    @Test
    void theDashboardAndTheAlertsQueryOnlyMetricsTheApplicationExports() throws IOException {
        List<String> queries = new ArrayList<>();
        collectExpressions(new ObjectMapper().readTree(DASHBOARD.toFile()), queries);
        JsonNode rules = new YAMLMapper().readTree(ALERTS.toFile());
        assertEquals("PrometheusRule", rules.path("kind").asText());
        for (JsonNode group : rules.path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertFalse(rule.path("alert").asText().isEmpty(), rule::toString);
                queries.add(rule.path("expr").asText());
            }
        }
        assertTrue(queries.size() > 20, "queries found: " + queries.size());

        String exported = exportedAfterSomeTraffic();
        Set<String> missing = new TreeSet<>();
        for (String query : queries) {
            Matcher metric = METRIC.matcher(query);
            while (metric.find()) {
                String name = metric.group(1);
                boolean present = Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(exported).find();
                if (!present && !name.startsWith(REDIS_ONLY)) {
                    missing.add(name);
                }
            }
        }
        assertTrue(missing.isEmpty(), "queried but not exported: " + missing);
    }

    private String exportedAfterSomeTraffic() {
        given().get("/api/pending-changes/not-a-uuid").then().statusCode(401);
        try (HubClient client = HubClient.connect(base, "/hubs/chat", TestTokens.user("dashboard-user", "tenant-d"))) {
            client.invoke(Map.class, "SendMessage", "for the dashboard");
            client.next("ReceiveMessage");
            return given().get(metrics.toString()).then().statusCode(200).extract().asString();
        }
    }

    private static void collectExpressions(JsonNode node, List<String> queries) {
        if (node.isObject() && node.has("expr")) {
            queries.add(node.path("expr").asText());
        }
        node.forEach(child -> collectExpressions(child, queries));
    }
}
