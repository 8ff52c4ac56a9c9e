package io.switchboard.signalr.transport;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.core.http.HttpServerRequest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jboss.logging.Logger;

/**
 * Finishes the HTTP request of an accepted WebSocket upgrade once the socket is open.
 *
 * <p>Vert.x never ends the response of an upgraded request, so Quarkus never runs its "request done"
 * handlers for it: graceful shutdown counts every WebSocket ever opened as a request in flight, waits
 * the whole {@code quarkus.shutdown.timeout} on each shutdown and then logs "Timed out waiting for
 * graceful shutdown" at ERROR (and the access log never shows the upgrade). Yet the HTTP exchange is
 * over at 101 Switching Protocols; open sockets are closed by {@code HubRegistry} when shutdown
 * begins. {@link QuarkusRequestWrapper} has no public way to finish a request, hence the method handle
 * on its {@code done()}; should a Quarkus version drop it, shutdowns are only slow again (logged once).
 */
@RegisterForReflection(targets = QuarkusRequestWrapper.class, methods = true, fields = false)
final class UpgradedRequests {

    private static final Logger LOG = Logger.getLogger(UpgradedRequests.class);
    private static final MethodHandle DONE = findDone();

    private UpgradedRequests() {
    }

    /** What to run once the upgrade of {@code request} succeeded: marks the request done. */
    static Runnable finisher(HttpServerRequest request) {
        if (DONE == null) {
            return () -> {
            };
        }
        QuarkusRequestWrapper wrapper;
        try {
            wrapper = QuarkusRequestWrapper.get(request);
        } catch (RuntimeException notWrapped) {
            return () -> {
            };
        }
        return () -> {
            try {
                DONE.invoke(wrapper);
            } catch (Throwable e) {
                LOG.debugf("Could not mark a WebSocket upgrade request done: %s", e);
            }
        };
    }

    private static MethodHandle findDone() {
        try {
            return MethodHandles.privateLookupIn(QuarkusRequestWrapper.class, MethodHandles.lookup())
                    .findVirtual(QuarkusRequestWrapper.class, "done", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("WebSocket upgrades will count as HTTP requests in flight until shutdown times out: %s", e);
            return null;
        }
    }
}
