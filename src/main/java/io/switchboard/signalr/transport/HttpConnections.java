package io.switchboard.signalr.transport;

import io.switchboard.signalr.server.HubPrincipal;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.SignalRConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Connections on Server-Sent Events or Long Polling, keyed by the connection token every request of
 * theirs carries in {@code id} (ASP.NET Core's HttpConnectionManager). A negotiated token becomes an
 * entry here when its first GET attaches a transport. Periodically, Long Polling connections that
 * stopped polling are closed, and closed connections are forgotten after
 * {@link SignalRConfig#disconnectTimeout()}, until when a poll on them is answered {@code 204}.
 */
@Singleton
class HttpConnections {

    private static final Logger LOG = Logger.getLogger(HttpConnections.class);

    private final ConcurrentMap<String, HttpConnection> byToken = new ConcurrentHashMap<>();
    private final NegotiatedConnections negotiated;
    private final SignalRConfig config;
    private final Vertx vertx;
    private final long timer;

    HttpConnections(NegotiatedConnections negotiated, SignalRConfig config, Vertx vertx) {
        this.negotiated = negotiated;
        this.config = config;
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(config.housekeepingInterval().toMillis(), id -> housekeeping());
    }

    Optional<HttpConnection> find(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /**
     * Claims a negotiated token for a new HTTP transport, made by {@code transportFor} from the
     * connection id. Empty when the token was never negotiated on this hub, was already claimed, or
     * belongs to someone else (who does not use it up).
     */
    Optional<HttpConnection> attach(String token, HubConnectionHandler handler, HubPrincipal user,
                                    Function<String, HttpTransport> transportFor) {
        Optional<NegotiatedConnections.Negotiated> claimed = negotiated.claim(token, handler.hub().path(), user.userId());
        if (claimed.isEmpty() || !claimed.get().userKey().equals(user.userId())) {
            return Optional.empty();
        }
        HttpTransport transport = transportFor.apply(claimed.get().connectionId());
        HttpConnection connection = new HttpConnection(claimed.get(), handler, user, transport);
        byToken.put(token, connection);
        transport.attached();
        return Optional.of(connection);
    }

    private void housekeeping() {
        long now = System.nanoTime();
        long timeout = config.disconnectTimeout().toNanos();
        byToken.values().removeIf(connection -> {
            HttpTransport transport = connection.transport();
            if (transport instanceof LongPollingTransport polling && polling.isAbandoned(now, timeout)) {
                LOG.debugf("Closing connection %s: no poll for %s", connection.connectionId(), config.disconnectTimeout());
                polling.terminate();
            }
            return transport.nanosSinceClosed(now) > timeout;
        });
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }
}
