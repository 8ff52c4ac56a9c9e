package io.switchboard.limits;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.switchboard.signalr.server.Refusal;
import io.switchboard.signalr.server.RefusalRenderer;
import io.switchboard.signalr.transport.BoundedBody;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Bounds REST request bodies, chunked or not (docs/api.md, "Limits"). Quarkus REST reads a body it
 * finds already read from the routing context, so this reads it first, stopping at the limit: a larger
 * body is answered {@code 413} problem+json and its connection closed without reading the rest.
 */
@Singleton
class RestBodyLimit {

    // Ahead of Quarkus REST, after the security and CORS filters.
    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1;

    private final int limit;
    private final RefusalRenderer renderer;

    RestBodyLimit(LimitsConfig limits, RefusalRenderer renderer) {
        this.limit = limits.maxRequestBodySize();
        this.renderer = renderer;
    }

    void register(@Observes Router router) {
        router.route("/api/*").method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
                .order(ORDER).handler(this::readBounded);
    }

    private void readBounded(RoutingContext context) {
        BoundedBody.read(context.request(), limit).onComplete(read -> {
            if (read.succeeded()) {
                context.setBody(read.result());
                context.next();
            } else if (read.cause() instanceof BoundedBody.TooLarge) {
                tooLarge(context);
            } else {
                context.fail(400, read.cause());
            }
        });
    }

    private void tooLarge(RoutingContext context) {
        RefusalRenderer.Rendered problem = renderer.render(
                Refusal.of(413, "The request body is larger than the limit of " + limit + " bytes."));
        BoundedBody.refuse(context, problem.contentType(), problem.body());
    }
}
