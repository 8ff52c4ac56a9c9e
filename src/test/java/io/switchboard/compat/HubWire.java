package io.switchboard.compat;

import java.time.Duration;

/**
 * One hub connection as a third-party client holds it: bytes go out exactly as written, bytes come
 * back exactly as the transport delivered them. No SignalR library in between.
 */
interface HubWire extends AutoCloseable {

    /** Puts {@code bytes} on the transport as one send (a WebSocket frame, a POST body). */
    void send(byte[] bytes);

    /** The next bytes the server delivered (a frame, an event's data, a poll's body); null if none came in time. */
    byte[] receive(Duration timeout);

    /** Whether the server ended the connection within {@code timeout}. */
    boolean awaitEnded(Duration timeout);

    @Override
    void close();
}
