package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket on a hub path, for sending what official clients never send. Received text is
 * split on the record separator into messages; binary frames are kept whole, one entry per frame.
 */
public final class RawHubSocket implements AutoCloseable {

    public static final char RS = '\u001e';

    private final WebSocket socket;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> binaryFrames = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> wholeFrames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private RawHubSocket(URI uri, String token) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        this.socket = builder.buildAsync(uri, new Collector()).join();
    }

    /** Opens {@code hubPath} without negotiating (skipNegotiation). */
    public static RawHubSocket open(URI base, String hubPath, String token) {
        URI http = base.resolve(hubPath);
        return new RawHubSocket(URI.create(http.toString().replaceFirst("^http", "ws")), token);
    }

    /** Opens {@code pathAndQuery} as given, for example with {@code ?id=} or {@code ?access_token=}. */
    public static RawHubSocket openWithQuery(URI base, String pathAndQuery, String token) {
        return new RawHubSocket(URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + pathAndQuery),
                token);
    }

    /** Opens and completes a json v1 handshake. */
    public static RawHubSocket connected(URI base, String hubPath, String token) {
        RawHubSocket socket = open(base, hubPath, token);
        socket.send("{\"protocol\":\"json\",\"version\":1}" + RS);
        String answer = socket.next();
        if (!"{}".equals(answer)) {
            throw new IllegalStateException("handshake refused: " + answer);
        }
        return socket;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Sends one text frame in parts, as several WebSocket fragments. */
    public void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    /** The next message, skipping pings; fails after 5 s. */
    public String next() {
        while (true) {
            String message = poll(Duration.ofSeconds(5));
            assertNotNull(message, "expected a message within 5 s");
            if (!message.equals("{\"type\":6}")) {
                return message;
            }
        }
    }

    public String poll(Duration timeout) {
        try {
            return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next binary frame, whole; fails after 5 s. */
    public byte[] nextBinary() {
        try {
            byte[] frame = binaryFrames.poll(5, TimeUnit.SECONDS);
            assertNotNull(frame, "expected a binary frame within 5 s");
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bytes of the next frame, text or binary, exactly as sent (a text frame's record separators
     * kept), or null when none comes within {@code timeout}. Frames read here are still seen by
     * {@link #next()} and {@link #nextBinary()}, and the other way round.
     */
    public byte[] pollFrame(Duration timeout) {
        try {
            return wholeFrames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops the TCP connection without a WebSocket close frame, as a network failure would: for the
     * server the transport is lost, not closed by the client.
     */
    public void drop() {
        socket.abort();
    }

    /** Closes with a close frame and waits for the server's answer, as a client that leaves on purpose. */
    public void goodbye() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        awaitClosed();
        socket.abort();
    }

    /** The close status code once the server has closed the socket; fails after 5 s. */
    public int awaitClosed() {
        try {
            return closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the socket within 5 s", e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder wholeText = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            wholeText.append(data);
            if (last) {
                wholeFrames.add(wholeText.toString().getBytes(StandardCharsets.UTF_8));
                wholeText.setLength(0);
            }
            text.append(data);
            int separator;
            while ((separator = text.indexOf(String.valueOf(RS))) >= 0) {
                messages.add(text.substring(0, separator));
                text.delete(0, separator + 1);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                binaryFrames.add(binary.toByteArray());
                wholeFrames.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
