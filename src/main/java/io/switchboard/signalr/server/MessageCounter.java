package io.switchboard.signalr.server;

/** Counts messages written to connections, for the "messages pushed" metric. */
@FunctionalInterface
public interface MessageCounter {

    void pushed(int connections);

    MessageCounter NONE = connections -> {
    };
}
