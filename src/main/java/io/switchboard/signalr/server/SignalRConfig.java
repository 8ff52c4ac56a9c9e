package io.switchboard.signalr.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The engine's own settings, shared by every hub (the equivalent of ASP.NET Core's HubOptions and
 * HttpConnectionDispatcherOptions). The application reads none of them.
 */
@ConfigMapping(prefix = "switchboard.signalr")
public interface SignalRConfig {

    /** How often the server sends a Ping when it has sent nothing else. */
    @WithDefault("15s")
    Duration keepAliveInterval();

    /** A client that sends nothing (not even a Ping) for this long is closed. */
    @WithDefault("30s")
    Duration clientTimeout();

    /** A connection must complete the handshake within this time. */
    @WithDefault("15s")
    Duration handshakeTimeout();

    /**
     * Hub invocations waiting per connection. When this many wait, the server stops reading the
     * connection until one finishes (back-pressure); a closed connection's waiting invocations are
     * dropped. Operators set it as {@code switchboard.limits.invocation-queue}, with the other limits.
     */
    @WithDefault("${switchboard.limits.invocation-queue:32}")
    int invocationQueue();

    /**
     * The largest request body, in bytes, of the HTTP transports (a Long Polling or Server-Sent Events
     * POST), chunked or not. Operators set it as {@code switchboard.limits.max-request-body-size},
     * which bounds REST bodies too.
     */
    @WithDefault("${switchboard.limits.max-request-body-size:1048576}")
    int maxRequestBodySize();

    /** The largest single hub message, in bytes, a client may send; a larger one closes the connection. */
    @WithDefault("32768")
    int maximumReceiveMessageSize();

    /** A negotiated connection that no transport attaches to within this time is forgotten. */
    @WithDefault("15s")
    Duration negotiatedConnectionTimeout();

    /**
     * How long a connection's slot ({@link ConnectionSlots}) is held without renewal. Open connections
     * renew theirs every third of it, so the slots of a replica that died free up within this time.
     */
    @WithDefault("60s")
    Duration connectionSlotLease();

    /** How often keep-alive, timeouts, abandoned negotiations and stateful-reconnect Acks are checked. */
    @WithDefault("1s")
    Duration housekeepingInterval();

    /** How long a Long Polling request is held when there is nothing to send; it then ends with an empty 200. */
    @WithDefault("90s")
    Duration longPollingTimeout();

    /**
     * A Long Polling connection with no poll outstanding for this long is closed (the client went away
     * without a DELETE); a closed Server-Sent Events or Long Polling connection is forgotten after it.
     */
    @WithDefault("15s")
    Duration disconnectTimeout();

    /**
     * The most bytes any connection (WebSockets, Server-Sent Events, Long Polling) may have waiting
     * for its client. A client that falls further behind is disconnected rather than letting the
     * server buffer without end.
     */
    @WithDefault("1048576")
    int maxOutboundBufferSize();

    /** Stateful reconnect (HubProtocol.md "Stateful Reconnect", negotiate's {@code useStatefulReconnect}). */
    StatefulReconnect statefulReconnect();

    interface StatefulReconnect {

        /** Whether negotiate grants {@code useStatefulReconnect} to a client that asks for it. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The most bytes of sent, unacknowledged messages kept per connection for replay. A connection
         * that would exceed this (or {@link #bufferMessages()}) is closed with an error rather than
         * holding more: see docs/architecture.md, "Stateful reconnect".
         */
        @WithDefault("262144")
        long bufferSize();

        /** The most sent, unacknowledged messages kept per connection for replay. */
        @WithDefault("1024")
        int bufferMessages();

        /**
         * How long a stateful connection whose transport dropped waits for the client to reconnect
         * with the same connection token; after that it is disconnected (OnDisconnected runs).
         */
        @WithDefault("15s")
        Duration reattachWindow();
    }
}
