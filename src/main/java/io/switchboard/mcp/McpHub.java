package io.switchboard.mcp;

import io.switchboard.pendingchange.PendingChangeService;
import io.switchboard.pendingchange.PendingChangeView;
import io.switchboard.identity.Roles;
import io.switchboard.identity.GuardedHub;
import io.switchboard.identity.HubUser;
import io.switchboard.signalr.server.HubCallerContext;
import io.switchboard.signalr.server.HubException;
import io.switchboard.signalr.server.HubMethods;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * AI agents wait here for the decision on the changes they proposed (docs/api.md §4 "McpHub"). A subscription is a
 * group per change; a decision made before the subscription is pushed at once, so an agent never
 * misses one, even across a reconnect.
 */
@ApplicationScoped
public class McpHub implements GuardedHub {

    public static final String PATH = "/hubs/mcp";
    public static final String NAME = "mcp";

    private static final String NOT_FOUND = "Pending change not found";

    private final PendingChangeService changes;

    McpHub(PendingChangeService changes) {
        this.changes = changes;
    }

    private static final String SUBSCRIBERS_PREFIX = "pending-change:";

    /**
     * The group of the connections of {@code tenantId} subscribed to one change. The tenant is part of
     * the name so a connection of another tenant, even for the moment between joining and the
     * tenant check, can never receive the decision.
     */
    public static String subscribers(String tenantId, String pendingChangeId) {
        return SUBSCRIBERS_PREFIX + pendingChangeId + ":" + tenantId;
    }

    /** The change id of a {@link #subscribers} group, or empty for any other group. */
    static java.util.Optional<UUID> changeIdOf(String group) {
        if (!group.startsWith(SUBSCRIBERS_PREFIX)) {
            return java.util.Optional.empty();
        }
        String rest = group.substring(SUBSCRIBERS_PREFIX.length());
        int separator = rest.indexOf(':');
        try {
            return java.util.Optional.of(UUID.fromString(separator < 0 ? rest : rest.substring(0, separator)));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String requiredRole() {
        return Roles.AGENT;
    }

    @Override
    public void describe(HubMethods methods) {
        methods.on("SubscribeToPendingChange", String.class, this::subscribe)
                .on("UnsubscribeFromPendingChange", String.class, this::unsubscribe);
    }

    Object subscribe(HubCallerContext caller, String pendingChangeId) {
        UUID id = parse(pendingChangeId);
        String tenantId = HubUser.of(caller).tenantId();
        String group = subscribers(tenantId, id.toString());
        // Join before reading: a decision committed in between is then either read here or pushed to
        // the group, never lost. A duplicate is harmless: same id and status.
        caller.joinGroup(group);
        // Proposed here and not decided since: nothing to read (a single replica only).
        if (changes.isKnownPending(tenantId, id)) {
            return null;
        }
        // One read gives the status and, when decided already, the decision to push at once.
        Optional<PendingChangeView> change = changes.forSubscriber(tenantId, id);
        if (change.isEmpty()) {
            caller.leaveGroup(group);
            throw new HubException(NOT_FOUND);
        }
        change.flatMap(DecisionNotifications::of)
                .ifPresent(notification -> caller.sendToCaller(notification.method(), notification.payload()));
        return null;
    }

    Object unsubscribe(HubCallerContext caller, String pendingChangeId) {
        UUID id = parse(pendingChangeId);
        caller.leaveGroup(subscribers(HubUser.of(caller).tenantId(), id.toString()));
        return null;
    }

    private static UUID parse(String pendingChangeId) {
        try {
            return UUID.fromString(pendingChangeId == null ? "" : pendingChangeId);
        } catch (IllegalArgumentException e) {
            throw new HubException(NOT_FOUND);
        }
    }
}
