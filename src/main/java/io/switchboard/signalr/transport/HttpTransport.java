package io.switchboard.signalr.transport;

import io.switchboard.signalr.server.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * A server-to-client half transport over plain HTTP (Server-Sent Events, Long Polling); the client's
 * frames arrive separately, by {@code POST}. Whoever attaches the transport to a hub connection is
 * told once when it ends, whichever side ended it.
 */
abstract sealed class HttpTransport implements Transport permits LongPollingTransport, ServerSentEventsTransport {

    private static final Runnable NOTHING = () -> {
    };

    private Runnable onEnded = NOTHING;
    private boolean ended;
    private boolean readingPaused;
    private List<Runnable> whenReading = new ArrayList<>(0);

    /** Runs {@code listener} once when the transport ends; at once if it already has. */
    final void onEnded(Runnable listener) {
        boolean runNow;
        synchronized (this) {
            runNow = ended;
            onEnded = runNow ? NOTHING : listener;
        }
        if (runNow) {
            listener.run();
        }
    }

    /** Marks the transport ended and tells the listener, outside any lock, exactly once. */
    protected final void ended() {
        Runnable listener;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            listener = onEnded;
            onEnded = NOTHING;
        }
        listener.run();
        runWhenReading(); // nothing more will be read: answer the POSTs waiting for room
    }

    /**
     * The connection's invocation queue is full. The client's frames come by POST: the POST that
     * filled it is answered, and the next one read, only once reading goes on (back-pressure).
     */
    @Override
    public final void pauseReading() {
        synchronized (this) {
            readingPaused = !ended;
        }
    }

    @Override
    public final void resumeReading() {
        synchronized (this) {
            readingPaused = false;
        }
        runWhenReading();
    }

    /** Runs {@code action} once the server reads this connection again (at once when it does now). */
    final void whenReading(Runnable action) {
        synchronized (this) {
            if (readingPaused) {
                whenReading.add(action);
                return;
            }
        }
        action.run();
    }

    private void runWhenReading() {
        List<Runnable> waiting;
        synchronized (this) {
            if (whenReading.isEmpty()) {
                return;
            }
            waiting = whenReading;
            whenReading = new ArrayList<>(0);
        }
        waiting.forEach(Runnable::run);
    }

    /**
     * Called once the connection is registered and its POSTs can be received; a transport that tells
     * the client it is open (Server-Sent Events) does so only now.
     */
    void attached() {
    }

    /** True once the transport has ended; requests on it are then answered as for a closed connection. */
    abstract boolean isClosed();

    /** How long the transport has been closed, or 0 while it is open. */
    abstract long nanosSinceClosed(long now);
}
