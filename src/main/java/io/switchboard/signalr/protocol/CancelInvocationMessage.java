package io.switchboard.signalr.protocol;

public record CancelInvocationMessage(String invocationId) implements HubInvocationMessage {

    @Override
    public int type() {
        return MessageType.CANCEL_INVOCATION;
    }
}
