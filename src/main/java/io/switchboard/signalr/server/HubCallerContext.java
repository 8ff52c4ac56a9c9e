package io.switchboard.signalr.server;

import java.util.Map;

/** What a hub method knows about its caller, and the hub's clients and groups. */
public final class HubCallerContext {

    private final HubConnectionContext connection;
    private final HubContext hub;

    HubCallerContext(HubConnectionContext connection, HubContext hub) {
        this.connection = connection;
        this.hub = hub;
    }

    public String connectionId() {
        return connection.connectionId();
    }

    public HubPrincipal user() {
        return connection.user();
    }

    /** Per-connection state kept between invocations. */
    public Map<String, Object> items() {
        return connection.items();
    }

    /** Sends to the caller's connection only. */
    public void sendToCaller(String method, Object... arguments) {
        hub.sendToConnection(connectionId(), method, arguments);
    }

    /**
     * Adds the caller's connection to a group and waits until it takes effect (with a backplane, until
     * Redis confirmed the subscription), so a send that follows reaches it. Hub methods run off the
     * event loop, so waiting is allowed here.
     */
    public void joinGroup(String group) {
        hub.addToGroup(connectionId(), group).toCompletableFuture().join();
    }

    /** Removes the caller's connection from a group and waits until it takes effect. */
    public void leaveGroup(String group) {
        hub.removeFromGroup(connectionId(), group).toCompletableFuture().join();
    }

    /** Clients and groups of this hub. */
    public HubContext hub() {
        return hub;
    }
}
