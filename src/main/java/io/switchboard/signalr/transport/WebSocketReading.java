package io.switchboard.signalr.transport;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.ServerWebSocket;
import java.lang.reflect.Field;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reaches the Vert.x socket under a websockets-next connection, for what websockets-next has no API
 * for: pausing and resuming reads, for back-pressure when a connection's invocation queue is full
 * (websockets-next queues every received frame for its callbacks without bound; a paused Vert.x socket
 * stops reading from TCP, and the client's own send buffer fills up, as with ASP.NET Core), and telling
 * whether the socket has closed before a frame is written straight on its channel
 * ({@link WebSocketTransport}).
 *
 * <p>The field is internal to websockets-next (checked with Quarkus 3.31); if a later version renames
 * it, {@link #of} finds nothing and says so once in the log: writes then go through websockets-next,
 * and the invocation queue still bounds what is waiting but no longer stops the reads. The reflection
 * is registered for native images below.
 */
@RegisterForReflection(classNames = WebSocketReading.CONNECTION_CLASS, fields = true, methods = false)
final class WebSocketReading {

    static final String CONNECTION_CLASS = "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl";

    private static final Logger LOG = Logger.getLogger(WebSocketReading.class);
    private static final Field WEB_SOCKET = findField();

    private WebSocketReading() {
    }

    private static Field findField() {
        try {
            Field field = Class.forName(CONNECTION_CLASS, false, WebSocketReading.class.getClassLoader())
                    .getDeclaredField("webSocket");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("WebSocket back-pressure is not available (%s): a full invocation queue cannot stop reads", e);
            return null;
        }
    }

    /** The Vert.x socket under {@code connection}, when it can be reached. */
    static Optional<ServerWebSocket> of(WebSocketConnection connection) {
        if (WEB_SOCKET == null || !WEB_SOCKET.getDeclaringClass().isInstance(connection)) {
            return Optional.empty();
        }
        try {
            return Optional.of((ServerWebSocket) WEB_SOCKET.get(connection));
        } catch (IllegalAccessException e) {
            return Optional.empty();
        }
    }
}
