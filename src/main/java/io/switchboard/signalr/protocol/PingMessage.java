package io.switchboard.signalr.protocol;

public record PingMessage() implements HubMessage {

    public static final PingMessage INSTANCE = new PingMessage();

    @Override
    public int type() {
        return MessageType.PING;
    }
}
