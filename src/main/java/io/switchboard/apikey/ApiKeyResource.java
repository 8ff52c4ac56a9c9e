package io.switchboard.apikey;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.PathIds;
import io.switchboard.api.ProblemException;
import io.switchboard.security.CurrentUser;
import io.switchboard.security.Roles;
import io.switchboard.signalr.server.HubUser;
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

/**
 * {@code /api/api-keys}: a tenant's admins create, list and revoke the keys of its AI agents. Another
 * tenant's key is "not found", exactly like one that does not exist.
 */
@Path("/api/api-keys")
@RolesAllowed(Roles.ADMIN)
public class ApiKeyResource {

    private static final String NOT_FOUND = "API key not found";

    private final ApiKeyService keys;
    private final CurrentUser users;
    private final SecurityIdentity identity;

    ApiKeyResource(ApiKeyService keys, CurrentUser users, SecurityIdentity identity) {
        this.keys = keys;
        this.users = users;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key; the answer is the only time the key is shown")
    public Response create(@Valid @NotNull CreateApiKeyRequest request, @Context UriInfo uri) {
        HubUser admin = users.resolve(identity);
        CreatedApiKey created = keys.create(admin.tenantId(), admin.id(), request.name().strip(), request.expiresAt());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                // The body holds a secret: no cache on the way may keep it.
                .header("Cache-Control", "no-store")
                .entity(created)
                .build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's API keys, newest first, without their secrets")
    public List<ApiKeyView> list() {
        return keys.list(tenantId());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One API key of the tenant, without its secret")
    public ApiKeyView get(@PathParam("id") String id) {
        return keys.find(tenantId(), parse(id)).orElseThrow(() -> ProblemException.notFound(NOT_FOUND));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an API key; its open hub connections are closed. Repeating it is harmless (204).")
    public void revoke(@PathParam("id") String id) {
        if (!keys.revoke(tenantId(), parse(id))) {
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
