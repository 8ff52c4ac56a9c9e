package io.switchboard.signalr.server;

import java.util.List;

/**
 * Runs around every hub method invocation, and around a hub's {@code onConnected} and
 * {@code onDisconnected} (ASP.NET Core's {@code IHubFilter}): the place for what concerns every hub
 * method alike, such as timing, counting or mapping failures. A CDI bean; every one found is applied,
 * the highest {@code @Priority} outermost. Filters run where the hub method runs, on a worker
 * thread, so they may block.
 */
public interface HubFilter {

    /** The rest of the pipeline: the next filter, and at the end the hub itself. */
    @FunctionalInterface
    interface Next<T> {

        T proceed() throws Exception;
    }

    /**
     * One invocation of a hub method.
     *
     * @param caller    who invokes, and the hub's clients and groups
     * @param hubName   the hub's name
     * @param method    the method's declared name
     * @param arguments the arguments, already bound to the method's parameter types
     */
    record Invocation(HubCallerContext caller, String hubName, String method, List<Object> arguments) {
    }

    /**
     * Around a hub method: returns what the caller is answered, or throws (a {@link HubException}
     * is answered with its message).
     */
    default Object invoke(Invocation invocation, Next<Object> next) throws Exception {
        return next.proceed();
    }

    /** Around the hub's {@code onConnected}; throwing closes the connection. */
    default void onConnected(HubCallerContext caller, Next<Void> next) throws Exception {
        next.proceed();
    }

    /** Around the hub's {@code onDisconnected}. */
    default void onDisconnected(HubCallerContext caller, Next<Void> next) throws Exception {
        next.proceed();
    }
}
