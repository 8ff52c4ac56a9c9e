package io.switchboard.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP proxy in front of the application that forwards plain HTTP (streamed both ways, so
 * Server-Sent Events and held polls pass) and answers every WebSocket upgrade {@code 400}, like a
 * corporate proxy that does not carry WebSockets. It records what it saw, so a test can tell from the
 * outside which transports a client tried and which it ended up using.
 */
public final class WebSocketRefusingProxy implements AutoCloseable {

    /** Hop-by-hop headers (RFC 9110 §7.6.1) a proxy does not forward. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");

    private final Vertx vertx = Vertx.vertx();
    private final URI target;
    private final HttpClient client;
    private final HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private WebSocketRefusingProxy(URI target) throws Exception {
        this.target = target;
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(20));
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Starts a proxy for the application at {@code target} (its base URI). */
    public static WebSocketRefusingProxy start(URI target) {
        try {
            return new WebSocketRefusingProxy(target);
        } catch (Exception e) {
            throw new IllegalStateException("the proxy did not start", e);
        }
    }

    /** The proxy's base URI, to give clients instead of the application's. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    /**
     * What reached the proxy, one entry per request: {@code "refused upgrade"}, or the method and path,
     * with {@code " (event stream)"} for a GET that asked for Server-Sent Events.
     */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpServerRequest in) {
        if ("websocket".equalsIgnoreCase(in.getHeader("Upgrade"))) {
            seen.add("refused upgrade");
            in.response().setStatusCode(400).end("WebSockets are not allowed through this proxy");
            return;
        }
        String accept = in.getHeader("Accept");
        seen.add(in.method() + " " + in.path()
                + (accept != null && accept.contains("text/event-stream") ? " (event stream)" : ""));
        in.pause();
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(target.getHost())
                .setPort(target.getPort()).setURI(in.uri()).setHeaders(forwardable(in.headers()));
        client.request(options).onSuccess(out -> forward(in, out)).onFailure(failure -> badGateway(in.response()));
    }

    private void forward(HttpServerRequest in, HttpClientRequest out) {
        HttpServerResponse response = in.response();
        // A client that goes away takes the upstream request with it, so the server sees it leave.
        response.closeHandler(ignored -> out.reset());
        out.response().onSuccess(upstream -> answer(response, upstream))
                .onFailure(failure -> badGateway(response));
        if (in.headers().contains("Content-Length") || in.headers().contains("Transfer-Encoding")) {
            if (!in.headers().contains("Content-Length")) {
                out.setChunked(true);
            }
            in.pipeTo(out);
        } else {
            in.resume();
            out.end();
        }
    }

    private static void answer(HttpServerResponse response, HttpClientResponse upstream) {
        response.setStatusCode(upstream.statusCode());
        response.headers().addAll(forwardable(upstream.headers()));
        if (!upstream.headers().contains("Content-Length")) {
            response.setChunked(true);
        }
        // Not pipeTo: when the client leaves while a chunk is on its way, the pipe still writes it to the
        // closed response, and Vert.x logs the IllegalStateException at ERROR (seen in a CI run).
        upstream.handler(chunk -> {
            if (gone(response)) {
                return;
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                upstream.pause();
                response.drainHandler(drained -> upstream.resume());
            }
        });
        upstream.endHandler(ended -> {
            if (!gone(response)) {
                response.end();
            }
        });
        upstream.exceptionHandler(failure -> {
            if (!gone(response)) {
                response.reset();
            }
        });
    }

    private static boolean gone(HttpServerResponse response) {
        return response.ended() || response.closed();
    }

    private static MultiMap forwardable(MultiMap headers) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(header -> {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                copy.add(header.getKey(), header.getValue());
            }
        });
        return copy;
    }

    private static void badGateway(HttpServerResponse response) {
        if (!gone(response)) {
            response.setStatusCode(502).end();
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the proxy did not stop", e);
        }
    }
}
