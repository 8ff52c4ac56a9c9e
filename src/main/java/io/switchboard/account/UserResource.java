package io.switchboard.account;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.Problem;
import io.switchboard.api.PathIds;
import io.switchboard.api.ProblemException;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.Roles;
import io.switchboard.identity.HubUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code /api/users}: a tenant's admins create, list and delete its built-in accounts (docs/api.md §2 "Identity").
 * Another tenant's account is "not found", exactly like one that does not exist; usernames are unique
 * across all tenants.
 */
@Path("/api/users")
@RolesAllowed(Roles.ADMIN)
@APIResponse(responseCode = "401", description = "No valid JWT",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "The caller is not an admin",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class UserResource {

    private static final String NOT_FOUND = "Account not found";

    private final AccountService accounts;
    private final CurrentUser users;
    private final SecurityIdentity identity;

    UserResource(AccountService accounts, CurrentUser users, SecurityIdentity identity) {
        this.accounts = accounts;
        this.users = users;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account in the admin's tenant",
            description = "username: 3..64 of a-z 0-9 . _ - (unique across the service, case-insensitively); "
                    + "password: 8..128 characters, stored only as a bcrypt hash; displayName defaults to the "
                    + "username; roles: any of admin, approver (every account is a plain user besides).")
    @APIResponse(responseCode = "201", description = "Created",
            headers = @Header(name = "Location", description = "The account's URL",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", description = "A field breaks a rule; detail names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The username exists (in any tenant)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@Valid @NotNull CreateUserRequest request, @Context UriInfo uri) {
        HubUser admin = users.resolve(identity);
        UserView created;
        try {
            created = accounts.create(admin.tenantId(), admin.id(), request.username(), request.password(),
                    request.displayName(), request.roles());
        } catch (AccountService.InvalidAccount e) {
            throw ProblemException.badRequest(e.getMessage());
        } catch (AccountService.UsernameTaken e) {
            throw ProblemException.conflict(e.getMessage());
        }
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build()).entity(created).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's accounts, by username, never a password or hash")
    @APIResponse(responseCode = "200", description = "The accounts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = UserView.class)))
    public List<UserView> list() {
        return accounts.list(tenantId());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One account of the tenant")
    @APIResponse(responseCode = "200", description = "The account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "404", description = "No such account in the tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UserView get(@PathParam("id") String id) {
        return accounts.find(tenantId(), parse(id)).orElseThrow(() -> ProblemException.notFound(NOT_FOUND));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete an account",
            description = "Its open hub connections are closed on every replica, and its tokens are refused (401) "
                    + "on REST, negotiate and WebSocket upgrade within 30 s (at once on the replica that deleted it).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such account in the tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public void delete(@PathParam("id") String id) {
        if (!accounts.delete(tenantId(), parse(id))) {
            throw ProblemException.notFound(NOT_FOUND);
        }
    }

    private String tenantId() {
        return users.resolve(identity).tenantId();
    }

    private static UUID parse(String id) {
        return PathIds.uuidOrNotFound(id, NOT_FOUND);
    }
}
