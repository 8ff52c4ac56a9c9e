package io.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 requests written by hand, for what Java's clients will not send or show: a WebSocket
 * upgrade whose refusal body we read (Java's WebSocket client hides it), or a {@code Content-Length}
 * larger than anything the client will then send.
 */
public final class RawHttp {

    /** The server's answer; header names are lower case. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private RawHttp() {
    }

    /** Sends a WebSocket upgrade for {@code pathAndQuery} with extra {@code headers} (say Authorization). */
    public static Answer upgrade(URI base, String pathAndQuery, Map<String, String> headers) {
        Map<String, String> upgrade = new LinkedHashMap<>(Map.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13"));
        upgrade.putAll(headers);
        return send(base, "GET", pathAndQuery, upgrade);
    }

    /** Sends the request line and {@code headers}, no body, and reads the answer. */
    public static Answer send(URI base, String method, String pathAndQuery, Map<String, String> headers) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder()
                    .append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (status == 101 || !headers.containsKey("content-length")) {
            return new Answer(status, headers, "");
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection mid-answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
