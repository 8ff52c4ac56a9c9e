package io.switchboard.chat;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.mcp.McpHub;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.WebSocketRefusingProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both hubs with the official JavaScript SignalR client ({@code @microsoft/signalr}, pinned in
 * src/test/js/package-lock.json) running under Node, over each transport and falling back by itself
 * when WebSockets are refused on the way, with the json and the messagepack hub protocols; and interop
 * with the official Java client. The Maven build installs the client with {@code npm ci} before the
 * tests run.
 */
@QuarkusTest
class JavaScriptClientTest {

    private static final Path JS_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("src/test/js");
    private static final Duration NODE_LIMIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How @microsoft/signalr's console format starts a line at Warning level or above. */
    private static final Pattern CLIENT_WARNING = Pattern.compile("^\\[[^]]+] (Warning|Error|Critical): .*$", Pattern.MULTILINE);
    /** The one error a client that falls back logs, rightly: its WebSocket attempt failed. */
    private static final Pattern WEBSOCKETS_FAILED = Pattern.compile("Error: Failed to start the transport 'WebSockets': ");

    @TestHTTPResource("/")
    URI base;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"WebSockets", "ServerSentEvents", "LongPolling"})
    void theJavaScriptClientJoinsAWorkflowAndReceivesItsOwnMessage(String transport) throws Exception {
        String alice = unique("node-alice");
        String workflow = unique("wf");

        JsonNode result = chatRoundTrip(base, transport, alice, workflow, "hello from node", false);

        assertEquals(transport, result.path("transport").asText());
        JsonNode ack = result.path("ack");
        String messageId = ack.path("messageId").asText();
        assertEquals(messageId, UUID.fromString(messageId).toString(), "a lowercase GUID");
        assertEquals(workflow, ack.path("workflowId").asText());

        JsonNode received = result.path("received");
        assertEquals(messageId, received.path("messageId").asText());
        assertEquals(workflow, received.path("workflowId").asText());
        assertEquals("hello from node", received.path("content").asText());
        assertEquals(alice, received.path("userId").asText());
        assertEquals("User " + alice, received.path("displayName").asText());
        assertEquals(ack.path("timestamp").asText(), received.path("timestamp").asText());
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"WebSockets", "ServerSentEvents", "LongPolling"})
    void aJavaScriptAgentIsPushedTheApprovalOfItsPendingChange(String transport) throws Exception {
        String tenant = unique("tenant");
        String key = TestAgents.apiKey(tenant);
        String id = propose(key);

        JsonNode result = approvalPush(base, transport, tenant, key, id, false);

        assertEquals(transport, result.path("transport").asText());
        JsonNode approved = result.path("approved");
        assertEquals(id, approved.path("pendingChangeId").asText());
        assertEquals("Approved", approved.path("status").asText());
        assertEquals(1, approved.path("executionResult").path("rows").asInt());
    }

    @ParameterizedTest(name = "on {0}, allowing [{1}], falls back to {2}")
    @CsvSource({
            "chat, '', ServerSentEvents",
            "chat, 'WebSockets,LongPolling', LongPolling",
            "mcp, '', ServerSentEvents",
            "mcp, 'WebSockets,LongPolling', LongPolling"})
    void withWebSocketsRefusedOnTheWayTheJavaScriptClientFallsBackByItself(String hub, String allowed, String fallback)
            throws Exception {
        try (WebSocketRefusingProxy proxy = WebSocketRefusingProxy.start(base)) {
            JsonNode result;
            if (hub.equals("chat")) {
                String workflow = unique("wf");
                result = chatRoundTrip(proxy.base(), allowed, unique("node-alice"), workflow, "through a proxy", true);
                assertEquals(workflow, result.path("received").path("workflowId").asText());
            } else {
                String tenant = unique("tenant");
                String key = TestAgents.apiKey(tenant);
                String id = propose(key);
                result = approvalPush(proxy.base(), allowed, tenant, key, id, true);
                assertEquals(id, result.path("approved").path("pendingChangeId").asText());
            }

            assertEquals(List.of("WebSockets", fallback), JSON.convertValue(result.path("attempts"), List.class),
                    "WebSockets first, then the fallback");
            List<String> seen = proxy.seen();
            assertTrue(seen.contains("refused upgrade"), "the client did try WebSockets: " + seen);
            String path = hub.equals("chat") ? ChatHub.PATH : McpHub.PATH;
            boolean streamed = seen.contains("GET " + path + " (event stream)");
            assertEquals(fallback.equals("ServerSentEvents"), streamed, "an event stream only for SSE: " + seen);
            assertEquals(fallback.equals("LongPolling"), seen.contains("DELETE " + path),
                    "a Long Polling client ends with DELETE: " + seen);
        }
    }

    @Test
    void aJavaClientInTheSameWorkflowReceivesWhatTheJavaScriptClientSent() throws Exception {
        String alice = unique("node-alice");
        String bob = unique("java-bob");
        String workflow = unique("wf");
        try (HubClient javaClient = HubClient.connect(base, ChatHub.PATH, TestTokens.user(bob, "tenant-a"))) {
            javaClient.invoke(Map.class, "JoinWorkflow", workflow);
            assertEquals(bob, javaClient.next("UserJoined").get("userId"));

            JsonNode ack = chatRoundTrip(base, "WebSockets", alice, workflow, "hello java, from node", false).path("ack");

            Map<String, Object> nodeJoined = javaClient.next("UserJoined");
            assertEquals(Map.of("workflowId", workflow, "userId", alice, "displayName", "User " + alice), nodeJoined);
            Map<String, Object> received = javaClient.next("ReceiveMessage");
            assertEquals(ack.path("messageId").asText(), received.get("messageId"));
            assertEquals(workflow, received.get("workflowId"));
            assertEquals("hello java, from node", received.get("content"));
            assertEquals(alice, received.get("userId"));
            assertEquals(ack.path("timestamp").asText(), received.get("timestamp"));
        }
    }

    /** Server-Sent Events carry text only, so a messagepack client leaves them out by itself. */
    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"WebSockets", "LongPolling"})
    void theJavaScriptClientSpeaksMessagePackWithTheSamePayloadShapes(String transport) throws Exception {
        String alice = unique("node-msgpack");
        String workflow = unique("wf");

        JsonNode result = chatRoundTrip(base, transport, "messagepack", alice, workflow, "hello in messagepack", false);

        assertEquals("messagepack", result.path("protocol").asText());
        assertEquals(transport, result.path("transport").asText());
        JsonNode ack = result.path("ack");
        String messageId = ack.path("messageId").asText();
        assertEquals(messageId, UUID.fromString(messageId).toString(), "a lowercase GUID string");
        assertEquals(workflow, ack.path("workflowId").asText());
        assertTrue(ack.path("timestamp").isTextual(), "a time is an ISO-8601 string: " + ack);
        Instant.parse(ack.path("timestamp").asText());

        JsonNode received = result.path("received");
        assertEquals(messageId, received.path("messageId").asText());
        assertEquals("hello in messagepack", received.path("content").asText());
        assertEquals(alice, received.path("userId").asText());
        assertEquals("User " + alice, received.path("displayName").asText());
        assertEquals(ack.path("timestamp").asText(), received.path("timestamp").asText());
    }

    private static String propose(String apiKey) {
        return given().header("X-Api-Key", apiKey).contentType(ContentType.JSON)
                .body(Map.of("toolName", "update_invoice", "diff", Map.of("operation", "UPDATE",
                        "entityType", "Invoice", "entityId", "inv-42")))
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
    }

    /** {@code chat-roundtrip.mjs} as {@code userId} of tenant-a: {@code {ack, received, protocol, transport, attempts}}. */
    private JsonNode chatRoundTrip(URI server, String transport, String userId, String workflowId, String message,
                                   boolean fallsBack) throws IOException, InterruptedException {
        return chatRoundTrip(server, transport, "json", userId, workflowId, message, fallsBack);
    }

    private JsonNode chatRoundTrip(URI server, String transport, String protocol, String userId, String workflowId,
                                   String message, boolean fallsBack) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("HUB_URL", server.resolve(ChatHub.PATH).toString());
        env.put("TRANSPORT", transport);
        env.put("ACCESS_TOKEN", TestTokens.user(userId, "tenant-a"));
        env.put("WORKFLOW_ID", workflowId);
        env.put("MESSAGE", message);
        env.put("PROTOCOL", protocol);
        return runNode("chat-roundtrip.mjs", env, fallsBack);
    }

    /** {@code mcp-approval.mjs} for the agent with {@code apiKey}: {@code {approved, transport, attempts}}. */
    private JsonNode approvalPush(URI server, String transport, String tenant, String apiKey, String pendingChangeId,
                                  boolean fallsBack) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("HUB_URL", server.resolve(McpHub.PATH).toString());
        env.put("TRANSPORT", transport);
        env.put("ACCESS_TOKEN", apiKey);
        env.put("PENDING_CHANGE_ID", pendingChangeId);
        env.put("API_URL", base.toString());
        env.put("APPROVER_TOKEN", TestAgents.approver(tenant));
        return runNode("mcp-approval.mjs", env, fallsBack);
    }

    /**
     * Runs {@code node script} and returns the JSON line it prints. Input goes through the environment,
     * so credentials never appear on a command line. Any warning the client logs fails the test, except,
     * when the client is expected to fall back, the error saying WebSockets failed.
     */
    private static JsonNode runNode(String script, Map<String, String> env, boolean fallsBack)
            throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(JS_DIR.resolve("node_modules/@microsoft/signalr")),
                "@microsoft/signalr is not installed in " + JS_DIR + " (the Maven build runs npm ci there)");
        Path stdout = Files.createTempFile(script, ".out");
        Path stderr = Files.createTempFile(script, ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder("node", script)
                    .directory(JS_DIR.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().putAll(env);

            Process node = builder.start();
            if (!node.waitFor(NODE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("node " + script + " did not finish within " + NODE_LIMIT + "; stderr:\n" + Files.readString(stderr));
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8).strip();
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(0, node.exitValue(), "node " + script + " failed; stderr:\n" + err + "\nstdout:\n" + out);
            List<String> warnings = new ArrayList<>();
            Matcher warning = CLIENT_WARNING.matcher(err);
            while (warning.find()) {
                if (!(fallsBack && WEBSOCKETS_FAILED.matcher(warning.group()).find())) {
                    warnings.add(warning.group());
                }
            }
            assertTrue(warnings.isEmpty(), "the JavaScript client logged a warning or error:\n" + err);
            assertFalse(fallsBack && !WEBSOCKETS_FAILED.matcher(err).find(),
                    "a falling-back client reports why it left WebSockets:\n" + err);
            return JSON.readTree(out);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
