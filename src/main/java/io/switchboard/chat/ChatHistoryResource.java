package io.switchboard.chat;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.ProblemException;
import io.switchboard.api.QueryParams;
import io.switchboard.security.CurrentUser;
import io.switchboard.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /api/workflows/{id}/messages}: the same history as the hub's {@code GetHistory}. */
@Path("/api/workflows/{workflowId}/messages")
@RolesAllowed(Roles.USER)
public class ChatHistoryResource {

    private final ChatService chat;
    private final CurrentUser users;
    private final SecurityIdentity identity;

    ChatHistoryResource(ChatService chat, CurrentUser users, SecurityIdentity identity) {
        this.chat = chat;
        this.users = users;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Messages of a workflow, oldest first: after a message, or the latest ones")
    public List<ChatMessageView> history(@PathParam("workflowId") String workflowId,
                                         @QueryParam("after") String after,
                                         @QueryParam("limit") String limitParam) {
        if (workflowId.isBlank() || workflowId.length() > ChatService.MAX_WORKFLOW_ID_LENGTH) {
            throw ProblemException.badRequest("A workflow id must be 1 to "
                    + ChatService.MAX_WORKFLOW_ID_LENGTH + " characters long.");
        }
        int limit = QueryParams.intInRange("limit", limitParam, 50, 1, ChatService.MAX_HISTORY_LIMIT);
        UUID afterId = null;
        if (after != null && !after.isBlank()) {
            try {
                afterId = UUID.fromString(after);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("after must be a message id.");
            }
        }
        try {
            return chat.history(users.resolve(identity).tenantId(), workflowId, afterId, limit);
        } catch (ChatService.UnknownMessageException e) {
            throw ProblemException.notFound("Message not found");
        }
    }
}
