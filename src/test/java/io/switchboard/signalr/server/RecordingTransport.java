package io.switchboard.signalr.server;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A transport that keeps what is written to it, for lifetime-manager and handler tests. */
public final class RecordingTransport implements Transport {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    @Override
    public String name() {
        return "Recording";
    }

    @Override
    public void send(EncodedFrame frame) {
        frames.add(frame.text());
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Waits up to {@code timeout} for the transport to be closed. */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return closed;
            }
        }
        return closed;
    }

    /** The next frame written, or null after {@code timeout}. */
    public String poll(Duration timeout) {
        try {
            return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
