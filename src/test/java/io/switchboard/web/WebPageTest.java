package io.switchboard.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.switchboard.account.Accounts;
import io.switchboard.mcp.McpHub;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.TcpProxy;
import io.switchboard.testing.TestAgents;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The page at {@code /} in Debian's Chromium, driven by playwright-core through the accessible names
 * of docs/api.md §9 "The web page" ({@code src/test/js/web-page.mjs}). This test owns what the browser
 * cannot: the agent (the official Java client with an API key) that proposes changes and is pushed their
 * decisions, and the TCP proxy between the approver's browser and the service, which it cuts.
 * Screenshots of the chat and approvals pages go to {@code target/screenshots} on every run.
 * A test that needs the page joins its profile ({@link WithThePage}).
 */
@QuarkusTest
@TestProfile(WebPageTest.WithThePage.class)
class WebPageTest {

    /**
     * The only tests with the page: Quinoa runs vite at every start of a profile that has it, so the
     * others leave it out.
     */
    public static class WithThePage implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.quinoa", "true");
        }
    }

    private static final Path CHROMIUM = Path.of(System.getProperty("switchboard.test.chromium", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URI base;

    @Test
    void twoPeopleChatAndTheApproverDecidesWhatAnAgentProposes() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: .ci/services installs Debian's chromium");
        String tenant = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String alice = Accounts.username("alice");
        String bob = Accounts.username("bob");
        String aliceId = Accounts.createAccount(tenant, alice, "Alice Approver", List.of("approver"));
        Accounts.createAccount(tenant, bob, "Bob Builder", List.of());
        String workflow = "release-" + UUID.randomUUID().toString().substring(0, 6);
        String apiKey = TestAgents.created(tenant, "invoice bot").key();

        try (TcpProxy proxy = TcpProxy.start(base.getPort());
             HubClient agent = HubClient.connect(base, McpHub.PATH, apiKey);
             NodeScript browser = NodeScript.start("web-page.mjs", Map.ofEntries(
                     Map.entry("CHROMIUM", CHROMIUM.toString()),
                     Map.entry("APPROVER_URL", proxy.uri("/").toString()),
                     Map.entry("USER_URL", base.toString()),
                     Map.entry("APPROVER_USERNAME", alice),
                     Map.entry("USER_USERNAME", bob),
                     Map.entry("PASSWORD", Accounts.PASSWORD),
                     Map.entry("APPROVER_NAME", "Alice Approver"),
                     Map.entry("USER_NAME", "Bob Builder"),
                     Map.entry("AGENT_NAME", "invoice bot"),
                     Map.entry("WORKFLOW_ID", workflow),
                     Map.entry("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString())))) {
            browser.next("signed-in", STEP);
            browser.next("approvals-open", STEP);

            String approved = propose(apiKey, agent, "update_invoice_amount");
            browser.send("{\"toolName\":\"update_invoice_amount\"}");
            browser.next("approved", STEP);
            Map<String, Object> approval = agent.next("PendingChangeApproved");
            assertEquals(approved, approval.get("pendingChangeId"));
            assertEquals(aliceId, approval.get("approvedBy"), "approved by the account that clicked Approve");

            String rejected = propose(apiKey, agent, "cancel_invoice");
            browser.send("{\"toolName\":\"cancel_invoice\"}");
            browser.next("rejected", STEP);
            Map<String, Object> rejection = agent.next("PendingChangeRejected");
            assertEquals(rejected, rejection.get("pendingChangeId"));
            assertEquals("Too risky on a Friday", rejection.get("reason"));

            browser.next("reloaded", STEP);
            browser.next("cut-me", STEP);
            // New connections wait, unforwarded, and every open one is reset: the service is unreachable.
            proxy.hold();
            proxy.severAll();
            browser.send("{\"cut\":true}");
            browser.next("reconnecting", STEP);
            proxy.resume();
            browser.send("{\"resumed\":true}");
            browser.next("done", RECOVERY);
            browser.awaitSuccess(STEP);
        }
        for (String screenshot : List.of("chat.png", "chat-phone.png", "approvals.png")) {
            assertTrue(Files.size(SCREENSHOTS.resolve(screenshot)) > 10_000, screenshot + " was taken");
        }
    }

    /** The agent proposes an invoice change over REST and subscribes to its decision on McpHub. */
    private static String propose(String apiKey, HubClient agent, String toolName) {
        String id = given().header("X-Api-Key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("toolName", toolName, "diff", Map.of(
                        "operation", "UPDATE", "entityType", "Invoice", "entityId", "inv-42",
                        "before", Map.of("amount", 100, "currency", "EUR", "customer", Map.of("name", "ACME")),
                        "after", Map.of("amount", 250, "currency", "EUR", "customer", Map.of("name", "ACME GmbH")))))
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
        agent.invokeVoid("SubscribeToPendingChange", id);
        return id;
    }
}
