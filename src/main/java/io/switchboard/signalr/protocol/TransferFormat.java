package io.switchboard.signalr.protocol;

/** Whether a protocol's frames are text (WebSocket text frames, SSE) or binary. */
public enum TransferFormat {
    TEXT, BINARY
}
