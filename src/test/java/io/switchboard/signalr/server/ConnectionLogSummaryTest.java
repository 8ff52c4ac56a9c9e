package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ConnectionLogSummaryTest {

    private final ConnectionMetrics metrics = new ConnectionMetrics(new SimpleMeterRegistry());

    @Test
    void theSummaryCountsConnectsAndDisconnectsSinceTheLastOne() {
        metrics.connected("chat", "WebSockets");
        metrics.connected("chat", "LongPolling");
        metrics.connected("mcp", "WebSockets");
        metrics.disconnected("chat", "WebSockets");

        assertEquals("Connections in the last minute: hub chat 1 open, 2 connected, 1 disconnected; "
                + "hub mcp 1 open, 1 connected, 0 disconnected", ConnectionLogSummary.summary(metrics.takeActivity()));

        metrics.disconnected("mcp", "WebSockets");
        assertEquals("Connections in the last minute: hub chat 1 open, 0 connected, 0 disconnected; "
                + "hub mcp 0 open, 0 connected, 1 disconnected", ConnectionLogSummary.summary(metrics.takeActivity()));
    }

    @Test
    void aQuietMinuteLogsNothingEvenWithConnectionsOpen() {
        metrics.connected("chat", "WebSockets");
        ConnectionLogSummary.summary(metrics.takeActivity());

        assertNull(ConnectionLogSummary.summary(metrics.takeActivity()));
    }

    @Test
    void theOpenGaugeIsPerHubAndTransport() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConnectionMetrics counted = new ConnectionMetrics(registry);
        counted.connected("chat", "WebSockets");
        counted.connected("chat", "WebSockets");
        counted.connected("chat", "ServerSentEvents");

        assertEquals(2.0, registry.get("signalr.connections").tag("hub", "chat").tag("transport", "WebSockets")
                .gauge().value());
        assertEquals(1.0, registry.get("signalr.connections").tag("transport", "ServerSentEvents").gauge().value());
    }
}
