package io.switchboard.signalr.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Connection-level settings shared by every hub (the equivalent of ASP.NET Core's HubOptions). */
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

    /** The largest single hub message, in bytes, a client may send; a larger one closes the connection. */
    @WithDefault("32768")
    int maximumReceiveMessageSize();

    /** A negotiated connection that no transport attaches to within this time is forgotten. */
    @WithDefault("15s")
    Duration negotiatedConnectionTimeout();

    /** How often keep-alive, timeouts and abandoned negotiations are checked. */
    @WithDefault("1s")
    Duration housekeepingInterval();
}
