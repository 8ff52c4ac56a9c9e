package io.switchboard.signalr.protocol;

/** A single message larger than the configured maximum receive size. */
public class MessageTooLargeException extends HubProtocolException {

    public MessageTooLargeException(int maxSize) {
        super("The message exceeds the maximum size of " + maxSize + " bytes.");
    }
}
