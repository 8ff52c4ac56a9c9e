package io.switchboard.signalr.protocol;

/**
 * Input that breaks the protocol itself (not a single invocation): the connection cannot continue.
 * The message is safe to show to the client.
 */
public class HubProtocolException extends RuntimeException {

    public HubProtocolException(String message) {
        super(message);
    }

    public HubProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
