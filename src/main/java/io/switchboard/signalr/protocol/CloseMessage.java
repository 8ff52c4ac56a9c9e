package io.switchboard.signalr.protocol;

/** Tells the peer the connection ends; {@code error} is null for a normal close. */
public record CloseMessage(String error, boolean allowReconnect) implements HubMessage {

    public static final CloseMessage NORMAL = new CloseMessage(null, false);

    public static CloseMessage error(String error) {
        return new CloseMessage(error, false);
    }

    @Override
    public int type() {
        return MessageType.CLOSE;
    }
}
