package io.switchboard.signalr.protocol;

/** Stateful reconnect: the next message sent has sequence id {@code sequenceId}. */
public record SequenceMessage(long sequenceId) implements HubMessage {

    @Override
    public int type() {
        return MessageType.SEQUENCE;
    }
}
