package io.switchboard.signalr.transport;

import io.switchboard.signalr.server.HubPrincipal;
import io.switchboard.signalr.server.HubConnectionContext;
import io.switchboard.signalr.server.HubConnectionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

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
    private CompletableFuture<Void> posts = CompletableFuture.completedFuture(null);

    HttpConnection(NegotiatedConnections.Negotiated negotiated, HubConnectionHandler handler, HubPrincipal user,
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
    boolean belongsTo(HubPrincipal user, String path) {
        return userKey.equals(user.userId()) && hubPath.equals(path);
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

    /**
     * Runs {@code post} once every earlier POST of this connection is over (its future completed), so
     * bodies are read and fed one at a time, in arrival order.
     */
    synchronized void enqueuePost(Supplier<CompletionStage<Void>> post) {
        posts = posts.thenCompose(ignored -> post.get());
    }
}
