package io.switchboard.limits;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.switchboard.signalr.server.Refusal;
import io.switchboard.signalr.transport.RefusalResponses;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Refuses REST requests and negotiations while the replica is at {@link Capacity}: {@code 503}
 * problem+json with {@code Retry-After}, before any work is done for them (docs/api.md, "Limits").
 * A client retries after the delay, on this replica or, through the load balancer, another one.
 */
@Singleton
class CapacityFilter {

    // Before the body is read and before authentication: refusing must cost next to nothing.
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;
    static final int RETRY_AFTER_SECONDS = 1;

    private final Capacity capacity;
    private final RefusalResponses refusals;

    CapacityFilter(Capacity capacity, RefusalResponses refusals) {
        this.capacity = capacity;
        this.refusals = refusals;
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::admit);
        router.routeWithRegex("/hubs/[^/]+/negotiate").order(ORDER).handler(this::admit);
    }

    /** Lets the request on while there is room, holding its place until the response ends or the client leaves. */
    void admit(RoutingContext context) {
        if (!capacity.tryEnter()) {
            refuse(context);
            return;
        }
        AtomicBoolean left = new AtomicBoolean();
        Handler<Void> leave = ignored -> {
            if (left.compareAndSet(false, true)) {
                capacity.exit();
            }
        };
        context.addEndHandler(result -> leave.handle(null));
        context.next();
    }

    private void refuse(RoutingContext context) {
        refusals.write(context.response(), Refusal.unavailable("The server is at capacity (" + capacity.limit()
                + " requests in progress); retry after " + RETRY_AFTER_SECONDS + " s.", RETRY_AFTER_SECONDS));
    }
}
