package io.switchboard.signalr.protocol;

/** A request for a server-to-client stream. Parsed so it can be refused politely; arguments are not bound. */
public record StreamInvocationMessage(String invocationId, String target) implements HubInvocationMessage {

    @Override
    public int type() {
        return MessageType.STREAM_INVOCATION;
    }
}
