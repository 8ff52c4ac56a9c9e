package io.switchboard.testing;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mutes one logger while a test provokes, on purpose, what that logger reports as an error: the
 * official Java client logs "HubConnection disconnected with an error" at ERROR when the server
 * closes a revoked key's connection, which is exactly what the test asserts. Only for such blocks, so
 * a passing build shows no ERROR line that nobody needs to read.
 */
public final class MutedLogger implements AutoCloseable {

    /** The official Java SignalR client's connection logger. */
    public static final String JAVA_CLIENT = "com.microsoft.signalr.HubConnection";

    /** Its Long Polling transport, which logs a poll refused after the server closed the connection. */
    public static final String JAVA_CLIENT_LONG_POLLING = "com.microsoft.signalr.LongPollingTransport";

    /** Its WebSocket, which logs a socket cut without a close frame (a replica killed) at ERROR. */
    public static final String JAVA_CLIENT_WEBSOCKET = "com.microsoft.signalr.OkHttpWebSocketWrapper";

    // A strong reference: a logger nobody holds may be collected, taking its level with it.
    private final Logger logger;
    private final Level previous;

    private MutedLogger(Logger logger) {
        this.logger = logger;
        this.previous = logger.getLevel();
        logger.setLevel(Level.OFF);
    }

    public static MutedLogger mute(String name) {
        return new MutedLogger(Logger.getLogger(name));
    }

    @Override
    public void close() {
        logger.setLevel(previous);
    }
}
