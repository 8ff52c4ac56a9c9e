package io.switchboard.signalr.transport;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Method;
import org.jboss.logging.Logger;

/**
 * Takes an accepted WebSocket upgrade out of the HTTP requests Quarkus waits for at shutdown.
 *
 * <p>Why: Quarkus's graceful shutdown ({@code quarkus.shutdown.timeout}) counts every HTTP request
 * until its response ends or its connection closes. An upgraded request has neither: Vert.x hands the
 * connection to the WebSocket and never reports the request done, even after the socket closes. So
 * once a single WebSocket had been opened, every shutdown waited the whole timeout and logged "Timed
 * out waiting for graceful shutdown" (Quarkus 3.31). Hub connections are drained by
 * {@code HubRegistry} instead (Close with {@code allowReconnect} after their invocations), so the
 * upgrade request is marked done as soon as it is accepted; REST requests are still waited for.
 *
 * <p>How: {@link QuarkusRequestWrapper} has no public way to say "done", so its package-private
 * {@code done()} (idempotent) is called reflectively, registered for reflection for native images.
 * Should a Quarkus upgrade remove it, this logs one warning and shutdowns wait out the timeout again,
 * which the graceful shutdown test reports.
 */
@RegisterForReflection(targets = QuarkusRequestWrapper.class, methods = true, fields = false)
final class UpgradedRequests {

    private static final Logger LOG = Logger.getLogger(UpgradedRequests.class);
    private static final Method DONE = findDone();

    private UpgradedRequests() {
    }

    static void notInFlight(HttpServerRequest request) {
        if (DONE == null) {
            return;
        }
        try {
            QuarkusRequestWrapper wrapper = QuarkusRequestWrapper.get(request);
            if (wrapper != null) {
                DONE.invoke(wrapper);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("Could not mark an upgraded request done: %s", e);
        }
    }

    private static Method findDone() {
        try {
            Method done = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            done.setAccessible(true);
            return done;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("WebSocket upgrades will delay graceful shutdown until quarkus.shutdown.timeout: %s", e);
            return null;
        }
    }
}
