package io.switchboard.signalr.transport;

import static io.switchboard.testing.RawHttpConnection.RS;
import static io.switchboard.testing.RawHttpConnection.invocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Long Polling clocks, shortened through the settings an operator would use (defaults: poll
 * timeout 90 s, disconnect timeout 15 s; here 1 s each, with a 1 s keep-alive and a 3 s client timeout).
 */
@QuarkusTest
@TestProfile(KeepAliveAndTimeoutsTest.ShortTimeouts.class)
class LongPollingTimeoutsTest {

    @TestHTTPResource("/")
    URI base;

    private RawHttpConnection negotiate() {
        return RawHttpConnection.negotiate(base, EchoHub.PATH,
                TestTokens.user("poller-" + UUID.randomUUID(), "tenant-lp-timeouts"));
    }

    @Test
    void aHeldPollEndsWithAnEmpty200AfterThePollTimeout() {
        RawHttpConnection connection = negotiate();
        assertEquals(200, connection.poll().statusCode());
        // No handshake yet, so no keep-alive ping either: only the poll timeout can end this poll.
        long start = System.nanoTime();
        HttpResponse<String> poll = connection.poll();
        Duration held = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(200, poll.statusCode());
        assertEquals("", poll.body());
        assertTrue(held.compareTo(Duration.ofMillis(800)) > 0 && held.compareTo(Duration.ofSeconds(5)) < 0,
                "held " + held);
    }

    @Test
    void aConnectionThatStopsPollingIsClosedAfterTheDisconnectTimeout() throws InterruptedException {
        RawHttpConnection abandoned = negotiate().startLongPolling();
        RawHttpConnection active = negotiate().startLongPolling();
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < deadline) {
            assertEquals(200, active.poll().statusCode(), "a client that keeps polling stays connected");
        }
        assertEquals(404, abandoned.post(invocation("1", "NoSuchMethod", "x")).statusCode(),
                "the abandoned connection is gone");
        assertEquals(200, active.post(invocation("2", "NoSuchMethod", "x")).statusCode());
    }

    @Test
    void aClientThatOnlyPollsIsPingedAndNotTimedOut() {
        // The JavaScript client sends no pings over Long Polling: its polls alone keep it connected.
        RawHttpConnection connection = negotiate().startLongPolling();
        String received = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> poll = connection.poll();
            assertEquals(200, poll.statusCode());
            received += poll.body();
        }
        assertTrue(received.contains("{\"type\":6}" + RS), "keep-alive pings still flow, for the Java client");
        assertFalse(received.contains("{\"type\":7"), "no Close after 5 s without a message: " + received);
        assertEquals(200, connection.post(invocation("1", "NoSuchMethod", "x")).statusCode());
    }
}
