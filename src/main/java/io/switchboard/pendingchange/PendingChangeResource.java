package io.switchboard.pendingchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.ProblemException;
import io.switchboard.limits.LimitsConfig;
import io.switchboard.api.QueryParams;
import io.switchboard.security.CurrentUser;
import io.switchboard.security.Roles;
import io.switchboard.signalr.server.HubUser;
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
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/pending-changes} (API.md §5). Another tenant's change is 404, exactly like a missing one. */
@Path("/api/pending-changes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PendingChangeResource {

    /** Body of approve. Reflection-registered for Jackson in a native image. */
    @RegisterForReflection
    public record Approval(JsonNode executionResult) {
    }

    /** Body of reject. Reflection-registered for Jackson in a native image. */
    @RegisterForReflection
    public record Rejection(String reason) {
    }

    static final int MAX_REASON_LENGTH = 1000;

    private final PendingChangeService changes;
    private final CurrentUser users;
    private final SecurityIdentity identity;
    private final LimitsConfig limits;

    PendingChangeResource(PendingChangeService changes, CurrentUser users, SecurityIdentity identity,
                          LimitsConfig limits) {
        this.limits = limits;
        this.changes = changes;
        this.users = users;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "An agent proposes a change for a person to approve")
    public Response propose(@Valid @NotNull NewPendingChange request, @jakarta.ws.rs.core.Context UriInfo uri) {
        long diffSize = diffSize(request.diff());
        if (diffSize > limits.maxDiffSize()) {
            // Every approver is pushed the change: a diff larger than a connection may take would cut them all off.
            throw ProblemException.badRequest("diff: before and after take " + diffSize + " bytes as JSON; at most "
                    + limits.maxDiffSize() + " are allowed.");
        }
        PendingChangeView created = changes.propose(caller(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build()).entity(created).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.AGENT, Roles.USER})
    @Operation(summary = "One change of the caller's tenant (the agents' polling fallback)")
    public PendingChangeView get(@PathParam("id") String id) {
        return changes.find(caller().tenantId(), parse(id)).orElseThrow(PendingChangeResource::notFound);
    }

    @GET
    @RolesAllowed(Roles.USER)
    @Operation(summary = "The tenant's changes, newest first")
    public PendingChangeService.PageOf list(@QueryParam("status") String status,
                                            @QueryParam("page") String page,
                                            @QueryParam("size") String size) {
        return changes.list(caller().tenantId(), parseStatus(status),
                QueryParams.intInRange("page", page, 0, 0, Integer.MAX_VALUE),
                QueryParams.intInRange("size", size, 20, 1, 100));
    }

    @POST
    @Path("{id}/approve")
    @RolesAllowed({Roles.APPROVER, Roles.ADMIN})
    @Operation(summary = "Approve a Pending change; 409 unless Pending")
    public PendingChangeView approve(@PathParam("id") String id, Approval approval) {
        UUID changeId = parse(id);
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

    private static long diffSize(Diff diff) {
        return jsonLength(diff.before()) + jsonLength(diff.after());
    }

    private static long jsonLength(com.fasterxml.jackson.databind.JsonNode value) {
        return value == null ? 0 : value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("Pending change not found");
    }
}
