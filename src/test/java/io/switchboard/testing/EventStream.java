package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A raw Server-Sent Events request ({@code Accept: text/event-stream}) whose body is read as it
 * arrives, byte for byte, so tests can check the exact framing. Closing it drops the connection, as
 * a client that goes away does.
 */
public final class EventStream implements AutoCloseable {

    private final HttpResponse<InputStream> response;
    private final StringBuffer received = new StringBuffer();
    private final Thread reader;
    private volatile boolean ended;

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code uri} with an optional Bearer credential; returns once the response headers are in. */
    public static EventStream open(URI uri, String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        try {
            return new EventStream(RawHttpConnection.client()
                    .sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("the event stream did not open", e);
        }
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    private void read() {
        byte[] buffer = new byte[1024];
        try (InputStream body = response.body()) {
            int read;
            while ((read = body.read(buffer)) >= 0) {
                received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // closed by us or by the server
        } finally {
            ended = true;
        }
    }

    /** Everything received so far. */
    public String receivedSoFar() {
        return received.toString();
    }

    /** Whether the server has ended the stream (or it failed). */
    public boolean hasEnded() {
        return ended;
    }

    /** Everything received so far, once it contains {@code text}; fails after 5 s. */
    public String awaitContaining(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            String sofar = received.toString();
            if (sofar.contains(text)) {
                return sofar;
            }
            sleep();
        }
        return fail("expected " + text.replace("\r", "\\r").replace("\n", "\\n") + " in the stream, got: "
                + received.toString().replace("\r", "\\r").replace("\n", "\\n"));
    }

    /** Waits up to 5 s for the server to end the stream. */
    public boolean awaitEnd() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!ended && System.nanoTime() < deadline) {
            sleep();
        }
        return ended;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
