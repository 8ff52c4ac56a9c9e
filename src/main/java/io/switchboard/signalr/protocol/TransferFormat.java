package io.switchboard.signalr.protocol;

/** Whether a protocol's frames are text (WebSocket text frames, SSE) or binary. */
public enum TransferFormat {
    TEXT("Text"), BINARY("Binary");

    private final String displayName;

    TransferFormat(String displayName) {
        this.displayName = displayName;
    }

    /** The name negotiate and ASP.NET Core's messages use ({@code Text}, {@code Binary}). */
    public String displayName() {
        return displayName;
    }
}
