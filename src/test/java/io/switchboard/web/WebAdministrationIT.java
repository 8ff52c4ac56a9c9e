package io.switchboard.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.switchboard.mcp.McpHub;
import io.switchboard.testing.McpWire;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.MutedLogger;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.Replica;
import io.switchboard.testing.ReplicaCluster;
import io.switchboard.testing.UsedCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The page as the whole product for people, on two replicas (src/test/js/web-admin.mjs drives
 * Debian's Chromium by the accessible names of docs/api.md §9 "The web page"): the first admin
 * creates a person and an agent's API key in the page; the key works on McpHub (this test is the agent, with the official
 * Java client, on the other replica); the approver sees which key proposed the change; the admin
 * revokes the key and the agent's connection closes; the admin and the new person, each on a replica
 * of their own, see each other Online until the person closes the tab. Writes the screenshots in
 * docs/screenshots (sign-in, chat with presence, approvals, admin), so the docs show the page as it is.
 */
class WebAdministrationIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("switchboard.test.chromium", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of("docs", "screenshots");
    private static final Duration STEP = Duration.ofSeconds(60);
    /** The contract: a revoked key's connections close within 2 s; generous for a shared machine. */
    private static final Duration REVOKED_WITHIN = Duration.ofSeconds(10);
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "it-only-admin-password";
    private static final String PERSON_PASSWORD = "dana-it-password";

    @Test
    void anAdminRunsSwitchboardFromThePageAlone() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: .ci/services installs Debian's chromium");
        UsedCredentials.remember(ADMIN_PASSWORD);
        UsedCredentials.remember(PERSON_PASSWORD);
        Map<String, String> accounts = Map.of(
                "SMALLRYE_JWT_SIGN_KEY_LOCATION",
                Path.of("src/test/resources/keys/test-only-jwt-private.pem").toAbsolutePath().toString(),
                "SWITCHBOARD_BOOTSTRAP_ADMIN_USERNAME", ADMIN,
                "SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "SWITCHBOARD_BOOTSTRAP_ADMIN_TENANT", "dev");
        try (ReplicaCluster cluster = ReplicaCluster.start("web", 2, accounts)) {
            administerFromThePage(cluster.replica(1), cluster.replica(2));
        }
        for (String screenshot : List.of("web-sign-in.png", "web-chat.png", "web-chat-phone.png", "web-approvals.png",
                "web-admin.png")) {
            assertTrue(Files.size(SCREENSHOTS.resolve(screenshot)) > 10_000, screenshot + " was taken");
        }
    }

    private static void administerFromThePage(Replica first, Replica second) throws Exception {
        // A key that expires before the admin opens the Admin tab, made the way a script would.
        String adminToken = given().baseUri(first.base().toString()).contentType(ContentType.JSON)
                .body(Map.of("username", ADMIN, "password", ADMIN_PASSWORD))
                .post("/api/auth/login").then().statusCode(200).extract().path("accessToken");
        given().baseUri(first.base().toString()).auth().oauth2(UsedCredentials.remember(adminToken))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "nightly import", "expiresAt", java.time.Instant.now().plusSeconds(2).toString()))
                .post("/api/api-keys").then().statusCode(201);
        String keyName = "invoice bot";
        String toolName = "update_invoice_amount";
        try (NodeScript browser = NodeScript.start("web-admin.mjs", Map.ofEntries(
                Map.entry("CHROMIUM", CHROMIUM.toString()),
                Map.entry("ADMIN_URL", first.base().resolve("/").toString()),
                Map.entry("PERSON_URL", second.base().resolve("/").toString()),
                Map.entry("ADMIN_USERNAME", ADMIN),
                Map.entry("ADMIN_PASSWORD", ADMIN_PASSWORD),
                // The first admin's display name is their username.
                Map.entry("ADMIN_NAME", ADMIN),
                Map.entry("PERSON_USERNAME", "dana-" + UUID.randomUUID().toString().substring(0, 6)),
                Map.entry("PERSON_PASSWORD", PERSON_PASSWORD),
                Map.entry("PERSON_NAME", "Dana Approver"),
                Map.entry("KEY_NAME", keyName),
                Map.entry("EXPIRED_KEY_NAME", "nightly import"),
                Map.entry("WORKFLOW_ID", "invoice-run"),
                Map.entry("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString())))) {
            String key = UsedCredentials.remember(browser.next("key-created", STEP).path("key").asText());

            // The key the page showed works for an agent, on the other replica: on /mcp, and on McpHub.
            McpWire mcp = McpWire.withApiKey(second.base(), key);
            String mcpSession = mcp.initialize("2025-11-25");
            CountDownLatch closed = new CountDownLatch(1);
            try (MutedLogger muted = MutedLogger.mute(MutedLogger.JAVA_CLIENT);
                 HubClient agent = HubClient.connect(second.base(), McpHub.PATH, key)) {
                agent.connection().onClosed(error -> closed.countDown());
                String change = given().baseUri(second.base().toString()).header("X-Api-Key", key)
                        .contentType(ContentType.JSON)
                        .body(Map.of("toolName", toolName, "diff", Map.of("operation", "UPDATE", "entityType", "Invoice",
                                "entityId", "inv-42", "before", Map.of("amount", 100), "after", Map.of("amount", 250))))
                        .post("/api/pending-changes").then().statusCode(201).extract().path("id");
                agent.invokeVoid("SubscribeToPendingChange", change);
                browser.send("{\"toolName\":\"" + toolName + "\"}");
                browser.next("proposal-seen", STEP);

                browser.next("revoked", STEP);
                assertTrue(closed.await(REVOKED_WITHIN.toMillis(), TimeUnit.MILLISECONDS),
                        "the agent's connection closed once the admin revoked its key in the page");
            }
            given().baseUri(second.base().toString()).header("X-Api-Key", key)
                    .get("/api/pending-changes/{id}", UUID.randomUUID().toString()).then().statusCode(401);
            assertEquals(401, mcp.post(mcpSession, Map.of("jsonrpc", "2.0", "id", 1, "method", "ping")).statusCode(),
                    "the revoked key's MCP session is refused");

            browser.next("presence-seen", STEP);
            browser.next("tab-closed", STEP);
            browser.next("done", STEP);
            browser.awaitSuccess(STEP);
        }
    }
}
