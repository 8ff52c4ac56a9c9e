package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket frame or message over the transport's 1 MiB bound is refused like any message over the
 * hub's size limit: a SignalR Close message saying so, then the socket closes (before: a frame over
 * 1 MiB ended in 1006 with nothing said, and a message over 1 MiB sent as several frames was dropped
 * silently while the connection stayed open).
 */
@QuarkusTest
class OversizedWebSocketMessageTest {

    private static final String TOO_LARGE = "Connection closed with an error. The message exceeds the maximum size of";

    @TestHTTPResource("/")
    URI base;

    @Test
    void aFrameOverOneMebibyteGetsACloseMessageSayingItIsTooLarge() throws Exception {
        String token = TestTokens.user("frame-" + UUID.randomUUID(), "tenant-frames");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = upgrade(socket, out, token);
            out.write(maskedFrame(0x81, "{\"protocol\":\"json\",\"version\":1}\u001e".getBytes(StandardCharsets.UTF_8)));
            assertEquals("{}\u001e", readFrame(in).text());

            // Only the header of a 2 MiB text frame and its first bytes: the length alone is refused.
            out.write(new byte[] {(byte) 0x81, (byte) (0x80 | 127)});
            out.write(java.nio.ByteBuffer.allocate(8).putLong(2L << 20).array());
            out.write(new byte[] {1, 2, 3, 4});
            out.write(new byte[4096]);
            out.flush();

            Frame close = readFrame(in);
            assertEquals(1, close.opcode(), "a text frame with the Close message, not just a closed socket");
            assertTrue(close.text().startsWith("{\"type\":7,\"error\":\"" + TOO_LARGE), close.text());
            assertEquals(8, readFrame(in).opcode(), "then the WebSocket close frame");
        }
    }

    @Test
    void aMessageOverOneMebibyteInSeveralFramesGetsACloseMessageToo() {
        String token = TestTokens.user("fragments-" + UUID.randomUUID(), "tenant-frames");
        try (RawHubSocket socket = RawHubSocket.connected(base, "/hubs/chat", token)) {
            String part = "x".repeat(600 * 1024);
            socket.sendFragments(part, part, "\u001e");
            String close = socket.poll(Duration.ofSeconds(5));
            assertTrue(close != null && close.startsWith("{\"type\":7,\"error\":\"" + TOO_LARGE), String.valueOf(close));
            socket.awaitClosed();
        }
    }

    private DataInputStream upgrade(Socket socket, OutputStream out, String token) throws IOException {
        String key = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 16).getBytes());
        out.write(("GET /hubs/chat HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + key + "\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        return in;
    }

    /** A client frame (masked, as a client must) with a payload under 126 bytes. */
    private static byte[] maskedFrame(int firstByte, byte[] payload) {
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) firstByte;
        frame[1] = (byte) (0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    private record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static Frame readFrame(DataInputStream in) throws IOException {
        int opcode = in.readUnsignedByte() & 0x0f;
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = (int) in.readLong();
        }
        return new Frame(opcode, in.readNBytes(length));
    }
}
