package io.switchboard.signalr.transport;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The connection id admission chose for a WebSocket opened without negotiating, handed from
 * {@link HubAccess} (a route, which decides before the upgrade) to {@link HubUpgradeCheck} (which
 * accepts it): the connection's slot was taken under that id. Keyed by the request itself, weakly, so
 * an upgrade that never reached the check leaves nothing behind.
 */
@Singleton
class DirectConnectionIds {

    private final Map<HttpServerRequest, String> byRequest = Collections.synchronizedMap(new WeakHashMap<>());

    void hold(HttpServerRequest request, String connectionId) {
        byRequest.put(request, connectionId);
    }

    /** The id chosen for {@code request}, once. */
    Optional<String> take(HttpServerRequest request) {
        return Optional.ofNullable(byRequest.remove(request));
    }
}
