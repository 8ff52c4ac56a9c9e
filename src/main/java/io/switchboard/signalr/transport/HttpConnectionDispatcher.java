package io.switchboard.signalr.transport;

import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.switchboard.signalr.transport.BoundedBody;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.AdmissionRequest.Purpose;
import io.switchboard.signalr.server.HubPrincipal;
import io.switchboard.signalr.server.SignalRConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Plain HTTP on a hub path (ASP.NET Core's HttpConnectionDispatcher): {@code GET} with
 * {@code Accept: text/event-stream} opens Server-Sent Events, any other {@code GET} is a long poll,
 * {@code POST} carries the client's frames, {@code DELETE} ends a Long Polling connection. Every request
 * is admitted as the WebSocket upgrade and negotiate are ({@link HubAccess}), then {@code 404} for an {@code id} that is unknown
 * or another user's.
 *
 * <p>Nothing here blocks: held polls and event streams are open responses, not waiting threads.
 * Nothing here logs a request URI either: its query may carry {@code access_token}.
 */
@Singleton
class HttpConnectionDispatcher {

    private static final Logger LOG = Logger.getLogger(HttpConnectionDispatcher.class);
    private static final String WEBSOCKET_KEY = "Sec-WebSocket-Key";
    private static final String EVENT_STREAM = "text/event-stream";

    private final HttpConnections connections;
    private final HubAccess access;
    private final SignalRConfig config;
    private final Vertx vertx;

    HttpConnectionDispatcher(HttpConnections connections, HubAccess access, SignalRConfig config, Vertx vertx) {
        this.connections = connections;
        this.access = access;
        this.config = config;
        this.vertx = vertx;
    }

    void dispatch(RoutingContext context, HubConnectionHandler handler) {
        HttpServerRequest request = context.request();
        if (request.headers().contains(WEBSOCKET_KEY)) {
            access.upgrade(context, handler); // then the hub's @WebSocket endpoint
            return;
        }
        // A POST body stays unread (the request is paused) until the credential and the connection id
        // have been checked, and is then read only up to the limit.
        Context requestContext = vertx.getOrCreateContext();
        QuarkusHttpUser.getSecurityIdentity(context, null).subscribe().with(
                identity -> access.admit(context, handler.hub(), Purpose.USE_NEGOTIATED, identity, null,
                        decision -> guarded(context.response(), handler,
                                () -> admitted(context, requestContext, handler, decision.principal()))),
                failure -> access.admit(context, handler.hub(), Purpose.USE_NEGOTIATED, null, failure, decision -> { }));
    }

    /**
     * Runs one step of a request. A failure answers 500 and is logged without the request, whose URI
     * may hold a credential.
     */
    private static void guarded(HttpServerResponse response, HubConnectionHandler handler, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Request on hub %s failed", handler.hub().name());
            plain(response, 500, "");
        }
    }

    private void admitted(RoutingContext context, Context requestContext, HubConnectionHandler handler,
                          HubPrincipal user) {
        HttpServerResponse response = context.response();
        String token = context.request().getParam("id");
        if (token == null || token.isBlank()) {
            plain(response, 400, "Connection ID required");
            return;
        }
        HttpMethod method = context.request().method();
        if (method == HttpMethod.POST) {
            send(context, requestContext, handler, user, token);
        } else if (method == HttpMethod.DELETE) {
            delete(response, handler, user, token);
        } else if (acceptsEventStream(context.request())) {
            serverSentEvents(response, handler, user, token);
        } else {
            poll(response, handler, user, token);
        }
    }

    private void serverSentEvents(HttpServerResponse response, HubConnectionHandler handler, HubPrincipal user, String token) {
        Optional<HttpConnection> existing = connections.find(token).filter(connection -> connection.belongsTo(user,
                handler.hub().path()));
        if (existing.isPresent()) {
            // The stream is this connection's only way to the client; a second one is refused (ASP.NET Core: 409).
            if (existing.get().transport().isClosed()) {
                notFound(response);
            } else if (existing.get().transport() instanceof ServerSentEventsTransport) {
                plain(response, 409, "");
            } else {
                plain(response, 400, "Cannot change transports mid-connection");
            }
            return;
        }
        Optional<HttpConnection> attached = connections.attach(token, handler, user,
                connectionId -> new ServerSentEventsTransport(connectionId, response, config.maxOutboundBufferSize()));
        if (attached.isEmpty()) {
            notFound(response);
        }
    }

    private void poll(HttpServerResponse response, HubConnectionHandler handler, HubPrincipal user, String token) {
        noCache(response);
        Optional<HttpConnection> connection = connections.find(token).or(() -> attachLongPolling(handler, user, token))
                .filter(found -> found.belongsTo(user, handler.hub().path()));
        if (connection.isEmpty()) {
            notFound(response);
        } else if (connection.get().transport() instanceof LongPollingTransport polling) {
            polling.poll(response);
        } else {
            plain(response, 400, "Cannot change transports mid-connection");
        }
    }

    /** Claims a negotiated token for Long Polling; empty when it is unknown, used up or another user's. */
    private Optional<HttpConnection> attachLongPolling(HubConnectionHandler handler, HubPrincipal user, String token) {
        return connections.attach(token, handler, user,
                connectionId -> new LongPollingTransport(connectionId, vertx, config.longPollingTimeout(),
                        config.maxOutboundBufferSize()));
    }

    /**
     * A POST of frames. POSTs of one connection are read one after another, each once the previous
     * one is answered; a POST is answered when its messages are queued, which waits while the
     * connection's invocation queue is full (back-pressure), so a client cannot pile up unread bodies.
     */
    private void send(RoutingContext context, Context requestContext, HubConnectionHandler handler, HubPrincipal user,
                      String token) {
        HttpServerResponse response = context.response();
        // A send before any GET is taken, as ASP.NET Core takes it: some clients POST their handshake
        // before their first poll. Only Long Polling lets a client send before it receives, so the
        // connection becomes a Long Polling one.
        Optional<HttpConnection> connection = connections.find(token).or(() -> attachLongPolling(handler, user, token))
                .filter(found -> found.belongsTo(user, handler.hub().path()));
        if (connection.isEmpty() || connection.get().transport().isClosed()) {
            notFound(response);
            return;
        }
        connection.get().enqueuePost(() -> {
            CompletableFuture<Void> answered = new CompletableFuture<>();
            if (response.ended() || response.closed()) {
                answered.complete(null);
                return answered;
            }
            // Ended or not, the POST's turn is over when its response is done or its client is gone.
            context.addEndHandler(ignored -> answered.complete(null));
            requestContext.runOnContext(ignored -> guarded(response, handler,
                    () -> readPost(context, requestContext, handler, connection.get())));
            return answered;
        });
    }

    private void readPost(RoutingContext context, Context requestContext, HubConnectionHandler handler,
                          HttpConnection connection) {
        HttpServerResponse response = context.response();
        BoundedBody.read(context.request(), config.maxRequestBodySize()).onComplete(read -> guarded(response, handler,
                () -> {
                    if (read.failed()) {
                        refuseBody(context, read.cause());
                    } else if (connection.transport().isClosed()) {
                        notFound(response);
                    } else {
                        connection.receive(read.result().getBytes());
                        connection.transport().whenReading(() -> requestContext.runOnContext(
                                ignored -> plain(response, 200, "")));
                    }
                }));
    }

    private static void refuseBody(RoutingContext context, Throwable failure) {
        HttpServerResponse response = context.response();
        if (!(failure instanceof BoundedBody.TooLarge tooLarge)) {
            plain(response, 400, "The request body could not be read");
            return;
        }
        BoundedBody.refuse(context, "text/plain; charset=utf-8", tooLarge.getMessage());
    }

    private void delete(HttpServerResponse response, HubConnectionHandler handler, HubPrincipal user, String token) {
        Optional<HttpConnection> connection = connections.find(token)
                .filter(found -> found.belongsTo(user, handler.hub().path()));
        if (connection.isEmpty()) {
            notFound(response);
        } else if (connection.get().transport() instanceof LongPollingTransport polling) {
            polling.terminate();
            plain(response, 202, "");
        } else {
            plain(response, 400, "Cannot terminate this connection using the DELETE endpoint.");
        }
    }

    private static boolean acceptsEventStream(HttpServerRequest request) {
        for (String accept : request.headers().getAll(HttpHeaders.ACCEPT)) {
            for (String mediaRange : accept.split(",")) {
                int parameters = mediaRange.indexOf(';');
                String type = (parameters < 0 ? mediaRange : mediaRange.substring(0, parameters)).trim();
                if (type.equalsIgnoreCase(EVENT_STREAM)) {
                    return true;
                }
            }
        }
        return false;
    }

    // Polls are GETs: no cache or proxy may answer one from an earlier response.
    private static void noCache(HttpServerResponse response) {
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store")
                .putHeader("Pragma", "no-cache")
                .putHeader(HttpHeaders.EXPIRES, "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    private static void notFound(HttpServerResponse response) {
        plain(response, 404, "No Connection with that ID");
    }

    private static void plain(HttpServerResponse response, int status, String text) {
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(text);
        }
    }
}
