package io.switchboard.signalr.protocol;

/** Wire values of the {@code type} field (HubProtocol.md). */
public final class MessageType {
    public static final int INVOCATION = 1;
    public static final int STREAM_ITEM = 2;
    public static final int COMPLETION = 3;
    public static final int STREAM_INVOCATION = 4;
    public static final int CANCEL_INVOCATION = 5;
    public static final int PING = 6;
    public static final int CLOSE = 7;
    public static final int ACK = 8;
    public static final int SEQUENCE = 9;

    private MessageType() {
    }
}
