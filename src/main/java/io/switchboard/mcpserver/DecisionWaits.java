package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.switchboard.cluster.ClusterTopics;
import io.switchboard.pendingchange.DecisionListener;
import io.switchboard.pendingchange.PendingChangeEvents;
import io.switchboard.pendingchange.PendingChangeView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * MCP tool calls waiting for a decision on this replica. Each committed decision is published to
 * every replica ({@value #TOPIC}) by the replica that announces it, as one more deliverer beside the
 * hubs ({@link DecisionListener}: at least once); each replica completes the waits it holds for that
 * change. A wait is a future, not a thread.
 *
 * <p>Every replica hears every decision, and most hold no wait for it: a message starts with the
 * change's id and a newline, so that such a replica drops it without parsing the JSON after it (which
 * was a tenth of a replica's CPU per approval when no agent used MCP).
 */
@ApplicationScoped
class DecisionWaits implements DecisionListener {

    private static final Logger LOG = Logger.getLogger(DecisionWaits.class);
    static final String TOPIC = "mcp-decisions";

    /** One call's wait for one change of its tenant. */
    static final class Wait {
        private final String tenantId;
        private final String changeId;
        private final CompletableFuture<PendingChangeView> decided = new CompletableFuture<>();

        private Wait(String tenantId, String changeId) {
            this.tenantId = tenantId;
            this.changeId = changeId;
        }

        /** Completes with the decided change. */
        CompletableFuture<PendingChangeView> decided() {
            return decided;
        }
    }

    // Read and written by Jackson, also in a native image.
    @RegisterForReflection
    record Decision(String tenantId, PendingChangeView change) {
    }

    private final ClusterTopics topics;
    private final ObjectMapper json;
    private final Map<String, Set<Wait>> byChange = new ConcurrentHashMap<>();

    DecisionWaits(ClusterTopics topics, ObjectMapper json) {
        this.topics = topics;
        this.json = json;
    }

    void onStart(@Observes StartupEvent start) throws Exception {
        topics.listen(TOPIC, this::onMessage).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Starts waiting; the caller must {@link #stop} it when it no longer waits, whatever the outcome. */
    Wait start(String tenantId, String changeId) {
        Wait wait = new Wait(tenantId, changeId);
        byChange.computeIfAbsent(changeId, id -> ConcurrentHashMap.newKeySet()).add(wait);
        return wait;
    }

    void stop(Wait wait) {
        byChange.computeIfPresent(wait.changeId, (id, waits) -> {
            waits.remove(wait);
            return waits.isEmpty() ? null : waits;
        });
    }

    @Override
    public CompletionStage<Void> announce(PendingChangeEvents.Decided decision) {
        try {
            return topics.publish(TOPIC, encode(json, new Decision(decision.tenantId(), decision.change())));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The change's id, a newline, and the decision as JSON. */
    static byte[] encode(ObjectMapper json, Decision decision) throws IOException {
        byte[] id = (decision.change().id() + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = json.writeValueAsBytes(decision);
        byte[] payload = Arrays.copyOf(id, id.length + body.length);
        System.arraycopy(body, 0, payload, id.length, body.length);
        return payload;
    }

    /** The id a message is about, read without parsing its JSON; null when it has none. */
    static String changeIdOf(byte[] payload) {
        for (int i = 0; i < Math.min(payload.length, 64); i++) {
            if (payload[i] == '\n') {
                return new String(payload, 0, i, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private void onMessage(byte[] payload) {
        String changeId = changeIdOf(payload);
        if (changeId != null && !byChange.containsKey(changeId)) {
            return;
        }
        // Without the id first, the message comes from a replica of the version before (a rolling deploy).
        int offset = changeId == null ? 0 : changeId.length() + 1;
        Decision decision;
        try {
            decision = json.readValue(payload, offset, payload.length - offset, Decision.class);
        } catch (IOException e) {
            LOG.warnf("Ignored a malformed decision message on the backplane: %s", e.getMessage());
            return;
        }
        Set<Wait> waits = byChange.get(decision.change().id());
        if (waits != null) {
            for (Wait wait : waits) {
                if (wait.tenantId.equals(decision.tenantId())) {
                    wait.decided.complete(decision.change());
                }
            }
        }
    }

    /** For tests: calls waiting here now. */
    int waiting() {
        return byChange.values().stream().mapToInt(Set::size).sum();
    }
}
