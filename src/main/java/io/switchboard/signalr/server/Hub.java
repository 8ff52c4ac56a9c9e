package io.switchboard.signalr.server;

/**
 * A hub: business logic only. Transports, protocols, groups and errors are the engine's job; who may
 * connect is the application's {@link HubAdmission}. A hub is a CDI bean; the engine finds every bean
 * implementing this interface at start.
 */
public interface Hub {

    /** Short name used in logs, metrics and backplane channels ({@code chat}). */
    String name();

    /** The URL path clients connect to ({@code /hubs/chat}). */
    String path();

    /** Declares the methods clients may invoke; called once at start. */
    void describe(HubMethods methods);

    /** Runs after the handshake, before any invocation of this connection. */
    default void onConnected(HubCallerContext caller) throws Exception {
    }

    /** Runs once the connection is gone; groups are already left. */
    default void onDisconnected(HubCallerContext caller) throws Exception {
    }
}
