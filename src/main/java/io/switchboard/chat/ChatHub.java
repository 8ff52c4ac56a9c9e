package io.switchboard.chat;

import io.switchboard.identity.Roles;
import io.switchboard.identity.GuardedHub;
import io.switchboard.signalr.server.HubCallerContext;
import io.switchboard.signalr.server.HubException;
import io.switchboard.signalr.server.HubMethods;
import io.switchboard.identity.HubUser;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * People in a web chat (docs/api.md §3 "ChatHub"): join workflows, exchange messages, read history; a returning
 * user gets their session back. Business logic only; the SignalR engine does the rest.
 */
@ApplicationScoped
public class ChatHub implements GuardedHub {

    public static final String PATH = "/hubs/chat";
    public static final String NAME = "chat";

    private static final String JOINED = "chat.joined";
    private static final String ACTIVE = "chat.active";

    private final ChatService chat;
    private final ChatConfig config;
    private final WorkflowPresence presence;

    ChatHub(ChatService chat, ChatConfig config, WorkflowPresence presence) {
        this.chat = chat;
        this.config = config;
        this.presence = presence;
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
        return Roles.USER;
    }

    @Override
    public void describe(HubMethods methods) {
        methods.on("JoinWorkflow", String.class, this::joinWorkflow)
                .on("LeaveWorkflow", String.class, this::leaveWorkflow)
                .on("SendMessage", String.class, this::sendMessage)
                .on("GetHistory", String.class, String.class, Integer.class, this::getHistory)
                .on("GetMembers", String.class, this::getMembers);
    }

    /** Workflow groups are per tenant; the length prefix keeps any tenant/workflow pair unambiguous. */
    static String workflowGroup(String tenantId, String workflowId) {
        return "workflow:" + tenantId.length() + ":" + tenantId + "/" + workflowId;
    }

    /** The workflow id of a group made by {@link #workflowGroup}. */
    static String workflowIdOf(String group) {
        int colon = group.indexOf(':', "workflow:".length());
        int tenantLength = Integer.parseInt(group.substring("workflow:".length(), colon));
        return group.substring(colon + 1 + tenantLength + 1);
    }

    /** The connections of a tenant's approvers and admins, who are told about pending changes. */
    public static String approversGroup(String tenantId) {
        return "approvers:" + tenantId;
    }

    @Override
    public void onConnected(HubCallerContext caller) {
        HubUser user = HubUser.of(caller);
        if (user.hasRole(Roles.APPROVER) || user.hasRole(Roles.ADMIN)) {
            caller.joinGroup(approversGroup(user.tenantId()));
        }
        chat.restorable(HubUser.of(caller), config.sessionRecoveryWindow()).ifPresent(session -> {
            for (ChatPayloads.RestoredWorkflow workflow : session.workflows()) {
                caller.joinGroup(workflowGroup(HubUser.of(caller).tenantId(), workflow.workflowId()));
                joined(caller).add(workflow.workflowId());
                presence.entered(HubUser.of(caller), workflow.workflowId());
            }
            if (session.activeWorkflowId() != null) {
                caller.items().put(ACTIVE, session.activeWorkflowId());
            }
            caller.sendToCaller("SessionRestored",
                    new ChatPayloads.SessionRestored(session.workflows(), session.activeWorkflowId()));
        });
    }

    @Override
    public void onDisconnected(HubCallerContext caller) {
        try {
            for (String workflow : joined(caller)) {
                presence.left(HubUser.of(caller), workflow);
            }
        } finally {
            // The recovery window counts from the moment the user was last seen.
            chat.touch(HubUser.of(caller));
        }
    }

    ChatPayloads.Joined joinWorkflow(HubCallerContext caller, String workflowId) {
        String workflow = requireWorkflowId(workflowId);
        HubUser user = HubUser.of(caller);
        try {
            chat.joined(user, workflow); // first: a user over the limit joins no group
        } catch (ChatService.WorkflowLimitReached e) {
            throw new HubException(e.getMessage());
        }
        boolean newlyJoined = joined(caller).add(workflow);
        String group = workflowGroup(user.tenantId(), workflow);
        caller.joinGroup(group);
        caller.items().put(ACTIVE, workflow);
        if (newlyJoined) {
            caller.hub().sendToGroup(group, "UserJoined",
                    new ChatPayloads.Presence(workflow, user.id(), user.displayName()));
            presence.entered(user, workflow);
        }
        return new ChatPayloads.Joined(workflow);
    }

    Object leaveWorkflow(HubCallerContext caller, String workflowId) {
        String workflow = requireWorkflowId(workflowId);
        HubUser user = HubUser.of(caller);
        String group = workflowGroup(user.tenantId(), workflow);
        boolean wasJoined = joined(caller).remove(workflow);
        caller.leaveGroup(group);
        caller.items().remove(ACTIVE, workflow);
        chat.left(user, workflow, (String) caller.items().get(ACTIVE));
        if (wasJoined) {
            caller.hub().sendToGroup(group, "UserLeft", new ChatPayloads.Presence(workflow, user.id(), user.displayName()));
            presence.left(user, workflow);
        }
        return null;
    }

    ChatPayloads.MessageAck sendMessage(HubCallerContext caller, String message) {
        String content = message == null ? "" : message.strip();
        int length = content.codePointCount(0, content.length());
        if (length < 1 || length > ChatService.MAX_MESSAGE_LENGTH) {
            throw new HubException("A message must be 1 to " + ChatService.MAX_MESSAGE_LENGTH + " characters long.");
        }
        HubUser user = HubUser.of(caller);
        String workflow = (String) caller.items().get(ACTIVE);
        ChatMessageView stored = chat.post(user, workflow, content);
        if (workflow != null) {
            caller.hub().sendToGroup(workflowGroup(user.tenantId(), workflow), "ReceiveMessage", stored);
        } else {
            caller.hub().sendToUser(user.userKey(), "ReceiveMessage", stored);
        }
        return new ChatPayloads.MessageAck(stored.messageId(), stored.workflowId(), stored.timestamp());
    }

    List<ChatMessageView> getHistory(HubCallerContext caller, String workflowId, String afterMessageId, Integer limit) {
        String workflow = requireWorkflowId(workflowId);
        if (limit == null || limit < 1 || limit > ChatService.MAX_HISTORY_LIMIT) {
            throw new HubException("The limit must be between 1 and " + ChatService.MAX_HISTORY_LIMIT + ".");
        }
        UUID after = afterMessageId == null ? null : parseMessageId(afterMessageId);
        try {
            return chat.history(HubUser.of(caller).tenantId(), workflow, after, limit);
        } catch (ChatService.UnknownMessageException e) {
            throw new HubException(e.getMessage());
        }
    }

    List<ChatPayloads.Member> getMembers(HubCallerContext caller, String workflowId) {
        return presence.members(HubUser.of(caller).tenantId(), requireWorkflowId(workflowId));
    }

    private static UUID parseMessageId(String messageId) {
        try {
            return UUID.fromString(messageId);
        } catch (IllegalArgumentException e) {
            throw new HubException("Message not found");
        }
    }

    static String requireWorkflowId(String workflowId) {
        if (workflowId == null || workflowId.isBlank() || workflowId.length() > ChatService.MAX_WORKFLOW_ID_LENGTH) {
            throw new HubException("A workflow id must be 1 to " + ChatService.MAX_WORKFLOW_ID_LENGTH + " characters long.");
        }
        return workflowId;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> joined(HubCallerContext caller) {
        return (Set<String>) caller.items().computeIfAbsent(JOINED, key -> ConcurrentHashMap.newKeySet());
    }
}
