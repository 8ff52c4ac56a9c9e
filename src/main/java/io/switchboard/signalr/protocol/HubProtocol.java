package io.switchboard.signalr.protocol;

import java.nio.ByteBuffer;
import java.util.List;

/** Parses and writes hub messages of one protocol (as {@code IHubProtocol}). */
public interface HubProtocol {

    /** The name a client asks for in the handshake ({@code json}, {@code messagepack}). */
    String name();

    /** The highest protocol version this implementation speaks. */
    int version();

    TransferFormat transferFormat();

    /**
     * Parses every complete message at the buffer's position and advances past them; an incomplete
     * message at the end is left in the buffer for the next read.
     *
     * @throws MessageTooLargeException when one message (complete or still arriving) exceeds {@code maxMessageSize}
     * @throws HubProtocolException when the input is not this protocol
     */
    default List<HubMessage> parseMessages(ByteBuffer input, InvocationBinder binder, int maxMessageSize) {
        return parseMessages(input, binder, maxMessageSize, Integer.MAX_VALUE);
    }

    /**
     * As {@link #parseMessages(ByteBuffer, InvocationBinder, int)}, stopping after {@code maxMessages}
     * messages so the caller can stop reading when it cannot take more (back-pressure).
     */
    List<HubMessage> parseMessages(ByteBuffer input, InvocationBinder binder, int maxMessageSize, int maxMessages);

    /** The message framed for the wire (separator or length prefix included). */
    byte[] write(HubMessage message);
}
