package io.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ChatHub with the official JavaScript SignalR client ({@code @microsoft/signalr}, pinned in
 * src/test/js/package-lock.json) running under Node over WebSockets, and interop with the official
 * Java client, with the json and the messagepack hub protocols. The Maven build installs the client
 * with {@code npm ci} before the tests run.
 */
@QuarkusTest
class JavaScriptClientTest {

    private static final Path JS_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("src/test/js");
    private static final String SCRIPT = "chat-roundtrip.mjs";
    private static final Duration NODE_LIMIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How @microsoft/signalr's console logger starts a line at Warning level or above. */
    private static final Pattern CLIENT_WARNING = Pattern.compile("^\\[[^]]+] (Warning|Error|Critical): ", Pattern.MULTILINE);

    @TestHTTPResource("/")
    URI base;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theJavaScriptClientJoinsAWorkflowAndReceivesItsOwnMessage() throws Exception {
        String alice = unique("node-alice");
        String workflow = unique("wf");

        JsonNode result = runChatRoundTrip(alice, workflow, "hello from node", "json");

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

    @Test
    void aJavaClientInTheSameWorkflowReceivesWhatTheJavaScriptClientSent() throws Exception {
        String alice = unique("node-alice");
        String bob = unique("java-bob");
        String workflow = unique("wf");
        try (HubClient javaClient = HubClient.connect(base, ChatHub.PATH, TestTokens.user(bob, "tenant-a"))) {
            javaClient.invoke(Map.class, "JoinWorkflow", workflow);
            assertEquals(bob, javaClient.next("UserJoined").get("userId"));

            JsonNode ack = runChatRoundTrip(alice, workflow, "hello java, from node", "json").path("ack");

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

    @Test
    void theJavaScriptClientSpeaksMessagePackWithTheSamePayloadShapes() throws Exception {
        String alice = unique("node-msgpack");
        String workflow = unique("wf");

        JsonNode result = runChatRoundTrip(alice, workflow, "hello in messagepack", "messagepack");

        assertEquals("messagepack", result.path("protocol").asText());
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

    /**
     * Runs {@code node chat-roundtrip.mjs} as {@code userId} of tenant-a and returns the
     * {@code {ack, received}} it prints. Input goes through the environment, so the token never
     * appears on a command line.
     */
    private JsonNode runChatRoundTrip(String userId, String workflowId, String message, String protocol)
            throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(JS_DIR.resolve("node_modules/@microsoft/signalr")),
                "@microsoft/signalr is not installed in " + JS_DIR + " (the Maven build runs npm ci there)");
        Path stdout = Files.createTempFile("chat-roundtrip", ".out");
        Path stderr = Files.createTempFile("chat-roundtrip", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder("node", SCRIPT)
                    .directory(JS_DIR.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            Map<String, String> env = builder.environment();
            env.put("HUB_URL", base.resolve(ChatHub.PATH).toString());
            env.put("ACCESS_TOKEN", TestTokens.user(userId, "tenant-a"));
            env.put("WORKFLOW_ID", workflowId);
            env.put("MESSAGE", message);
            env.put("PROTOCOL", protocol);

            Process node = builder.start();
            if (!node.waitFor(NODE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("node " + SCRIPT + " did not finish within " + NODE_LIMIT + "; stderr:\n" + Files.readString(stderr));
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8).strip();
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(0, node.exitValue(), "node " + SCRIPT + " failed; stderr:\n" + err + "\nstdout:\n" + out);
            assertFalse(CLIENT_WARNING.matcher(err).find(), "the JavaScript client logged a warning or error:\n" + err);
            return JSON.readTree(out);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
