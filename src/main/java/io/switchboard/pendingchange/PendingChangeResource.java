package io.switchboard.pendingchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.ProblemException;
import io.switchboard.api.TextWithoutNul;
import io.switchboard.api.QueryParams;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.Roles;
import io.switchboard.identity.HubUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import java.util.UUID;
import io.switchboard.api.OpenApi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/pending-changes} (docs/api.md, "Pending changes"). Another tenant's change is 404, exactly
 * like a missing one.
 */
@Path("/api/pending-changes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Pending changes", description = "Agents propose changes; approvers decide them.")
@APIResponse(responseCode = "401", ref = OpenApi.UNAUTHORIZED)
// The 403 detail reads @RolesAllowed reflectively, in a native image too.
@RegisterForReflection(methods = true, fields = false)
public class PendingChangeResource {

    /** Body of approve. Reflection-registered for Jackson in a native image. */
    @RegisterForReflection
    public record Approval(@Schema(description = "What carrying out the change produced: any JSON; told to the agent.")
                           JsonNode executionResult) {
    }

    /** Body of reject. Reflection-registered for Jackson in a native image. */
    @RegisterForReflection
    public record Rejection(@Schema(required = true, minLength = 1, maxLength = 1000,
            description = "Why, for the agent: 1 to 1000 characters after trimming.") String reason) {
    }

    static final int MAX_REASON_LENGTH = 1000;

    private final PendingChangeService changes;
    private final CurrentUser users;
    private final SecurityIdentity identity;
    private final ProposalRules rules;

    PendingChangeResource(PendingChangeService changes, CurrentUser users, SecurityIdentity identity,
                          ProposalRules rules) {
        this.rules = rules;
        this.changes = changes;
        this.users = users;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "An agent proposes a change for a person to approve")
    @SecurityRequirement(name = OpenApi.API_KEY)
    @SecurityRequirement(name = OpenApi.JWT)
    @APIResponse(responseCode = "201", description = "Proposed, Pending; approvers are told on ChatHub.",
            headers = @Header(name = "Location", description = "The new change's URL.",
                    schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PendingChangeView.class)))
    @APIResponse(responseCode = "400", ref = OpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = OpenApi.FORBIDDEN)
    public Response propose(@Valid @NotNull NewPendingChange request, @jakarta.ws.rs.core.Context UriInfo uri) {
        rules.check(request);
        PendingChangeView created = changes.propose(caller(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build()).entity(created).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.AGENT, Roles.USER})
    @Operation(summary = "One change of the caller's tenant (the agents' polling fallback)")
    @SecurityRequirement(name = OpenApi.API_KEY)
    @SecurityRequirement(name = OpenApi.JWT)
    @APIResponse(responseCode = "200", description = "The change.")
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND)
    public PendingChangeView get(@PathParam("id") String id) {
        return changes.find(caller().tenantId(), parse(id)).orElseThrow(PendingChangeResource::notFound);
    }

    @GET
    @RolesAllowed(Roles.USER)
    @Operation(summary = "The tenant's changes, newest first")
    @SecurityRequirement(name = OpenApi.JWT)
    @APIResponse(responseCode = "200", description = "One page; total counts every match.")
    @APIResponse(responseCode = "400", ref = OpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = OpenApi.FORBIDDEN)
    public PendingChangeService.PageOf list(
            @Parameter(description = "Only changes with this status.",
                    schema = @Schema(implementation = PendingChangeStatus.class)) @QueryParam("status") String status,
            @Parameter(description = "Page number, from 0.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
            @QueryParam("page") String page,
            @Parameter(description = "Page size.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20"))
            @QueryParam("size") String size) {
        return changes.list(caller().tenantId(), parseStatus(status),
                QueryParams.intInRange("page", page, 0, 0, Integer.MAX_VALUE),
                QueryParams.intInRange("size", size, 20, 1, 100));
    }

    @POST
    @Path("{id}/approve")
    @RolesAllowed({Roles.APPROVER, Roles.ADMIN})
    @Operation(summary = "Approve a Pending change; 409 unless Pending")
    @SecurityRequirement(name = OpenApi.JWT)
    @APIResponse(responseCode = "200", description = "Approved; the agent is told at once.")
    @APIResponse(responseCode = "400", ref = OpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = OpenApi.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = OpenApi.CONFLICT)
    public PendingChangeView approve(@PathParam("id") String id,
                                     @RequestBody(required = false, description = "Optional.") Approval approval) {
        UUID changeId = parse(id);
        if (approval != null && TextWithoutNul.containsNul(approval.executionResult())) {
            throw ProblemException.badRequest("executionResult must not contain the NUL character (\\u0000).");
        }
        try {
            return changes.approve(caller(), changeId, approval == null ? null : approval.executionResult());
        } catch (PendingChangeService.NotFound e) {
            throw notFound();
        } catch (PendingChangeService.NotPending e) {
            throw ProblemException.conflict(e.getMessage());
        }
    }

    @POST
    @Path("{id}/reject")
    @RolesAllowed({Roles.APPROVER, Roles.ADMIN})
    @Operation(summary = "Reject a Pending change with a reason; 409 unless Pending")
    @SecurityRequirement(name = OpenApi.JWT)
    @APIResponse(responseCode = "200", description = "Rejected; the agent is told at once.")
    @APIResponse(responseCode = "400", ref = OpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = OpenApi.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = OpenApi.CONFLICT)
    public PendingChangeView reject(@PathParam("id") String id, @Valid @NotNull Rejection rejection) {
        UUID changeId = parse(id);
        try {
            return changes.reject(caller(), changeId, requireReason(rejection.reason()));
        } catch (PendingChangeService.NotFound e) {
            throw notFound();
        } catch (PendingChangeService.NotPending e) {
            throw ProblemException.conflict(e.getMessage());
        }
    }

    // Characters as people count them (code points) after trimming, as chat messages are measured.
    private static String requireReason(String reason) {
        String trimmed = reason == null ? "" : reason.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > MAX_REASON_LENGTH) {
            throw ProblemException.badRequest("reason must be 1 to " + MAX_REASON_LENGTH + " characters long.");
        }
        return trimmed;
    }

    private HubUser caller() {
        return users.resolve(identity);
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    private static PendingChangeStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        for (PendingChangeStatus candidate : PendingChangeStatus.values()) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(status.toLowerCase(Locale.ROOT))) {
                return candidate;
            }
        }
        throw ProblemException.badRequest("status must be one of Pending, Approved, Rejected, Expired.");
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("Pending change not found");
    }
}
