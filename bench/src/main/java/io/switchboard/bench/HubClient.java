package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SignalR client on the JSON hub protocol over WebSockets. Like the official clients when told to
 * skip negotiation, it opens the WebSocket straight on the hub with {@code ?access_token=}, sends the
 * handshake, pings every 15 s (the server closes a client silent for 30 s) and does not answer the
 * server's pings.
 */
final class HubClient {
    static final long PING_EVERY_NANOS = 15_000_000_000L;
    private static final String PING = "{\"type\":6}" + Records.RS;

    /** Invocations the server sends; {@code at} is the System.nanoTime() the frame arrived. */
    interface Listener {
        void invocation(HubClient client, String target, String record, long at);
    }

    private final Records records = new Records();
    private final Map<String, Promise<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final Listener listener;
    private final Promise<HubClient> handshake = Promise.promise();
    private WebSocket socket;
    private volatile long lastSent;
    volatile boolean closed;

    private HubClient(Listener listener) {
        this.listener = listener;
    }

    static Future<HubClient> connect(WebSocketClient client, URI base, String hubPath, String token, Listener listener) {
        HubClient hub = new HubClient(listener);
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setURI(hubPath + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        return client.connect(options).compose(socket -> {
            hub.socket = socket;
            socket.textMessageHandler(hub::received);
            socket.closeHandler(v -> hub.closedByPeer());
            socket.exceptionHandler(e -> hub.closedByPeer());
            hub.write("{\"protocol\":\"json\",\"version\":1}" + Records.RS);
            return hub.handshake.future();
        });
    }

    /** Invokes a hub method; the future holds the Completion record, or fails with its error. */
    Future<String> invoke(String target, String... jsonArguments) {
        String id = Long.toString(nextId.incrementAndGet());
        Promise<String> completion = Promise.promise();
        pending.put(id, completion);
        write("{\"type\":1,\"invocationId\":\"" + id + "\",\"target\":\"" + target + "\",\"arguments\":["
                + String.join(",", jsonArguments) + "]}" + Records.RS);
        return completion.future();
    }

    void keepAlive(long now) {
        if (!closed && socket != null && now - lastSent >= PING_EVERY_NANOS) {
            write(PING);
        }
    }

    Future<Void> close() {
        closed = true;
        return socket == null ? Future.succeededFuture() : socket.close();
    }

    private void write(String text) {
        lastSent = System.nanoTime();
        socket.writeTextMessage(text);
    }

    private void received(String text) {
        long at = System.nanoTime();
        List<String> complete = records.feed(text);
        for (String record : complete) {
            int type = Json.integer(record, "type");
            switch (type) {
                case -1 -> {
                    String error = Json.string(record, "error");
                    if (error != null) {
                        handshake.tryFail("handshake refused: " + error);
                    } else {
                        handshake.tryComplete(this);
                    }
                }
                case 1 -> listener.invocation(this, Json.string(record, "target"), record, at);
                case 3 -> {
                    Promise<String> completion = pending.remove(Json.string(record, "invocationId"));
                    if (completion != null) {
                        String error = Json.string(record, "error");
                        if (error != null) {
                            completion.fail(error);
                        } else {
                            completion.complete(record);
                        }
                    }
                }
                case 7 -> {
                    closed = true;
                    handshake.tryFail("server closed: " + record);
                }
                default -> {
                    // 6 (Ping) needs no answer
                }
            }
        }
    }

    private void closedByPeer() {
        closed = true;
        handshake.tryFail("closed before the handshake");
        pending.values().forEach(p -> p.tryFail("connection closed"));
        pending.clear();
    }
}
