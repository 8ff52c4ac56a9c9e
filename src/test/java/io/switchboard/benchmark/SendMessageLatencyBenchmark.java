package io.switchboard.benchmark;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The SendMessage acknowledgement round trip over loopback: the official Java client invokes
 * {@code SendMessage} 1,000 times in a row (after 200 warm-up calls) in a joined workflow, and each
 * round trip is timed from invoke to Completion. Each call stores the message in PostgreSQL and
 * pushes ReceiveMessage before the acknowledgement. A benchmark, not a test: it asserts nothing.
 * Run: {@code ./mvnw test -Dtest=SendMessageLatencyBenchmark -DexcludedTestGroups=none}
 */
@QuarkusTest
@Tag("benchmark")
class SendMessageLatencyBenchmark {

    private static final int WARM_UP = 200;
    private static final int MEASURED = 1000;

    @TestHTTPResource("/")
    URI base;

    @Test
    void sendMessageAcknowledgementRoundTrip() throws Exception {
        try (HubClient client = HubClient.connect(base, "/hubs/chat",
                TestTokens.user("bench-" + UUID.randomUUID(), "tenant-bench"))) {
            client.invoke(Map.class, "JoinWorkflow", "bench-" + UUID.randomUUID());
            for (int i = 0; i < WARM_UP; i++) {
                client.invoke(Map.class, "SendMessage", "warm-up " + i);
            }
            long[] nanos = new long[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                long start = System.nanoTime();
                client.invoke(Map.class, "SendMessage", "message " + i);
                nanos[i] = System.nanoTime() - start;
            }
            new LatencyStats("send-message-ack-round-trip", nanos).report();
        }
    }
}
