package io.switchboard.chat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.ProblemException;
import io.switchboard.api.QueryParams;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import io.switchboard.api.OpenApi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/workflows/{id}/messages}: the same history as the hub's {@code GetHistory}. */
@Path("/api/workflows/{workflowId}/messages")
@RolesAllowed(Roles.USER)
@Tag(name = "Chat", description = "A workflow's messages, as ChatHub's GetHistory.")
// The 403 detail reads @RolesAllowed reflectively, in a native image too.
@RegisterForReflection(methods = true, fields = false)
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
    @SecurityRequirement(name = OpenApi.JWT)
    @APIResponse(responseCode = "200", description = "Up to limit messages, oldest first.")
    @APIResponse(responseCode = "400", ref = OpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApi.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApi.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND)
    public List<ChatMessageView> history(
            @Parameter(description = "The workflow, 1 to 200 characters.") @PathParam("workflowId") String workflowId,
            @Parameter(description = "A message id: the messages after it. Absent: the latest ones.")
            @QueryParam("after") String after,
            @Parameter(description = "How many at most.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50"))
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
