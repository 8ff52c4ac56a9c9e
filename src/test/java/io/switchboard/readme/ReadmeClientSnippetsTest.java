package io.switchboard.readme;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reactivex.rxjava3.core.Single;
import io.restassured.http.ContentType;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.ReadmeSnippets;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The client snippets of README.md ("Use it from your client") run as written against the service:
 * the page's script under the official browser build of the JavaScript client, the Node one under
 * Node, the Java one as the region of this file that must equal the README's block.
 */
@QuarkusTest
class ReadmeClientSnippetsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Path SOURCE = ReadmeSnippets.ROOT.resolve(
            "src/test/java/io/switchboard/readme/ReadmeClientSnippetsTest.java");

    @TestHTTPResource("/")
    URI base;

    private static String tenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String propose(String apiKey) {
        return propose(apiKey, Map.of());
    }

    private static String propose(String apiKey, Map<String, Object> more) {
        Map<String, Object> proposal = new HashMap<>(Map.of("toolName", "update_invoice", "diff", Map.of(
                "operation", "UPDATE", "entityType", "Invoice", "entityId", "inv-42")));
        proposal.putAll(more);
        return given().header("X-Api-Key", apiKey).contentType(ContentType.JSON).body(proposal)
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
    }

    private static void approve(String tenant, String id) {
        given().auth().oauth2(TestAgents.approver(tenant)).contentType(ContentType.JSON)
                .body(Map.of("executionResult", Map.of("rows", 1)))
                .post("/api/pending-changes/{id}/approve", id).then().statusCode(200);
    }

    @Test
    void thePageSnippetChatsAndShowsAnApproverThePendingChanges() {
        String tenant = tenant();
        String approver = "page-" + UUID.randomUUID().toString().substring(0, 8);
        String script = ReadmeSnippets.moduleScript(ReadmeSnippets.block("browser"));
        try (NodeScript page = NodeScript.start("browser-page.mjs", Map.of(
                "PAGE_URL", base.toString(),
                "SCRIPT", script,
                "SESSION_STORAGE", "{\"switchboard.token\":\"" + TestTokens.token(approver, tenant, Set.of("approver"))
                        + "\"}"))) {
            page.awaitLineContaining("User " + approver + " joined invoice-review", WAIT);
            page.awaitLineContaining("User " + approver + ": Hello from the browser", WAIT);
            String id = propose(TestAgents.apiKey(tenant));
            page.awaitLineContaining("to decide: update_invoice UPDATE", WAIT);
            approve(tenant, id);
            page.awaitLineContaining("update_invoice is now Approved", WAIT);
            page.assertQuiet();
        }
    }

    @Test
    void theNodeSnippetChatsAndIsToldTheDecisionAsAnAgent() throws IOException {
        String tenant = tenant();
        String person = "node-" + UUID.randomUUID().toString().substring(0, 8);
        String key = TestAgents.apiKey(tenant);
        String id = propose(key);
        Path file = nodeSnippet("node");
        try (NodeScript node = NodeScript.start(file.toAbsolutePath().toString(), Map.of(
                "SWITCHBOARD_URL", base.toString().replaceAll("/$", ""),
                "SWITCHBOARD_JWT", TestTokens.user(person, tenant),
                "SWITCHBOARD_API_KEY", key,
                "PENDING_CHANGE_ID", id))) {
            node.awaitLineContaining("User " + person + " joined invoice-review", WAIT);
            node.awaitLineContaining("User " + person + ": Hello from Node", WAIT);
            approve(tenant, id);
            node.awaitLineContaining("approved: { rows: 1 }", WAIT);
            node.assertQuiet();
        }
    }

    @Test
    void theMcpSnippetProposesAndIsToldTheDecision() throws IOException {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        Path file = nodeSnippet("mcp");
        try (NodeScript node = NodeScript.start(file.toAbsolutePath().toString(), Map.of(
                "SWITCHBOARD_URL", base.toString().replaceAll("/$", ""),
                "SWITCHBOARD_API_KEY", key))) {
            String approver = TestAgents.approver(tenant);
            approve(tenant, TestAgents.awaitPendingId(approver, null, WAIT));
            node.awaitLineContaining("update_invoice is Approved", WAIT);
            node.awaitSuccess(WAIT);
        }
    }

    /** The README's block {@code name} as a Node module beside the test suite's node_modules. */
    private static Path nodeSnippet(String name) throws IOException {
        Path snippets = Files.createDirectories(ReadmeSnippets.ROOT.resolve("target/readme-snippets"));
        Path modules = snippets.resolve("node_modules");
        if (!Files.exists(modules)) {
            // Where the snippet's imports find the clients, as in a project that installed them.
            Files.createSymbolicLink(modules, NodeScript.JS_DIR.resolve("node_modules").toAbsolutePath());
        }
        return Files.writeString(snippets.resolve(name + "-snippet.mjs"), ReadmeSnippets.block(name));
    }

    @Test
    void theJavaSnippetIsTheOneInTheReadme() {
        assertEquals(ReadmeSnippets.block("java"), ReadmeSnippets.region(SOURCE, "java"));
    }

    @Test
    void theJavaSnippetChatsAndIsToldTheDecisionAsAnAgent() throws InterruptedException {
        String tenant = tenant();
        String person = "java-" + UUID.randomUUID().toString().substring(0, 8);
        String apiKey = TestAgents.apiKey(tenant);
        String pendingChangeId = propose(apiKey);
        runJavaSnippet(TestTokens.user(person, tenant), apiKey, pendingChangeId, printed -> {
            approve(tenant, pendingChangeId);
            awaitPrinted(printed, "User " + person + " joined invoice-review");
            awaitPrinted(printed, "User " + person + ": Hello from Java");
            awaitPrinted(printed, "approved: {rows=1.0}");
        });
    }

    /** docs/api.md §4 "McpHub": an agent registers a handler for each decision it may be pushed. */
    @Test
    void theJavaSnippetIsToldWhenTheChangeExpires() throws InterruptedException {
        String tenant = tenant();
        String apiKey = TestAgents.apiKey(tenant);
        String pendingChangeId = propose(apiKey, Map.of("expiresInSeconds", 1));
        runJavaSnippet(TestTokens.user("java-" + UUID.randomUUID().toString().substring(0, 8), tenant), apiKey,
                pendingChangeId, printed -> awaitPrinted(printed, "expired: " + pendingChangeId));
    }

    private interface Check {
        void run(ByteArrayOutputStream printed) throws InterruptedException;
    }

    /** Runs the README's Java snippet as written, then {@code check} on what it printed. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void runJavaSnippet(String jwt, String apiKey, String pendingChangeId, Check check)
            throws InterruptedException {
        String baseUrl = base.toString().replaceAll("/$", "");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
        try {
            // README: java
            HubConnection chat = HubConnectionBuilder.create(baseUrl + "/hubs/chat")
                    .withAccessTokenProvider(Single.defer(() -> Single.just(jwt)))
                    .build();
            chat.on("ReceiveMessage", message -> System.out.println(message.get("displayName") + ": " + message.get("content")),
                    Map.class);
            chat.on("UserJoined", user -> System.out.println(user.get("displayName") + " joined " + user.get("workflowId")),
                    Map.class);
            chat.on("PresenceChanged", presence -> System.out.println(presence.get("displayName")
                    + (Boolean.TRUE.equals(presence.get("online")) ? " is here" : " left")), Map.class);
            chat.start().blockingAwait();
            chat.invoke(Map.class, "JoinWorkflow", "invoice-review").blockingGet();
            chat.invoke(Map.class, "SendMessage", "Hello from Java").blockingGet();

            HubConnection agent = HubConnectionBuilder.create(baseUrl + "/hubs/mcp")
                    .withAccessTokenProvider(Single.defer(() -> Single.just(apiKey)))
                    .build();
            agent.on("PendingChangeApproved", decision -> System.out.println("approved: " + decision.get("executionResult")),
                    Map.class);
            agent.on("PendingChangeRejected", decision -> System.out.println("rejected: " + decision.get("reason")),
                    Map.class);
            agent.on("PendingChangeExpired", decision -> System.out.println("expired: " + decision.get("pendingChangeId")),
                    Map.class);
            agent.start().blockingAwait();
            agent.invoke("SubscribeToPendingChange", pendingChangeId).blockingAwait();
            // README: end
            try {
                check.run(printed);
            } finally {
                chat.stop().blockingAwait();
                agent.stop().blockingAwait();
            }
        } finally {
            System.setOut(out);
        }
    }

    private static void awaitPrinted(ByteArrayOutputStream printed, String line) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!printed.toString(StandardCharsets.UTF_8).lines().toList().contains(line)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).lines().toList().contains(line),
                () -> "the snippet printed no line '" + line + "':\n" + printed.toString(StandardCharsets.UTF_8));
    }

    /** Writes to the console and keeps a copy for the test. */
    private static final class Tee extends OutputStream {

        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            console.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            console.write(bytes, offset, length);
            copy.write(bytes, offset, length);
        }
    }
}
