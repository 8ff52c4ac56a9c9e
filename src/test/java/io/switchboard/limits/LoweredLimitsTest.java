package io.switchboard.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Limits lowered so a test can reach them (docs/api.md, "Limits"). One credential holds at most so
 * many connections (defaults 100 per person and 20,000 per API key; 2 here): past the
 * cap negotiate and a WebSocket opened without negotiating answer 429 with a problem saying why. A
 * negotiated connection id no transport claims in time is forgotten (default 15 s; 1 s here).
 */
@QuarkusTest
@TestProfile(LoweredLimitsTest.Lowered.class)
public class LoweredLimitsTest {

    public static class Lowered implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.connections-per-user", "2",
                    "switchboard.limits.connections-per-api-key", "2",
                    "switchboard.signalr.negotiated-connection-timeout", "1s",
                    // McpLimitsTest, in the same profile to spare a restart.
                    "switchboard.limits.mcp-waits-per-api-key", "2",
                    "switchboard.mcp.prompt-expiry-seconds", "2",
                    "switchboard.mcp.progress-interval", "1s",
                    "switchboard.mcp.session-idle-timeout", "2s",
                    "switchboard.mcp.keep-alive-interval", "200ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    private static void awaitOpenConnectionsBelowCap(Runnable negotiateExpecting200) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            try {
                negotiateExpecting200.run();
                return;
            } catch (AssertionError stillAtCap) {
                last = stillAtCap;
            }
        }
        throw last;
    }

    @Test
    void aPersonPastTheCapIsRefused429OnNegotiateAndOnADirectWebSocket() {
        String token = TestTokens.user("capped-" + UUID.randomUUID(), "tenant-caps");
        RawHubSocket first = RawHubSocket.connected(base, "/hubs/chat", token);
        try (RawHubSocket second = RawHubSocket.connected(base, "/hubs/chat", token)) {
            given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1")
                    .then().statusCode(429).contentType("application/problem+json")
                    .body("detail", containsString("already hold 2 connections"));
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> RawHubSocket.open(base, "/hubs/chat", token));
            WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class,
                    refused.getCause());
            assertEquals(429, handshake.getResponse().statusCode());

            first.goodbye();
            awaitOpenConnectionsBelowCap(() -> given().auth().oauth2(token)
                    .post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200));
        }
    }

    /** Issue 18: negotiating first, then opening a WebSocket on each id, went past the cap. */
    @Test
    void negotiationsNoTransportClaimedYetCountAgainstTheCapUntilTheyExpire() throws InterruptedException {
        String token = TestTokens.user("reserved-" + UUID.randomUUID(), "tenant-caps");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200);
        }
        given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(429).body("detail", containsString("already hold 2 connections"));
        CompletionException refused = assertThrows(CompletionException.class,
                () -> RawHubSocket.open(base, "/hubs/chat", token));
        assertEquals(429, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                .getResponse().statusCode());

        Thread.sleep(3000); // the negotiations expire unclaimed, and give their places back
        given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200);
    }

    /**
     * Issue 18: thirty WebSockets opened at once against a cap of 5 let 8 in, because each checked the
     * count before any of them was counted. Taking a slot is now one step.
     */
    @Test
    void upgradesRacingForTheLastSlotsLetExactlyTheCapIn() throws Exception {
        String token = TestTokens.user("racing-" + UUID.randomUUID(), "tenant-caps");
        int racers = 30;
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> outcomes = new ArrayList<>();
        List<RawHubSocket> admitted = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                outcomes.add(threads.submit(() -> {
                    start.await();
                    try {
                        admitted.add(RawHubSocket.open(base, "/hubs/chat", token));
                        return 101;
                    } catch (CompletionException refused) {
                        return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                                .getResponse().statusCode();
                    }
                }));
            }
            start.countDown();
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Integer> outcome : outcomes) {
                statuses.merge(outcome.get(30, TimeUnit.SECONDS), 1, Integer::sum);
            }
            assertEquals(Map.of(101, 2, 429, racers - 2), statuses);
        } finally {
            admitted.forEach(RawHubSocket::close);
            threads.shutdownNow();
        }
    }

    @Test
    void anApiKeyPastTheCapIsRefused429() {
        String key = TestAgents.apiKey("tenant-caps-" + UUID.randomUUID());
        try (RawHubSocket first = RawHubSocket.connected(base, "/hubs/mcp", key);
             RawHubSocket second = RawHubSocket.connected(base, "/hubs/mcp", key)) {
            given().header("X-Api-Key", key).post("/hubs/mcp/negotiate?negotiateVersion=1")
                    .then().statusCode(429).body("detail", containsString("This API key already holds 2 connections"));
        }
    }

    @Test
    void aNegotiatedIdThatNoTransportClaimsInTimeIsForgotten() throws InterruptedException {
        String token = TestTokens.user("late-" + UUID.randomUUID(), "tenant-caps");
        String id = given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(200).extract().path("connectionToken");
        Thread.sleep(3000); // the timeout, and the housekeeping pass after it
        CompletionException refused = assertThrows(CompletionException.class,
                () -> RawHubSocket.openWithQuery(base, "/hubs/chat?id=" + id, token));
        assertEquals(404, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                .getResponse().statusCode());
    }
}
