package io.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.testing.EventStream;
import io.switchboard.testing.RawHttpConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Server-Sent Events: frames arrive as {@code data:} lines of events (TransportProtocols.md), frames
 * go out as POSTs. The stream is read as the bytes came, events split by hand.
 */
final class ServerSentEventsWire implements HubWire {

    private final RawHttpConnection connection;
    private final EventStream events;
    private int consumed;

    ServerSentEventsWire(RawHttpConnection connection, EventStream events) {
        this.connection = connection;
        this.events = events;
    }

    @Override
    public void send(byte[] bytes) {
        assertEquals(200, connection.post(bytes).statusCode(), "POST of a frame");
    }

    @Override
    public byte[] receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String stream = events.receivedSoFar();
            int end = stream.indexOf("\r\n\r\n", consumed);
            while (end >= 0) {
                String event = stream.substring(consumed, end);
                consumed = end + 4;
                String data = dataOf(event);
                if (data != null) {
                    return data.getBytes(StandardCharsets.UTF_8);
                }
                end = stream.indexOf("\r\n\r\n", consumed);
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            WebSocketWire.sleep();
        }
    }

    /** The event's data lines joined by line feeds, or null for an event without data (a comment). */
    private static String dataOf(String event) {
        StringBuilder data = null;
        for (String line : event.split("\r\n")) {
            if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(line.substring("data: ".length()));
            }
        }
        return data == null ? null : data.toString();
    }

    @Override
    public boolean awaitEnded(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!events.hasEnded() && System.nanoTime() < deadline) {
            WebSocketWire.sleep();
        }
        return events.hasEnded();
    }

    @Override
    public void close() {
        events.close();
    }
}
