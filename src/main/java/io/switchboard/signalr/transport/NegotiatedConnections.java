package io.switchboard.signalr.transport;

import io.switchboard.signalr.server.SignalRConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Connections that have negotiated but not yet attached a transport, keyed by their secret
 * connection token (HttpConnectionManager in ASP.NET Core). Unclaimed ones are dropped after
 * {@link SignalRConfig#negotiatedConnectionTimeout()}.
 */
@Singleton
public class NegotiatedConnections {

    /** One negotiation: the public id, the token the transport presents, and who asked for it. */
    public record Negotiated(String connectionId, String connectionToken, String hubPath, String userKey,
                             long createdAtNanos) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentMap<String, Negotiated> byToken = new ConcurrentHashMap<>();
    private final SignalRConfig config;
    private final Vertx vertx;
    private final long timer;

    NegotiatedConnections(SignalRConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(config.housekeepingInterval().toMillis(), id -> dropExpired());
    }

    /**
     * Registers a new connection. With negotiate version 0 the connection id doubles as the token,
     * as the protocol requires; from version 1 the token is a separate secret.
     */
    public Negotiated create(String hubPath, String userKey, int negotiateVersion) {
        String connectionId = UUID.randomUUID().toString();
        String token = negotiateVersion >= 1 ? newToken() : connectionId;
        Negotiated negotiated = new Negotiated(connectionId, token, hubPath, userKey, System.nanoTime());
        byToken.put(token, negotiated);
        return negotiated;
    }

    /** Claims a negotiated connection for a transport; each token can be claimed once. */
    public Optional<Negotiated> claim(String token, String hubPath) {
        Negotiated negotiated = byToken.get(token);
        if (negotiated == null || !negotiated.hubPath().equals(hubPath)) {
            return Optional.empty();
        }
        return byToken.remove(token, negotiated) ? Optional.of(negotiated) : Optional.empty();
    }

    private static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void dropExpired() {
        long now = System.nanoTime();
        long timeout = config.negotiatedConnectionTimeout().toNanos();
        byToken.values().removeIf(negotiated -> now - negotiated.createdAtNanos() > timeout);
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }
}
