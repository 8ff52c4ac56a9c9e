package io.switchboard.compat;

import io.switchboard.testing.RawHubSocket;
import java.time.Duration;

/** WebSockets: text frames for a text protocol, binary frames for a binary one. */
final class WebSocketWire implements HubWire {

    private final RawHubSocket socket;
    private final boolean binary;

    WebSocketWire(RawHubSocket socket, boolean binary) {
        this.socket = socket;
        this.binary = binary;
    }

    @Override
    public void send(byte[] bytes) {
        if (binary) {
            socket.sendBinary(bytes);
        } else {
            socket.send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Override
    public byte[] receive(Duration timeout) {
        return socket.pollFrame(timeout);
    }

    @Override
    public boolean awaitEnded(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!socket.isClosed() && System.nanoTime() < deadline) {
            sleep();
        }
        return socket.isClosed();
    }

    @Override
    public void close() {
        socket.close();
    }

    static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
