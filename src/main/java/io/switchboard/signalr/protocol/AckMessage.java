package io.switchboard.signalr.protocol;

/** Stateful reconnect: the peer has received every message up to {@code sequenceId}. */
public record AckMessage(long sequenceId) implements HubMessage {

    @Override
    public int type() {
        return MessageType.ACK;
    }
}
