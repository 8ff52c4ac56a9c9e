package io.switchboard.signalr.transport;

import static io.switchboard.testing.RawHttpConnection.HANDSHAKE;
import static io.switchboard.testing.RawHttpConnection.invocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestTokens;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Members of one group that stop taking what is sent to them, on Long Polling (no more polls) and
 * on Server-Sent Events (the socket is never read): the server holds at most
 * {@code max-outbound-buffer-size} (1 MiB) for each, then closes them, while a member that keeps up
 * gets every message promptly (delivery p99 within 200 ms).
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class SlowConsumersTest {

    private static final int MESSAGES = 1500;
    private static final String TEXT = "y".repeat(3900);

    @TestHTTPResource("/")
    URI base;

    @Test
    void slowMembersOnEveryHttpTransportAreClosedWhileAFastMemberKeepsItsLatency() throws Exception {
        String tenant = "tenant-slow-" + UUID.randomUUID();
        String group = "group-slow-" + UUID.randomUUID();

        String lpUser = TestTokens.user("slow-poller", tenant);
        RawHttpConnection slowPolling = RawHttpConnection.negotiate(base, EchoHub.PATH, lpUser).startLongPolling();
        assertEquals(200, slowPolling.post(invocation("j", "Join", group)).statusCode());
        // From here on it never polls again.

        String sseUser = TestTokens.user("slow-reader", tenant);
        RawHttpConnection slowStream = RawHttpConnection.negotiate(base, EchoHub.PATH, sseUser);
        URI uri = slowStream.uri(null);
        try (Socket stream = new Socket()) {
            stream.setReceiveBufferSize(4096);
            stream.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()));
            OutputStream out = stream.getOutputStream();
            out.write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: " + uri.getHost()
                    + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + sseUser + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitPostStatus(slowStream, HANDSHAKE, 200);
            assertEquals(200, slowStream.post(invocation("j", "Join", group)).statusCode());
            // The event stream is never read.

            List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
            try (HubClient fast = HubClient.connect(base, EchoHub.PATH, TestTokens.user("fast", tenant));
                 HubClient sender = HubClient.connect(base, EchoHub.PATH, TestTokens.user("sender", tenant))) {
                fast.connection().on("Receive", message -> {
                    String content = (String) message.get("text");
                    long sentAt = Long.parseLong(content.substring(0, content.indexOf(' ')));
                    latenciesNanos.add(System.nanoTime() - sentAt);
                }, Map.class);
                fast.invoke(String.class, "Join", group);
                sender.invoke(String.class, "Join", group);
                for (int i = 0; i < MESSAGES; i++) {
                    sender.invoke(Map.class, "Send", System.nanoTime() + " " + TEXT);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (latenciesNanos.size() < MESSAGES && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            assertEquals(MESSAGES, latenciesNanos.size(), "the member that keeps up got every message");
            List<Long> sorted = new ArrayList<>(latenciesNanos);
            Collections.sort(sorted);
            long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
            System.out.printf("SLOW-CONSUMERS fast member p50 %.1f ms, p99 %.1f ms over %d messages%n",
                    sorted.get(sorted.size() / 2) / 1e6, p99 / 1e6, sorted.size());
            assertTrue(p99 <= Duration.ofMillis(200).toNanos(), "delivery p99 " + p99 / 1e6 + " ms");

            // The slow ones were closed rather than buffered for: their requests find no connection.
            assertEquals(404, slowStream.post(invocation("late", "NoSuchMethod", "x")).statusCode(),
                    "the unread event stream was closed");
        }
        int poll = slowPolling.poll().statusCode();
        assertTrue(poll == 204 || poll == 404, "the poller that stopped polling was closed, its poll answered " + poll);
    }

    private static void awaitPostStatus(RawHttpConnection connection, String body, int status) throws InterruptedException {
        // The stream's GET is asynchronous: POSTs find the connection once it is attached.
        for (int i = 0; i < 100; i++) {
            if (connection.post(body).statusCode() == status) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("POST never answered " + status);
    }
}
