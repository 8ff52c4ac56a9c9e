package io.switchboard.signalr.server;

import io.switchboard.testing.MutedLogger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failure a hub filter calls temporary (a {@link HubUnavailableException}: for the application, the
 * database is away) is answered with its sentence, which the client may show and act on, not
 * "unexpected error"; the connection stays open. A temporary failure of OnConnected closes with
 * allowReconnect, so clients come back.
 */
class TransientFailureTest {

    private static final char RS = '\u001e';

    /** What the database layer throws in this test. */
    private static final class Outage extends RuntimeException {
        Outage() {
            super("connection refused");
        }
    }

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private volatile boolean outageOnConnect;

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private final Hub hub = new TestConnections.TestHub("store") {
        @Override
        public void describe(HubMethods methods) {
            methods.on("Store", caller -> {
                throw new Outage();
            }).on("Broken", caller -> {
                throw new IllegalStateException("a bug");
            }).on("Echo", String.class, (caller, text) -> text);
        }

        @Override
        public void onConnected(HubCallerContext caller) {
            if (outageOnConnect) {
                throw new Outage();
            }
        }
    };

    /** What the application's filter does for its own outages, around invocations and OnConnected alike. */
    private final HubFilter outages = new HubFilter() {
        @Override
        public <T> T around(Next<T> next) throws Exception {
            try {
                return next.proceed();
            } catch (Outage e) {
                throw new HubUnavailableException(COME_BACK, e);
            }
        }
    };

    private static final String COME_BACK = "Come back in a moment.";

    private HubConnectionHandler handler() {
        return TestConnections.handler(hub, workers, metrics, List.of(outages));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private HubConnectionContext connect(HubConnectionHandler handler, RecordingTransport transport) {
        HubConnectionContext connection = handler.open("c1", new HubPrincipal("u1", null, null), transport);
        handler.onData(connection, utf8("{\"protocol\":\"json\",\"version\":1}" + RS));
        assertEquals("{}" + RS, transport.poll(Duration.ofSeconds(5)));
        return connection;
    }

    @Test
    void aTemporaryFailureIsAnsweredWithASentenceAndTheConnectionStaysOpen() {
        HubConnectionHandler handler = handler();
        RecordingTransport transport = new RecordingTransport();
        HubConnectionContext connection = connect(handler, transport);

        handler.onData(connection, utf8("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Store\",\"arguments\":[]}" + RS));
        assertEquals("{\"type\":3,\"invocationId\":\"1\",\"error\":\"" + COME_BACK + "\"}" + RS,
                transport.poll(Duration.ofSeconds(5)));
        // An unexpected failure is logged at ERROR, on purpose here.
        try (MutedLogger muted = MutedLogger.mute("io.switchboard.signalr.server.HubDispatcher")) {
            handler.onData(connection, utf8("{\"type\":1,\"invocationId\":\"2\",\"target\":\"Broken\",\"arguments\":[]}" + RS));
            assertEquals("{\"type\":3,\"invocationId\":\"2\",\"error\":\"An unexpected error occurred invoking 'Broken' on the "
                    + "server.\"}" + RS, transport.poll(Duration.ofSeconds(5)), "any other failure stays unexpected");
        }
        handler.onData(connection, utf8("{\"type\":1,\"invocationId\":\"3\",\"target\":\"Echo\",\"arguments\":[\"hi\"]}" + RS));
        assertEquals("{\"type\":3,\"invocationId\":\"3\",\"result\":\"hi\"}" + RS, transport.poll(Duration.ofSeconds(5)));
        assertFalse(connection.isClosed());
        assertEquals(1.0, metrics.counter("signalr.invocations", "hub", "store", "method", "Store", "outcome", "unavailable")
                .count());
    }

    @Test
    void aTemporaryFailureOfOnConnectedClosesWithAllowReconnect() {
        outageOnConnect = true;
        HubConnectionHandler handler = handler();
        RecordingTransport transport = new RecordingTransport();
        connect(handler, transport);
        assertEquals("{\"type\":7,\"error\":\"" + COME_BACK + "\",\"allowReconnect\":true}" + RS,
                transport.poll(Duration.ofSeconds(5)));
    }
}
