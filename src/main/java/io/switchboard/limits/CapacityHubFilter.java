package io.switchboard.limits;

import io.switchboard.signalr.server.HubFilter;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

/**
 * Counts every hub invocation against the replica's {@link Capacity} while it runs, so new REST requests
 * and negotiations yield to the work already accepted ({@link CapacityFilter} refuses them past it). An
 * invocation itself is never refused: the client was admitted and its message read, and the bound on
 * what one client may queue is the engine's invocation queue (docs/api.md, "Limits"). Refusing here
 * would not spare the event loop anything either: filters run on the worker that runs the invocation.
 *
 * <p>The outermost hub filter, so the count covers every other filter's time as well.
 */
@Singleton
@Priority(CapacityHubFilter.PRIORITY)
class CapacityHubFilter implements HubFilter {

    /** Above every other filter of the application ({@code DatabaseOutageHubFilter} is 1000). */
    static final int PRIORITY = 2000;

    private final Capacity capacity;

    CapacityHubFilter(Capacity capacity) {
        this.capacity = capacity;
    }

    @Override
    public Object invoke(Invocation invocation, Next<Object> next) throws Exception {
        capacity.enter();
        try {
            return next.proceed();
        } finally {
            capacity.exit();
        }
    }
}
