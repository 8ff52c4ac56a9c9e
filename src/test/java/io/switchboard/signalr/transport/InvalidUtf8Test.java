package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A text frame that is not valid UTF-8 is answered with close code 1007 (RFC 6455, "Invalid frame
 * payload data"); other connections are unaffected. No client library sends one, so this test writes
 * the frames itself.
 */
@QuarkusTest
class InvalidUtf8Test {

    @TestHTTPResource("/")
    URI base;

    /** A client WebSocket frame (masked, as a client must), opcode 1 = text. */
    private static byte[] textFrame(byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length); // the test's payloads are under 126 bytes
        byte[] mask = {1, 2, 3, 4};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** The status code of the first close frame the server sends, skipping data frames. */
    private static int closeCode(DataInputStream in) throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0f;
            int length = in.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = (int) in.readLong();
            }
            byte[] payload = in.readNBytes(length);
            if (opcode == 8) {
                return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            }
        }
    }

    @Test
    void aTextFrameThatIsNotUtf8IsClosedWith1007() throws Exception {
        String token = TestTokens.user("utf8-" + UUID.randomUUID(), "tenant-utf8");
        try (Socket socket = new Socket(base.getHost(), base.getPort());
             RawHubSocket bystander = RawHubSocket.connected(base, "/hubs/chat", token)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
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
            out.write(textFrame("{\"protocol\":\"json\",\"version\":1}\u001e".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0x81, in.readUnsignedByte(), "the handshake answer, a text frame");
            in.readNBytes(in.readUnsignedByte() & 0x7f);

            out.write(textFrame(new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}', 0x1e}));
            out.flush();
            assertEquals(1007, closeCode(in));

            bystander.send("{\"type\":6}\u001e");
            bystander.send("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Nope\",\"arguments\":[]}\u001e");
            assertTrue(bystander.next().contains("\"invocationId\":\"1\""), "other connections are unaffected");
        }
    }
}
