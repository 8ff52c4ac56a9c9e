package io.switchboard.signalr.transport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.signalr.TransportEnum;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official Java client forced onto Long Polling. (An agent on Long Polling, pushed its decision, is
 * McpHubTest's.)
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class JavaClientOverLongPollingTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aGroupSendIsAnsweredAndReceivedByPollingAndWebSocketClientsAlike() {
        String tenant = unique("tenant");
        String group = unique("group");
        try (HubClient polling = HubClient.connect(base, EchoHub.PATH, TestTokens.user(unique("lp"), tenant),
                TransportEnum.LONG_POLLING);
             HubClient socket = HubClient.connect(base, EchoHub.PATH, TestTokens.user(unique("ws"), tenant))) {
            assertEquals(group, polling.invoke(String.class, "Join", group));
            assertEquals(group, socket.invoke(String.class, "Join", group));

            Map<?, ?> answer = polling.invoke(Map.class, "Send", "sent by polling");

            assertEquals(group, answer.get("group"));
            Map<String, Object> ownCopy = polling.next("Receive");
            assertEquals(answer.get("sentAt"), ownCopy.get("sentAt"));
            assertEquals("sent by polling", ownCopy.get("text"));
            assertEquals("sent by polling", socket.next("Receive").get("text"));

            given().get(metrics.toString()).then().statusCode(200)
                    .body(containsString("signalr_connections{hub=\"echo\",transport=\"LongPolling\"}"));
        }
    }

    @Test
    void stoppingTheClientEndsItsHeldPollAtOnce() {
        // The Java client's stop() sends DELETE, then waits for its poll loop: only the 204 that DELETE
        // gives the held poll ends that loop before the 90 s poll timeout.
        HubClient polling = HubClient.connect(base, EchoHub.PATH, TestTokens.user(unique("lp"), unique("tenant")),
                TransportEnum.LONG_POLLING);
        polling.invoke(String.class, "Join", unique("group"));
        long start = System.nanoTime();
        assertTrue(polling.connection().stop().blockingAwait(3, TimeUnit.SECONDS), "stopped within 3 s");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000);
    }
}
