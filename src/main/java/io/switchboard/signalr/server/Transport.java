package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.TransferFormat;

/**
 * The wire a connection writes to (WebSockets, Server-Sent Events, Long Polling). Implementations
 * must keep frames in the order {@link #send} was called and never block the caller.
 */
public interface Transport {

    /** The transport name as negotiate advertises it ({@code WebSockets}, ...). */
    String name();

    /** Queues one frame; a failure is reported by closing the connection, never by an exception. */
    void send(EncodedFrame frame);

    /** Ends the underlying connection after the frames already queued. */
    void close();

    /**
     * Whether frames of {@code format} can travel on this transport (ASP.NET Core's
     * ITransferFormatFeature.SupportedFormats); Server-Sent Events carry text only.
     */
    default boolean carries(TransferFormat format) {
        return true;
    }

    /**
     * True when the transport itself shows the client is alive (Long Polling: a client that keeps
     * polling is there, and the JavaScript client sends no pings over it), so the client timeout does
     * not apply (ASP.NET Core's IConnectionInherentKeepAliveFeature).
     */
    default boolean hasInherentKeepAlive() {
        return false;
    }

    /**
     * Stop taking input from the client until {@link #resumeReading()}: the connection's invocation
     * queue is full (back-pressure). Frames already received may still be delivered.
     */
    default void pauseReading() {
    }

    /** Take input from the client again. */
    default void resumeReading() {
    }
}
