package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A WebSocket spoken byte by byte over a plain socket, for frames no client library sends (invalid
 * UTF-8, a length beyond every bound). The upgrade is answered before anything else is written.
 */
public final class RawWebSocketWire implements AutoCloseable {

    /** A frame the server sent. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocketWire(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Upgrades {@code hubPath} with the bearer {@code token}, and sends the json handshake. */
    public static RawWebSocketWire connected(URI base, String hubPath, String token) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(5_000);
        RawWebSocketWire wire = new RawWebSocketWire(socket);
        String key = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 16).getBytes());
        wire.out.write(("GET " + hubPath + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + key + "\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) wire.in.readUnsignedByte());
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        wire.sendText("{\"protocol\":\"json\",\"version\":1}\u001e".getBytes(StandardCharsets.UTF_8));
        String answer = wire.next().text();
        if (!answer.equals("{}\u001e")) {
            throw new IllegalStateException("handshake refused: " + answer);
        }
        return wire;
    }

    /** A text frame (masked, as a client must) with a payload under 126 bytes, valid UTF-8 or not. */
    public void sendText(byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        sendRaw(frame.toByteArray());
    }

    /** Bytes as they are. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame the server sends. */
    public Frame next() throws IOException {
        int opcode = in.readUnsignedByte() & 0x0f;
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = (int) in.readLong();
        }
        return new Frame(opcode, in.readNBytes(length));
    }

    /** The next close frame, skipping data frames. */
    public Frame nextClose() throws IOException {
        Frame frame = next();
        while (frame.opcode() != 8) {
            frame = next();
        }
        return frame;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
