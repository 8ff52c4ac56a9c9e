package io.switchboard.signalr.transport;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubUser;
import io.switchboard.signalr.server.SignalRConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Plain HTTP on a hub path (ASP.NET Core's HttpConnectionDispatcher): {@code GET} with
 * {@code Accept: text/event-stream} opens Server-Sent Events, any other {@code GET} is a long poll,
 * {@code POST} carries the client's frames, {@code DELETE} ends a Long Polling connection. Every request
 * is authenticated as the WebSocket upgrade is ({@link HubAccess}: {@code 401} without a valid credential,
 * {@code 403} without the hub's role, as problem+json), then {@code 404} for an {@code id} that is unknown
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
        Future<Buffer> body = request.method() == HttpMethod.POST ? readBody(request) : null;
        QuarkusHttpUser.getSecurityIdentity(context, null).subscribe().with(
                identity -> guarded(context.response(), handler, () -> authenticated(context, handler, identity, body)),
                failure -> access.unauthenticated(context, failure));
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

    /**
     * Starts reading the whole body now, before anything asynchronous, so no part of it can be missed.
     * The request arrives paused (Quarkus pauses it for the filters): resume it once the handlers are set.
     */
    private static Future<Buffer> readBody(HttpServerRequest request) {
        Promise<Buffer> body = Promise.promise();
        request.exceptionHandler(body::tryFail);
        request.bodyHandler(body::tryComplete);
        request.resume();
        return body.future();
    }

    private void authenticated(RoutingContext context, HubConnectionHandler handler, SecurityIdentity identity,
                               Future<Buffer> body) {
        HttpServerResponse response = context.response();
        Optional<HubUser> user = access.admit(context, handler, identity);
        if (user.isEmpty()) {
            return;
        }
        String token = context.request().getParam("id");
        if (token == null || token.isBlank()) {
            plain(response, 400, "Connection ID required");
            return;
        }
        HttpMethod method = context.request().method();
        if (method == HttpMethod.POST) {
            body.onComplete(read -> guarded(response, handler, () -> {
                if (read.succeeded()) {
                    send(response, handler, user.get(), token, read.result());
                } else {
                    plain(response, 400, "The request body could not be read");
                }
            }));
        } else if (method == HttpMethod.DELETE) {
            delete(response, handler, user.get(), token);
        } else if (acceptsEventStream(context.request())) {
            serverSentEvents(response, handler, user.get(), token);
        } else {
            poll(response, handler, user.get(), token);
        }
    }

    private void serverSentEvents(HttpServerResponse response, HubConnectionHandler handler, HubUser user, String token) {
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

    private void poll(HttpServerResponse response, HubConnectionHandler handler, HubUser user, String token) {
        noCache(response);
        Optional<HttpConnection> existing = connections.find(token);
        if (existing.isPresent()) {
            if (!existing.get().belongsTo(user, handler.hub().path())) {
                notFound(response);
            } else if (existing.get().transport() instanceof LongPollingTransport polling) {
                polling.poll(response);
            } else {
                plain(response, 400, "Cannot change transports mid-connection");
            }
            return;
        }
        Optional<HttpConnection> attached = connections.attach(token, handler, user,
                connectionId -> new LongPollingTransport(connectionId, vertx, config.longPollingTimeout(),
                        config.maxOutboundBufferSize()));
        if (attached.isPresent()) {
            LongPollingTransport.answerFirstPoll(response);
        } else {
            notFound(response);
        }
    }

    private void send(HttpServerResponse response, HubConnectionHandler handler, HubUser user, String token,
                      Buffer body) {
        Optional<HttpConnection> connection = connections.find(token)
                .filter(found -> found.belongsTo(user, handler.hub().path()));
        if (connection.isEmpty() || connection.get().transport().isClosed()) {
            notFound(response);
            return;
        }
        connection.get().receive(body.getBytes());
        plain(response, 200, "");
    }

    private void delete(HttpServerResponse response, HubConnectionHandler handler, HubUser user, String token) {
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
