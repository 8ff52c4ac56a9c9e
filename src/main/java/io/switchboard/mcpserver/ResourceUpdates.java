package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.pendingchange.DecisionListener;
import io.switchboard.pendingchange.PendingChangeEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code notifications/resources/updated} for the sessions subscribed to a decided change, on their
 * server streams wherever those are held: told of each decision as the hubs are ({@link DecisionListener}).
 */
@ApplicationScoped
class ResourceUpdates implements DecisionListener {

    private final McpSessions sessions;
    private final OpenStreams streams;
    private final ObjectMapper json;

    ResourceUpdates(McpSessions sessions, OpenStreams streams, ObjectMapper json) {
        this.sessions = sessions;
        this.streams = streams;
        this.json = json;
    }

    @Override
    public CompletionStage<Void> announce(PendingChangeEvents.Decided decision) {
        String changeId = decision.change().id();
        return sessions.subscribersOfDecided(changeId).toCompletionStage().thenCompose(subscribers -> {
            CompletableFuture<?>[] sent = subscribers.stream()
                    .map(session -> notifyUpdated(session, changeId).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(sent);
        });
    }

    /** Tells the session that the change's resource has changed. */
    CompletionStage<Void> notifyUpdated(String sessionId, String changeId) {
        String uri = PendingChangeResources.uriOf(changeId);
        String notification = OpenStreams.notification(json, "notifications/resources/updated",
                json.createObjectNode().put("uri", uri)).toString();
        return streams.notify(sessionId, notification);
    }
}
