package io.switchboard.signalr.transport;

import io.switchboard.signalr.server.HubConnectionContext;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubUser;

/**
 * A hub connection carried by an HTTP transport: its transport, the user and hub it belongs to, and the
 * single entry for what the client POSTs.
 */
final class HttpConnection {

    private final String hubPath;
    private final String userKey;
    private final HubConnectionHandler handler;
    private final HttpTransport transport;
    private final HubConnectionContext context;

    HttpConnection(NegotiatedConnections.Negotiated negotiated, HubConnectionHandler handler, HubUser user,
                   HttpTransport transport) {
        this.hubPath = negotiated.hubPath();
        this.userKey = negotiated.userKey();
        this.handler = handler;
        this.transport = transport;
        this.context = handler.open(negotiated.connectionId(), user, transport);
        // However the transport ends (client gone, DELETE, server close), the hub connection ends with it.
        transport.onEnded(() -> handler.onTransportClosed(context));
    }

    /** Only the user who negotiated may use the connection, and only on the hub it was negotiated for. */
    boolean belongsTo(HubUser user, String path) {
        return userKey.equals(user.userKey()) && hubPath.equals(path);
    }

    HttpTransport transport() {
        return transport;
    }

    String connectionId() {
        return context.connectionId();
    }

    /**
     * One POST body, as a whole. Bodies of concurrent POSTs are fed one at a time so their frames never
     * interleave; the handler expects one inbound thread at a time.
     */
    synchronized void receive(byte[] data) {
        handler.onData(context, data);
    }
}
