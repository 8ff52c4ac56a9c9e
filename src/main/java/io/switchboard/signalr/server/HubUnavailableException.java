package io.switchboard.signalr.server;

/**
 * The hub cannot serve for the moment (a dependency such as the database is away) and the caller may
 * try again; the application throws it, typically from a {@link HubFilter} that recognises its
 * outages, as only it knows which failures are temporary. The engine answers an invocation with an
 * error Completion carrying the message (counted as {@code outcome=unavailable}), closes a connection
 * whose {@code onConnected} failed so with a Close that allows reconnecting, so clients with automatic
 * reconnect come back by themselves, and logs a failed {@code onDisconnected} as a warning, not an
 * error. ASP.NET Core leaves this to a hub filter; the engine only names the outcome.
 */
public class HubUnavailableException extends HubException {

    /**
     * @param message what the caller is told
     * @param cause   the failure behind it, logged at DEBUG only (the outage itself is reported elsewhere)
     */
    public HubUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
