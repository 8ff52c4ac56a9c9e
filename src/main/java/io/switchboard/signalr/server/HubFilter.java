package io.switchboard.signalr.server;

import java.util.List;

/**
 * Runs around every hub method invocation, and around a hub's {@code onConnected} and
 * {@code onDisconnected} (ASP.NET Core's {@code IHubFilter}): the place for what concerns every hub
 * method alike, such as timing, counting or mapping failures. A CDI bean; every one found is applied
 * to every hub, the highest {@code @Priority} outermost (a filter without one has priority 0 and runs
 * innermost, in no defined order among its like: give every filter a priority).
 *
 * <p>Filters run where the hub method runs: on a worker thread, from the connection's invocation
 * queue, after the message was parsed and queued on the event loop. So a filter may block (JDBC), and
 * a filter that waits holds a worker, never an event-loop thread; it does hold up the connection's
 * later invocations, which run one at a time. Nothing here runs before an invocation is queued: a
 * decision that must cost nothing or keep a client from being read belongs to admission
 * ({@link HubAdmission}) or to the invocation queue's bound.
 *
 * <p>A filter answers for the hub by returning, refuses with a {@link HubException} (its message is
 * the caller's answer) and says "temporarily unavailable, try again" with a
 * {@link HubUnavailableException}.
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
     * is answered with its message). By default, {@link #around}.
     */
    default Object invoke(Invocation invocation, Next<Object> next) throws Exception {
        return around(next);
    }

    /** Around the hub's {@code onConnected}; throwing closes the connection. By default, {@link #around}. */
    default void onConnected(HubCallerContext caller, Next<Void> next) throws Exception {
        around(next);
    }

    /** Around the hub's {@code onDisconnected}. By default, {@link #around}. */
    default void onDisconnected(HubCallerContext caller, Next<Void> next) throws Exception {
        around(next);
    }

    /**
     * What the filter does around an invocation, {@code onConnected} and {@code onDisconnected} alike,
     * for a filter that needs to know none of them (mapping failures, say); by default, nothing.
     */
    default <T> T around(Next<T> next) throws Exception {
        return next.proceed();
    }
}
