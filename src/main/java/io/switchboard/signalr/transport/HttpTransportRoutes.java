package io.switchboard.signalr.transport;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Puts the HTTP transports on every hub's own path, as ASP.NET Core maps them beside the WebSocket one.
 * A Vert.x route rather than a REST resource, because the transports hold responses open and stream
 * them. It runs after the security and CORS filters and before the REST and WebSocket routes; upgrade
 * requests are passed on to the hub's {@code @WebSocket} endpoint.
 */
@Singleton
class HttpTransportRoutes {

    // After every filter (authentication, CORS, body size limit), ahead of the routes registered in order.
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1;

    void register(@Observes Router router, HubRegistry hubs, HttpConnectionDispatcher dispatcher) {
        for (HubConnectionHandler handler : hubs.handlers()) {
            router.route(handler.hub().path())
                    .method(HttpMethod.GET).method(HttpMethod.POST).method(HttpMethod.DELETE)
                    .order(ORDER)
                    .handler(context -> dispatcher.dispatch(context, handler));
        }
    }
}
