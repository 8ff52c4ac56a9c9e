package io.switchboard.signalr.protocol;

import java.io.IOException;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Walks one MessagePack message body before anything is built from it, checking every length and
 * count against what the body can still hold and the nesting against {@link #MAX_DEPTH}. A header
 * may claim 2^31 - 1 map entries in five bytes; once this walk has passed, every later allocation
 * (maps, lists, strings) is bounded by the size of the frame, which the size limit already caps.
 *
 * <p>The walk is iterative (no recursion a deep value could overflow) and allocates nothing per value.
 */
final class MessagePackStructure {

    /** The deepest nesting a message may use, as for JSON (docs/api.md, "Limits"). */
    static final int MAX_DEPTH = StrictBinding.MAX_DEPTH;

    private MessagePackStructure() {
    }

    /**
     * @throws HubProtocolException when a length or count exceeds the bytes left, the nesting is deeper
     *                              than {@link #MAX_DEPTH}, or the body ends inside a value
     */
    static void check(byte[] bytes, int offset, int length) {
        // Values still to read at each open level; level 0 is the message itself (one value).
        long[] remaining = new long[MAX_DEPTH + 1];
        int depth = 0;
        remaining[0] = 1;
        try (MessageUnpacker reader = MessagePack.newDefaultUnpacker(bytes, offset, length)) {
            while (depth >= 0) {
                if (remaining[depth] == 0) {
                    depth--;
                    continue;
                }
                remaining[depth]--;
                if (!reader.hasNext()) {
                    throw new HubProtocolException("A message ends too early.");
                }
                long left = length - reader.getTotalReadBytes();
                MessageFormat format = reader.getNextFormat();
                switch (format.getValueType()) {
                    case ARRAY -> {
                        long count = reader.unpackArrayHeader() & 0xffffffffL;
                        depth = open(remaining, depth, count, left);
                    }
                    case MAP -> {
                        long count = 2 * (reader.unpackMapHeader() & 0xffffffffL);
                        depth = open(remaining, depth, count, left);
                    }
                    case STRING -> skipPayload(reader, reader.unpackRawStringHeader() & 0xffffffffL, length);
                    case BINARY -> skipPayload(reader, reader.unpackBinaryHeader() & 0xffffffffL, length);
                    case EXTENSION -> skipPayload(reader, reader.unpackExtensionTypeHeader().getLength() & 0xffffffffL,
                            length);
                    default -> reader.skipValue(); // nil, boolean, integer, float: fixed sizes
                }
            }
        } catch (IOException | MessagePackException e) {
            throw new HubProtocolException("A message is not valid MessagePack.");
        }
    }

    /** Enters an array or map of {@code count} values, each taking at least one byte. */
    private static int open(long[] remaining, int depth, long count, long bytesLeft) {
        if (count > bytesLeft) {
            throw new HubProtocolException("A message claims more items than it holds.");
        }
        if (count == 0) {
            return depth;
        }
        if (depth + 1 > MAX_DEPTH) {
            throw new HubProtocolException("A message is nested more than " + MAX_DEPTH + " levels deep.");
        }
        remaining[depth + 1] = count;
        return depth + 1;
    }

    private static void skipPayload(MessageUnpacker reader, long size, int length) throws IOException {
        if (size > length - reader.getTotalReadBytes()) {
            throw new HubProtocolException("A message claims a value longer than itself.");
        }
        // A reference into the input: nothing is copied (the size was checked against the body above).
        reader.readPayloadAsReference((int) size);
    }
}
