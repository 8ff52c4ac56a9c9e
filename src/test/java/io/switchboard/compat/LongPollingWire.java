package io.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.testing.RawHttpConnection;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Long Polling: frames go out as POSTs; each receive is one poll (a poll held past the timeout stays
 * in flight and is read by the next receive). A {@code 204} answer means the connection is over.
 */
final class LongPollingWire implements HubWire {

    private final RawHttpConnection connection;
    private CompletableFuture<HttpResponse<byte[]>> poll;
    private boolean ended;

    LongPollingWire(RawHttpConnection connection) {
        this.connection = connection;
    }

    /** The client's first poll, which the server answers at once with nothing. */
    HttpResponse<byte[]> firstPoll() {
        return pollNow();
    }

    /** One poll, waited for. */
    HttpResponse<byte[]> pollNow() {
        return RawHttpConnection.client().sendAsync(connection.request().GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).join();
    }

    @Override
    public void send(byte[] bytes) {
        assertEquals(200, connection.post(bytes).statusCode(), "POST of a frame");
    }

    @Override
    public byte[] receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            if (poll == null) {
                poll = RawHttpConnection.client().sendAsync(connection.request().GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            }
            HttpResponse<byte[]> answer;
            try {
                answer = poll.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return null;
            } catch (Exception e) {
                throw new AssertionError("a poll failed", e);
            }
            poll = null;
            if (answer.statusCode() == 204) {
                ended = true;
            } else if (answer.body().length > 0) {
                return answer.body();
            }
        }
        return null;
    }

    @Override
    public boolean awaitEnded(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended && System.nanoTime() < deadline) {
            receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        return ended;
    }

    @Override
    public void close() {
        if (!ended) {
            connection.delete();
        }
    }
}
