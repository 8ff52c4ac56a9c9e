package io.switchboard.mcpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.limits.LoweredLimitsTest;
import io.switchboard.testing.McpAgent;
import io.switchboard.testing.McpWire;
import io.switchboard.testing.TestAgents;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The MCP endpoint's bounds, lowered: waits per key 2, prompts expiring after 2 s, progress each second, sessions idle for 2 s. */
@QuarkusTest
@TestProfile(LoweredLimitsTest.Lowered.class)
class McpLimitsTest {

    private static final Map<String, Object> DIFF = Map.of("operation", "DELETE", "entityType", "Invoice", "entityId", "inv-1");

    @TestHTTPResource("/")
    URI base;

    private static String tenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aKeyWaitsForAtMostTheConfiguredNumberOfDecisions() throws Exception {
        String key = TestAgents.apiKey(tenant());
        McpWire wire = McpWire.withApiKey(base, key);
        String session = wire.initialize("2025-11-25");
        List<HttpResponse<InputStream>> waiting = new ArrayList<>();
        try {
            for (int i = 1; i <= 2; i++) {
                waiting.add(wire.postStreaming(session, McpWire.toolCall(i, "propose_change",
                        Map.of("toolName", "t" + i, "diff", DIFF, "waitSeconds", 60))).get(10, TimeUnit.SECONDS));
            }
            try (McpAgent agent = McpAgent.connect(base, key)) {
                McpSchema.CallToolResult refused = awaitRefusal(agent);
                assertTrue(McpAgent.text(refused).contains("SWITCHBOARD_LIMITS_MCP_WAITS_PER_API_KEY"), McpAgent.text(refused));
                McpSchema.CallToolResult noWait = agent.call("propose_change",
                        Map.of("toolName", "t", "diff", DIFF, "waitSeconds", 0));
                assertFalse(noWait.isError(), "a call that does not wait is not counted");
            }
            try (McpAgent other = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
                McpSchema.CallToolResult result = other.call("propose_change",
                        Map.of("toolName", "t", "diff", DIFF, "waitSeconds", 1));
                assertFalse(result.isError(), "another key has places of its own");
            }
        } finally {
            for (HttpResponse<InputStream> response : waiting) {
                response.body().close();
            }
        }
    }

    /** The two streamed calls are waiting once their change is proposed: until then a third may still get in. */
    private static McpSchema.CallToolResult awaitRefusal(McpAgent agent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            McpSchema.CallToolResult result = agent.call("propose_change",
                    Map.of("toolName", "third", "diff", DIFF, "waitSeconds", 1));
            if (result.isError() || System.nanoTime() > deadline) {
                assertTrue(result.isError(), "the third waiting call is refused");
                return result;
            }
        }
    }

    @Test
    void aWaitingCallReportsProgressWhenAsked() {
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
            McpSchema.CallToolResult result = agent.callWithProgress("propose_change",
                    Map.of("toolName", "t", "diff", DIFF, "waitSeconds", 3), "progress-1");
            assertEquals("Pending", McpWire.json(McpAgent.text(result)).path("status").asText());
            List<McpSchema.ProgressNotification> progress = new ArrayList<>(agent.progress());
            assertTrue(progress.size() >= 2, "one a second: " + progress);
            assertTrue(progress.stream().allMatch(notification -> "progress-1".equals(notification.progressToken())));
            assertTrue(progress.get(1).progress() > progress.get(0).progress(), "progress grows: " + progress);
        }
    }

    @Test
    void anIdleSessionEndsAndAnOpenStreamKeepsItsSessionAlive() throws Exception {
        McpWire wire = McpWire.withApiKey(base, TestAgents.apiKey(tenant()));
        Map<String, Object> ping = Map.of("jsonrpc", "2.0", "id", 1, "method", "ping");
        String idle = wire.initialize("2025-11-25");
        String streaming = wire.initialize("2025-11-25");
        HttpResponse<InputStream> stream = wire.openStream(streaming).get(10, TimeUnit.SECONDS);
        try {
            Thread.sleep(3500);
            assertEquals(404, wire.post(idle, ping).statusCode(), "idle for longer than the 2 s timeout");
            assertEquals(200, wire.post(streaming, ping).statusCode(), "its open stream kept it alive");
        } finally {
            stream.body().close();
        }
    }

    /**
     * A server stream that the server ends (the session's DELETE) stops its keep-alive comments: before,
     * the timer went on writing to the ended response, and Vert.x logged "Response has already been
     * written" at ERROR every 200 ms.
     */
    @Test
    void aServerStreamTheServerEndsStopsItsKeepAlives() throws Exception {
        McpWire wire = McpWire.withApiKey(base, TestAgents.apiKey(tenant()));
        String session = wire.initialize("2025-11-25");
        HttpResponse<InputStream> stream = wire.openStream(session).get(10, TimeUnit.SECONDS);
        int before = io.switchboard.testing.ServerLog.read().split("Response has already been written", -1).length;
        assertEquals(204, wire.send("DELETE", session).statusCode());
        stream.body().readAllBytes(); // the server ended it
        Thread.sleep(1000);
        int after = io.switchboard.testing.ServerLog.read().split("Response has already been written", -1).length;
        assertEquals(before, after, "nothing was written to the ended stream");
    }

    @Test
    void anUndecidedPromptIsDeniedOnceItExpires() {
        try (McpAgent agent = McpAgent.connect(base, TestAgents.apiKey(tenant()))) {
            long started = System.nanoTime();
            McpSchema.CallToolResult denied = agent.call("approval_prompt",
                    Map.of("tool_name", "Bash", "input", Map.of("command", "ls")));
            long tookMillis = java.time.Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertEquals("{\"behavior\":\"deny\",\"message\":\"No one approved the tool call within 2 seconds: "
                    + "the request expired.\"}", McpAgent.text(denied));
            // Ended by the expiry's announcement (within 2 s of expiresAt, told within 1 s), not by the
            // wait's own end 5 s after expiresAt.
            assertTrue(tookMillis < 2000 + 2000 + 1000 + 500, "denied " + tookMillis + " ms after the prompt");
        }
    }
}
