package io.switchboard.signalr.server;

/**
 * Told by a lifetime manager each time it has handed one message to connections of this replica, for
 * the "messages pushed" and "push latency" metrics ({@link PushMetrics}).
 */
@FunctionalInterface
public interface MessageCounter {

    /** {@code message} was handed to the transports of {@code connections} connections. */
    void pushed(SerializedHubMessage message, int connections);

    MessageCounter NONE = (message, connections) -> {
    };
}
