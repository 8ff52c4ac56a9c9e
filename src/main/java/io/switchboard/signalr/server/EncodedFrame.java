package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.TransferFormat;
import java.nio.charset.StandardCharsets;

/**
 * One serialized message, ready for any number of connections of the same protocol. Text protocols
 * also need a {@link String} for text WebSocket frames; it is built once, on first use.
 */
public final class EncodedFrame {

    private final byte[] bytes;
    private final TransferFormat format;
    private volatile String text;

    public EncodedFrame(byte[] bytes, TransferFormat format) {
        this.bytes = bytes;
        this.format = format;
    }

    public byte[] bytes() {
        return bytes;
    }

    public TransferFormat format() {
        return format;
    }

    public String text() {
        String result = text;
        if (result == null) {
            result = new String(bytes, StandardCharsets.UTF_8);
            text = result;
        }
        return result;
    }
}
