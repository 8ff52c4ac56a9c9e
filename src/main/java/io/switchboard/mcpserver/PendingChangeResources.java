package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.pendingchange.PendingChangeService;
import io.switchboard.pendingchange.PendingChangeStatus;
import io.switchboard.pendingchange.PendingChangeView;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pending changes as MCP resources, {@value #URI_PREFIX}{id}: read (the change as JSON, same tenant
 * only) and subscribe ({@code notifications/resources/updated} once it is decided, through
 * {@link ResourceUpdates}; at once when it was decided before the subscription).
 */
@ApplicationScoped
class PendingChangeResources {

    static final String URI_PREFIX = "switchboard://pending-changes/";
    static final String URI_TEMPLATE = URI_PREFIX + "{id}";
    private static final String MIME_TYPE = "application/json";

    private final PendingChangeService changes;
    private final McpSessions sessions;
    private final ResourceUpdates updates;
    private final Blocking blocking;
    private final ObjectMapper json;

    PendingChangeResources(PendingChangeService changes, McpSessions sessions, ResourceUpdates updates,
                           Blocking blocking, ObjectMapper json) {
        this.changes = changes;
        this.sessions = sessions;
        this.updates = updates;
        this.blocking = blocking;
        this.json = json;
    }

    static String uriOf(String changeId) {
        return URI_PREFIX + changeId;
    }

    ArrayNode templates() {
        ArrayNode templates = json.createArrayNode();
        templates.addObject().put("uriTemplate", URI_TEMPLATE).put("name", "pending-change")
                .put("title", "A pending change")
                .put("description", "A change an agent proposed, with its status and decision. Subscribe to be told "
                        + "when it is decided.")
                .put("mimeType", MIME_TYPE);
        return templates;
    }

    /** {@code resources/read}: the change's {@code contents}, or a "not found" error. */
    CompletionStage<ObjectNode> read(McpSession session, String uri) {
        UUID id = idOf(uri);
        return blocking.run(() -> changes.find(session.tenantId(), id)).thenApply(found -> {
            PendingChangeView change = found.orElseThrow(PendingChangeResources::notFound);
            ObjectNode result = json.createObjectNode();
            result.putArray("contents").addObject().put("uri", uri).put("mimeType", MIME_TYPE).put("text", asJson(change));
            return result;
        });
    }

    /**
     * {@code resources/subscribe}: only a change of the session's tenant is subscribed to, so another
     * tenant's decision never reaches this session. A change still Pending when first read is read again
     * once the subscription is recorded: a decision committed in between is either read then or announced
     * to the subscription, never missed (at worst told twice).
     */
    CompletionStage<ObjectNode> subscribe(McpSession session, String uri) {
        UUID id = idOf(uri);
        return blocking.run(() -> changes.statusOf(session.tenantId(), id))
                .thenCompose(status -> {
                    PendingChangeStatus before = status.orElseThrow(PendingChangeResources::notFound);
                    return sessions.subscribe(session.id(), id.toString()).toCompletionStage()
                            .thenCompose(subscribed -> before == PendingChangeStatus.Pending
                                    ? blocking.run(() -> changes.statusOf(session.tenantId(), id))
                                    : CompletableFuture.completedFuture(status));
                })
                .thenCompose(status -> status.orElse(PendingChangeStatus.Pending) == PendingChangeStatus.Pending
                        ? CompletableFuture.<Void>completedFuture(null)
                        : updates.notifyUpdated(session.id(), id.toString()))
                .thenApply(done -> json.createObjectNode());
    }

    CompletionStage<ObjectNode> unsubscribe(McpSession session, String uri) {
        UUID id = idOf(uri);
        return sessions.unsubscribe(session.id(), id.toString()).toCompletionStage()
                .thenApply(done -> json.createObjectNode());
    }

    private String asJson(PendingChangeView change) {
        try {
            return json.writeValueAsString(change);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UUID idOf(String uri) {
        if (uri == null || !uri.startsWith(URI_PREFIX)) {
            throw notFound();
        }
        try {
            return UUID.fromString(uri.substring(URI_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    private static McpError notFound() {
        return new McpError(McpError.RESOURCE_NOT_FOUND, "Pending change not found");
    }
}
