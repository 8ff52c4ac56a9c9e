package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.signalr.protocol.CloseMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** At shutdown a client gets the answers to what it already invoked, then Close with allowReconnect. */
class ShutdownCloseTest {

    private static final char RS = '\u001e';

    private final CountDownLatch slowMethodMayFinish = new CountDownLatch(1);
    private final CountDownLatch slowMethodStarted = new CountDownLatch(1);
    private final ExecutorService workers = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopWorkers() {
        slowMethodMayFinish.countDown();
        workers.shutdownNow();
    }

    private final Hub hub = new TestConnections.TestHub("slow") {
        @Override
        public void describe(HubMethods methods) {
            methods.on("Slow", caller -> {
                slowMethodStarted.countDown();
                slowMethodMayFinish.await(10, TimeUnit.SECONDS);
                return "done";
            });
        }
    };

    private HubConnectionHandler handler() {
        return TestConnections.handler(hub, workers, new SimpleMeterRegistry());
    }

    @Test
    void anInvocationInFlightIsAnsweredBeforeTheCloseThatAllowsReconnecting() throws Exception {
        HubConnectionHandler handler = handler();
        RecordingTransport transport = new RecordingTransport();
        HubConnectionContext connection = handler.open("c1", new HubPrincipal("u1", null, null), transport);
        handler.onData(connection, ("{\"protocol\":\"json\",\"version\":1}" + RS).getBytes(StandardCharsets.UTF_8));
        assertEquals("{}" + RS, transport.poll(Duration.ofSeconds(5)));
        handler.onData(connection, ("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Slow\",\"arguments\":[]}" + RS)
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(slowMethodStarted.await(5, TimeUnit.SECONDS));

        handler.closeAllAfterInvocations(new CloseMessage(null, true));
        assertEquals(1, handler.openConnections(), "the connection waits for its invocation");
        slowMethodMayFinish.countDown();

        assertEquals("{\"type\":3,\"invocationId\":\"1\",\"result\":\"done\"}" + RS, transport.poll(Duration.ofSeconds(5)));
        assertEquals("{\"type\":7,\"allowReconnect\":true}" + RS, transport.poll(Duration.ofSeconds(5)));
        assertTrue(transport.awaitClosed(Duration.ofSeconds(5)));
    }
}
