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

    public HubUser user() {
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

    /** Clients and groups of this hub. */
    public HubContext hub() {
        return hub;
    }
}
