package io.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.NodeScript;
import io.switchboard.testing.ServerLog;
import io.switchboard.testing.TcpProxy;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official JavaScript client with {@code .withStatefulReconnect()} (src/test/js/stateful-reconnect.mjs)
 * reaches ChatHub through a TCP proxy the test owns. The test cuts the network and keeps the client
 * from reconnecting for a while; meanwhile another user (the official Java client) posts into the
 * workflow and the JavaScript client posts too. Once the network is back the JavaScript client is on
 * the same connection, has every message exactly once, and the server never ran OnDisconnected.
 */
@QuarkusTest
class StatefulReconnectJavaScriptClientTest {

    private static final Duration STEP = Duration.ofSeconds(20);
    private static final String TENANT = "tenant-a";

    @TestHTTPResource("/")
    URI base;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "messagepack"})
    void aClientCutOffReconnectsToTheSameConnectionAndGetsEveryMessageOnce(String protocol) throws Exception {
        String workflow = unique("wf");
        String nodeUser = unique("node-stateful");
        try (TcpProxy proxy = TcpProxy.start(base.getPort());
             HubClient bob = HubClient.connect(base, ChatHub.PATH, TestTokens.user(unique("java-bob"), TENANT));
             NodeScript node = NodeScript.start("stateful-reconnect.mjs", Map.of(
                     "HUB_URL", proxy.uri(ChatHub.PATH).toString(),
                     "ACCESS_TOKEN", TestTokens.user(nodeUser, TENANT),
                     "WORKFLOW_ID", workflow,
                     "PROTOCOL", protocol))) {
            bob.invoke(Map.class, "JoinWorkflow", workflow);
            bob.next("UserJoined"); // his own
            String connectionId = node.next("ready", STEP).path("connectionId").asText();
            assertEquals(nodeUser, bob.next("UserJoined").get("userId"));

            proxy.hold();
            proxy.severAll();
            assertTrue(ServerLog.awaitConnectionLine(connectionId, "lost its transport", Duration.ofSeconds(5)),
                    "the server saw the socket drop");
            node.send("send from node while cut"); // command "send", text "from node while cut"
            List<String> fromBob = List.of("from bob while cut 1", "from bob while cut 2", "from bob while cut 3");
            for (String message : fromBob) {
                bob.invoke(Map.class, "SendMessage", message);
            }
            TimeUnit.MILLISECONDS.sleep(300);
            proxy.resume();

            assertEquals("from node while cut", node.next("sent", STEP).path("content").asText(),
                    "the invocation the client buffered while cut was answered");
            node.send("report 4 1500");
            JsonNode report = node.next("report", STEP);

            List<String> expected = new ArrayList<>(fromBob);
            expected.add("from node while cut");
            assertEquals(expected, texts(report.path("received")), "every message exactly once, in order");
            assertEquals(connectionId, report.path("connectionId").asText(), "the same connection");
            assertEquals("Connected", report.path("state").asText());
            assertEquals(2, report.path("websocketConnects").asInt(), "one reconnect, through the proxy");
            assertTrue(report.path("closedWith").isNull(), report.toString());

            assertEquals(expected, bobReceived(bob, 4), "the server ran the buffered invocation once");
            bob.assertNo("ReceiveMessage", Duration.ofMillis(500));
            bob.assertNo("UserLeft", Duration.ofMillis(100));
            assertTrue(ServerLog.awaitConnectionLine(connectionId, "reattached to hub chat", Duration.ofSeconds(1)));
            assertFalse(ServerLog.awaitDisconnected(connectionId, Duration.ofMillis(200)),
                    "OnDisconnected must not run for a connection that came back");

            node.send("stop");
            node.awaitSuccess(STEP);
            assertTrue(ServerLog.awaitDisconnected(connectionId, Duration.ofSeconds(5)),
                    "stopping the client ends the connection");
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static List<String> bobReceived(HubClient bob, int count) {
        List<String> contents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            contents.add((String) bob.next("ReceiveMessage").get("content"));
        }
        return contents;
    }
}
