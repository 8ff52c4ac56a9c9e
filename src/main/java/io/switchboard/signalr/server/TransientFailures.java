package io.switchboard.signalr.server;

/**
 * Tells the engine which exceptions of a hub are temporary (a dependency such as the database is
 * away), as only the application knows. The engine then answers an invocation with an error Completion
 * saying so ({@link #MESSAGE}) instead of "unexpected error", and a failed {@code OnConnected} with a
 * Close that allows reconnecting, so clients with automatic reconnect come back by themselves. A CDI
 * bean; every one found is asked. ASP.NET Core leaves this to a hub filter.
 */
public interface TransientFailures {

    /** What the caller is told. */
    String MESSAGE = "The service is temporarily unavailable; try again.";

    /** Seconds a client is told to wait ({@code Retry-After}) when a transient failure refused its request. */
    int RETRY_AFTER_SECONDS = 5;

    /** The answer to a request that a transient failure stopped (its credential could not be checked, say). */
    static Refusal refusal() {
        return Refusal.unavailable(MESSAGE, RETRY_AFTER_SECONDS);
    }

    /** True when {@code failure} (or what caused it) is a temporary outage the caller may retry after. */
    boolean isTransient(Throwable failure);
}
