package io.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy a test puts between a client and the application, to fail the network on
 * demand: {@link #severAll()} resets every connection it carries (both sides see the TCP connection
 * end, no WebSocket close frame), and {@link #hold()} keeps new connections waiting, accepted but not
 * forwarded, until {@link #resume()}; {@link #cut()} is a server that stopped: every connection is
 * reset and new ones are reset at once, until {@link #resume()}; {@link #retarget(int)} sends new
 * connections elsewhere, as a load balancer does once a replica leaves its endpoints. Listens on an
 * ephemeral port of 127.0.0.1; everything it starts ends with {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {

    /** How long a held connection waits at most before it is forwarded anyway. */
    private static final long HOLD_LIMIT_SECONDS = 30;

    private final ServerSocket listener;
    private volatile int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean refusing;
    private volatile boolean closed;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon(this::acceptLoop, "tcp-proxy-accept");
    }

    /** A proxy forwarding to {@code targetPort} on 127.0.0.1. */
    public static TcpProxy start(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<proxy port>} followed by {@code path}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + path);
    }

    /**
     * Resets every connection the proxy carries now, on both sides. Connections accepted meanwhile
     * (a client reconnects within microseconds) are left alone.
     */
    public void severAll() {
        List<Socket> current = List.copyOf(sockets);
        sockets.removeAll(current);
        for (Socket socket : current) {
            reset(socket);
        }
    }

    /** From now on new connections are accepted but wait, unforwarded, until {@link #resume()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /**
     * As if the server behind stopped: resets every connection carried now, and from now on resets new
     * ones as soon as they are accepted, until {@link #resume()}.
     */
    public void cut() {
        refusing = true;
        severAll();
    }

    /** From now on new connections go to {@code port}; connections already carried stay where they are. */
    public void retarget(int port) {
        targetPort = port;
    }

    /** Forwards the held connections and every later one (ends {@link #hold()} and {@link #cut()}). */
    public void resume() {
        refusing = false;
        gate.countDown();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    reset(client);
                    continue;
                }
                sockets.add(client);
                CountDownLatch held = gate;
                daemon(() -> forward(client, held), "tcp-proxy-connect");
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void forward(Socket client, CountDownLatch held) {
        try {
            held.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS);
            if (client.isClosed()) {
                return;
            }
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(upstream);
            if (refusing) { // cut while this connection was being set up
                reset(client);
                reset(upstream);
                return;
            }
            AtomicInteger directionsOpen = new AtomicInteger(2);
            daemon(() -> pump(client, upstream, directionsOpen), "tcp-proxy-up");
            daemon(() -> pump(upstream, client, directionsOpen), "tcp-proxy-down");
        } catch (IOException e) {
            reset(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies one direction; an orderly end is passed on as such, anything else resets both sides. */
    private void pump(Socket from, Socket to, AtomicInteger directionsOpen) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
            to.shutdownOutput();
            if (directionsOpen.decrementAndGet() == 0) {
                from.close();
                to.close();
                sockets.remove(from);
                sockets.remove(to);
            }
        } catch (IOException e) {
            reset(from);
            reset(to);
        }
    }

    /** Closes with SO_LINGER 0: the peer gets a TCP reset, as when a network path dies. */
    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        } catch (IOException e) {
            // Already gone.
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        resume();
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        severAll();
    }
}
