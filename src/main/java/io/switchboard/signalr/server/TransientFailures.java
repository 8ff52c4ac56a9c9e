package io.switchboard.signalr.server;

/**
 * Tells the engine which failures to authenticate a connection attempt are temporary (the credential
 * could not be checked because a dependency such as the database is away), as only the application
 * knows. The engine then refuses a WebSocket upgrade with {@link #refusal()} ({@code 503} and
 * {@code Retry-After}) rather than as unauthenticated. A CDI bean; every one found is asked
 * ({@link HubRegistry#isTransient}). Failures of the hubs themselves are mapped by the application's
 * {@link HubFilter}s, which throw a {@link HubUnavailableException}.
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
