package io.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A hub connection driven frame by frame over any {@link HubWire}: the handshake answer is read as
 * JSON text up to its 0x1E (for every protocol), then messages of the chosen protocol, however the
 * transport cut them into frames, events or poll answers.
 */
final class HubSession implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final HubWire wire;
    private final WireProtocol protocol;
    private final ByteArrayOutputStream unread = new ByteArrayOutputStream();

    HubSession(HubWire wire, WireProtocol protocol) {
        this.wire = wire;
        this.protocol = protocol;
    }

    WireProtocol protocol() {
        return protocol;
    }

    HubWire wire() {
        return wire;
    }

    void send(byte[] bytes) {
        wire.send(bytes);
    }

    /** The handshake answer's JSON, without its separator ({@code {}} or {@code {"error":…}}). */
    String handshakeAnswer() {
        byte[] message = nextMessage(WireProtocol::separatorAfter);
        return new String(message, 0, message.length - 1, StandardCharsets.UTF_8);
    }

    /** The next message that is not a Ping. */
    ServerMessage next() {
        while (true) {
            byte[] bytes = nextMessage(protocol::nextMessageEnd);
            ServerMessage message = protocol.read(bytes, 0, bytes.length);
            if (message.type() != ServerMessage.PING) {
                return message;
            }
        }
    }

    /** The next Completion, skipping the invocations (events) before it. */
    ServerMessage nextCompletion() {
        ServerMessage message = next();
        while (message.type() != ServerMessage.COMPLETION) {
            message = next();
        }
        return message;
    }

    @FunctionalInterface
    private interface Framing {
        int end(byte[] buffer, int start, int end);
    }

    private byte[] nextMessage(Framing framing) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            byte[] buffered = unread.toByteArray();
            int end = framing.end(buffered, 0, buffered.length);
            if (end > 0) {
                unread.reset();
                unread.write(buffered, end, buffered.length - end);
                return Arrays.copyOf(buffered, end);
            }
            byte[] more = wire.receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            assertNotNull(more, "expected a message from the server within " + WAIT);
            unread.writeBytes(more);
        }
    }

    /** Whether the server ended the connection, reading and dropping whatever it still sent. */
    boolean awaitEnded() {
        return wire.awaitEnded(WAIT);
    }

    @Override
    public void close() {
        wire.close();
    }

    static List<Object> args(Object... values) {
        return Arrays.asList(values);
    }
}
