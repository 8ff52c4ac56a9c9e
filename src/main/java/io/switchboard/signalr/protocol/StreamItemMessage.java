package io.switchboard.signalr.protocol;

/** One item of a client-to-server stream. Parsed so it can be ignored safely; the item is not bound. */
public record StreamItemMessage(String invocationId) implements HubInvocationMessage {

    @Override
    public int type() {
        return MessageType.STREAM_ITEM;
    }
}
