package io.switchboard.signalr.server;

/**
 * A failure whose message is meant for the caller ("Pending change not found"). Any other
 * exception from a hub method is reported with a generic sentence, never its message.
 */
public class HubException extends RuntimeException {

    public HubException(String message) {
        super(message, null, false, false);
    }

    /** With the failure behind it, for the log only: the caller reads {@code message} alone. */
    protected HubException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
