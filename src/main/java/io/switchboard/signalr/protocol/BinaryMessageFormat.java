package io.switchboard.signalr.protocol;

import java.nio.ByteBuffer;

/**
 * Binary framing (HubProtocol.md, "Binary encoding"): every message body is preceded by its length
 * as a VarInt of 1 to 5 bytes, least significant 7 bits first, high bit set on every byte but the last.
 */
public final class BinaryMessageFormat {

    /** 0x7fffffff, the largest length a 5-byte prefix may carry. */
    private static final int MAX_PREFIX_BYTES = 5;

    private BinaryMessageFormat() {
    }

    /** Where the body of the next message starts and how long it is. */
    record Frame(int bodyStart, int bodyLength) {
    }

    /**
     * Reads the length prefix at the buffer's position without moving it; null while the
     * prefix itself is incomplete.
     *
     * @throws HubProtocolException when the prefix is longer than 5 bytes or the length is over 2 GB
     */
    static Frame readFrame(ByteBuffer input) {
        long length = 0;
        int index = input.position();
        for (int count = 0; count < MAX_PREFIX_BYTES; count++, index++) {
            if (index >= input.limit()) {
                return null;
            }
            byte b = input.get(index);
            length |= (long) (b & 0x7f) << (7 * count);
            if ((b & 0x80) == 0) {
                if (length > Integer.MAX_VALUE) {
                    break;
                }
                return new Frame(index + 1, (int) length);
            }
        }
        throw new HubProtocolException("Messages over 2 GB are not supported.");
    }

    /** {@code body} with its length prefix in front. */
    public static byte[] frame(byte[] body) {
        int prefixLength = prefixLength(body.length);
        byte[] framed = new byte[prefixLength + body.length];
        int length = body.length;
        for (int i = 0; i < prefixLength; i++) {
            int group = length & 0x7f;
            length >>>= 7;
            framed[i] = (byte) (length > 0 ? group | 0x80 : group);
        }
        System.arraycopy(body, 0, framed, prefixLength, body.length);
        return framed;
    }

    private static int prefixLength(int length) {
        int bytes = 1;
        while ((length >>>= 7) > 0) {
            bytes++;
        }
        return bytes;
    }
}
