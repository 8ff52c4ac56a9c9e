package io.switchboard.signalr.transport;

import io.switchboard.signalr.server.ConnectionSlots;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.SignalRConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Connections that have negotiated but not yet attached a transport, keyed by their secret
 * connection token (HttpConnectionManager in ASP.NET Core). Unclaimed ones are dropped after
 * {@link SignalRConfig#negotiatedConnectionTimeout()}.
 *
 * <p>A stateful-reconnect token stays known after its first claim, for as long as its connection
 * is open: the client reconnects with the same {@code id} after its transport dropped.
 */
@Singleton
public class NegotiatedConnections {

    /**
     * One negotiation: the public id, the token the transport presents, who asked for it, and whether
     * stateful reconnect was granted.
     */
    public record Negotiated(String connectionId, String connectionToken, String hubPath, String userKey,
                             long createdAtNanos, boolean statefulReconnect) {
    }

    /** A claimed stateful-reconnect token and when it was first claimed. */
    private record Claimed(Negotiated negotiated, long claimedAtNanos) {
    }

    // An instance, not a static: a native image must not freeze a seeded generator at build time.
    private final SecureRandom random = new SecureRandom();

    private final ConcurrentMap<String, Negotiated> byToken = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Claimed> reconnectable = new ConcurrentHashMap<>();
    private final SignalRConfig config;
    private final HubRegistry hubs;
    private final ConnectionSlots slots;
    private final Vertx vertx;
    private final long timer;

    NegotiatedConnections(SignalRConfig config, HubRegistry hubs, ConnectionSlots slots, Vertx vertx) {
        this.config = config;
        this.hubs = hubs;
        this.slots = slots;
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(config.housekeepingInterval().toMillis(), id -> dropExpired());
    }

    /**
     * Registers a new connection. With negotiate version 0 the connection id doubles as the token,
     * as the protocol requires; from version 1 the token is a separate secret.
     *
     * @param connectionId           the id admission chose, under which the connection's slot was
     *                               taken; the slot is given back if no transport claims it in time
     * @param wantsStatefulReconnect the client asked for {@code useStatefulReconnect}; granted when
     *                               enabled in {@link SignalRConfig#statefulReconnect()}
     */
    public Negotiated create(String hubPath, String userKey, String connectionId, int negotiateVersion,
                             boolean wantsStatefulReconnect) {
        String token = negotiateVersion >= 1 ? newToken() : connectionId;
        Negotiated negotiated = new Negotiated(connectionId, token, hubPath, userKey, System.nanoTime(),
                wantsStatefulReconnect && config.statefulReconnect().enabled());
        byToken.put(token, negotiated);
        return negotiated;
    }

    /**
     * Claims a negotiated connection for a transport of the user who negotiated it; each token can be
     * claimed once. Someone else presenting the token gets nothing and does not use it up.
     */
    public Optional<Negotiated> claim(String token, String hubPath, String userKey) {
        if (!hubs.acceptsConnections()) {
            return Optional.empty(); // shutting down: the client negotiates again, elsewhere
        }
        Negotiated negotiated = byToken.get(token);
        if (negotiated == null || !negotiated.hubPath().equals(hubPath) || !negotiated.userKey().equals(userKey)) {
            return Optional.empty();
        }
        if (!byToken.remove(token, negotiated)) {
            return Optional.empty();
        }
        if (negotiated.statefulReconnect()) {
            reconnectable.put(token, new Claimed(negotiated, System.nanoTime()));
        }
        return Optional.of(negotiated);
    }

    /**
     * The already claimed stateful connection {@code token} names on {@code hubPath}, for a client
     * reconnecting after its transport dropped; whether the connection may still continue is the
     * hub's to say ({@code HubConnectionHandler#canReattach}).
     */
    public Optional<Negotiated> reconnecting(String token, String hubPath) {
        Claimed claimed = reconnectable.get(token);
        return claimed == null || !claimed.negotiated().hubPath().equals(hubPath)
                ? Optional.empty() : Optional.of(claimed.negotiated());
    }

    private String newToken() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void dropExpired() {
        long now = System.nanoTime();
        long timeout = config.negotiatedConnectionTimeout().toNanos();
        byToken.values().removeIf(negotiated -> {
            boolean expired = now - negotiated.createdAtNanos() > timeout;
            if (expired) {
                slots.release(negotiated.userKey(), negotiated.connectionId());
            }
            return expired;
        });
        // A claimed token is forgotten once its connection has ended; the grace period covers the
        // moment between the claim and the transport opening the connection.
        reconnectable.values().removeIf(claimed -> now - claimed.claimedAtNanos() > timeout
                && !isOpen(claimed.negotiated()));
    }

    private boolean isOpen(Negotiated negotiated) {
        return hubs.handlerForPath(negotiated.hubPath())
                .map(handler -> handler.isOpen(negotiated.connectionId()))
                .orElse(false);
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }
}
