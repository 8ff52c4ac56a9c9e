package io.switchboard.signalr.protocol;

public record CancelInvocationMessage(String invocationId) implements HubMessage {

    @Override
    public int type() {
        return MessageType.CANCEL_INVOCATION;
    }
}
