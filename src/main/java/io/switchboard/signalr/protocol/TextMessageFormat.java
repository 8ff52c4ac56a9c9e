package io.switchboard.signalr.protocol;

import java.nio.ByteBuffer;

/** Text framing: every message ends with the ASCII record separator 0x1E. */
public final class TextMessageFormat {

    public static final byte RECORD_SEPARATOR = 0x1e;

    private TextMessageFormat() {
    }

    /** Index of the next separator at or after the buffer's position, or -1. */
    static int indexOfSeparator(ByteBuffer input) {
        for (int i = input.position(); i < input.limit(); i++) {
            if (input.get(i) == RECORD_SEPARATOR) {
                return i;
            }
        }
        return -1;
    }
}
