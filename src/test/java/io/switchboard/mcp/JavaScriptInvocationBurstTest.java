package io.switchboard.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.TestAgents;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An agent that invokes a hub method a thousand times at once (as after a reconnect, resubscribing to
 * every change it waits for) with the official JavaScript client (src/test/js/invocation-burst.mjs).
 * The client sends what queued up meanwhile in one piece: on WebSockets a frame of about 100 KiB
 * holding many messages, each far below the 32 KiB message limit. Every invocation is answered and
 * the connection stays up; before, frames over 64 KiB made the server drop the connection.
 */
@QuarkusTest
class JavaScriptInvocationBurstTest {

    private static final int INVOCATIONS = 1000;

    @TestHTTPResource("/")
    URI base;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"WebSockets", "ServerSentEvents", "LongPolling"})
    void aBurstOfInvocationsIsAnsweredInFull(String transport) {
        String key = TestAgents.apiKey("tenant-" + UUID.randomUUID().toString().substring(0, 8));
        try (NodeScript agent = NodeScript.start("invocation-burst.mjs", Map.of(
                "HUB_URL", base.resolve(McpHub.PATH).toString(),
                "ACCESS_TOKEN", key,
                "TRANSPORT", transport,
                "COUNT", String.valueOf(INVOCATIONS)))) {
            JsonNode done = agent.next("done", Duration.ofSeconds(30));
            assertEquals(INVOCATIONS, done.path("answered").asInt());
            assertEquals("Connected", done.path("state").asText());
            assertEquals(transport, done.path("transport").asText());
            agent.awaitSuccess(Duration.ofSeconds(15));
        }
    }
}
