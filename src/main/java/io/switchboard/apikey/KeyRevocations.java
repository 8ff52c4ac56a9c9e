package io.switchboard.apikey;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.cluster.ClusterTopics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tells every replica that a key was revoked, so that each forgets it ({@link RecentlyValidKeys})
 * before anything closes the key's connections there: a replica that has closed them refuses the
 * key from then on, on every path. The revoking replica publishes once the revocation is committed,
 * ahead of every other observer of the commit ({@link Priority}), and Redis delivers one publisher's
 * messages in order, so the key is forgotten on each replica before the hub's close reaches it. Each
 * replica then fires {@link ApiKeyRevocationHeard} for what holds the key's sessions there.
 */
@ApplicationScoped
class KeyRevocations {

    private static final Logger LOG = Logger.getLogger(KeyRevocations.class);
    static final String TOPIC = "apikey-revoked";

    private final ClusterTopics topics;
    private final RecentlyValidKeys recentlyValid;
    private final Event<ApiKeyRevocationHeard> heard;

    KeyRevocations(ClusterTopics topics, RecentlyValidKeys recentlyValid, Event<ApiKeyRevocationHeard> heard) {
        this.topics = topics;
        this.recentlyValid = recentlyValid;
        this.heard = heard;
    }

    void onStart(@Observes StartupEvent start) throws Exception {
        // Before the replica serves anyone: a revocation published from now on is heard.
        topics.listen(TOPIC, this::onMessage).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) @Priority(Interceptor.Priority.PLATFORM_BEFORE)
                   ApiKeyRevoked revoked) {
        String message = revoked.keyId() + "\n" + revoked.tenantId();
        topics.publish(TOPIC, message.getBytes(StandardCharsets.UTF_8));
    }

    private void onMessage(byte[] payload) {
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", 2);
        if (parts.length != 2) {
            LOG.warnf("Ignored a malformed key revocation message on the backplane");
            return;
        }
        recentlyValid.forget(parts[0]);
        heard.fire(new ApiKeyRevocationHeard(parts[0], parts[1]));
    }
}
